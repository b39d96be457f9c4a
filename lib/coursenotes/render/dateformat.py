"""Quarto's `date-format`: the styles `full`, `long`, `medium`, `short`, `iso` or a dayjs pattern (`MMMM D, YYYY`)."""

from __future__ import annotations

import datetime as dt
import re

from coursenotes.errors import FrontMatterError

# https://quarto.org/docs/reference/dates: a style, or a format string in dayjs's tokens.
STYLES = {
    "full": "dddd, MMMM D, YYYY",
    "long": "MMMM D, YYYY",
    "medium": "MMM D, YYYY",
    "short": "M/D/YY",
    "iso": "YYYY-MM-DD",
}
DEFAULT = "long"
TOKEN = re.compile(r"\[([^\]]*)\]|YYYY|YY|MMMM|MMM|MM|M|DD|D|dddd|ddd|dd|d|HH|H|hh|h|mm|m|ss|s|A|a")


def hour12(when: dt.datetime) -> int:
    """The hour on a 12-hour clock (12, not 0, at noon and midnight)."""
    return when.hour % 12 or 12


# Each dayjs token's text for a date (English names, as Quarto's default locale), made only when asked for.
TOKENS = {
    "YYYY": lambda w: f"{w.year:04d}",
    "YY": lambda w: f"{w.year % 100:02d}",
    "MMMM": lambda w: w.strftime("%B"),
    "MMM": lambda w: w.strftime("%b"),
    "MM": lambda w: f"{w.month:02d}",
    "M": lambda w: str(w.month),
    "DD": lambda w: f"{w.day:02d}",
    "D": lambda w: str(w.day),
    "dddd": lambda w: w.strftime("%A"),
    "ddd": lambda w: w.strftime("%a"),
    "dd": lambda w: w.strftime("%a")[:2],
    "d": lambda w: str(w.isoweekday() % 7),
    "HH": lambda w: f"{w.hour:02d}",
    "H": lambda w: str(w.hour),
    "hh": lambda w: f"{hour12(w):02d}",
    "h": lambda w: str(hour12(w)),
    "mm": lambda w: f"{w.minute:02d}",
    "m": lambda w: str(w.minute),
    "ss": lambda w: f"{w.second:02d}",
    "s": lambda w: str(w.second),
    "A": lambda w: "AM" if w.hour < 12 else "PM",
    "a": lambda w: "am" if w.hour < 12 else "pm",
}


def token_text(token: str, when: dt.datetime) -> str:
    """One dayjs token's text for a date."""
    return TOKENS[token](when)


def format_date(when: dt.datetime, style: str | None = None) -> str:
    """A date as `date-format` asks (Quarto's `long` when not given)."""
    pattern = STYLES.get(style or DEFAULT, style or STYLES[DEFAULT])
    return TOKEN.sub(lambda m: m.group(1) if m.group(1) is not None else token_text(m.group(0), when), pattern)


def date_style(value, path, line: int | None) -> str | None:
    """A front-matter `date-format`, checked: a style name or a pattern with at least one date token."""
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip() or (value not in STYLES and not TOKEN.search(value)):
        raise FrontMatterError(
            f"`date-format` must be one of {', '.join(STYLES)} or a pattern such as 'MMMM D, YYYY', not {value!r}",
            path,
            line,
        )
    return value
