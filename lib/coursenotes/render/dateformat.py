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


def token_text(token: str, when: dt.datetime) -> str:
    """One dayjs token's text for a date (English names, as Quarto's default locale)."""
    hour12 = when.hour % 12 or 12
    table = {
        "YYYY": f"{when.year:04d}",
        "YY": f"{when.year % 100:02d}",
        "MMMM": when.strftime("%B"),
        "MMM": when.strftime("%b"),
        "MM": f"{when.month:02d}",
        "M": str(when.month),
        "DD": f"{when.day:02d}",
        "D": str(when.day),
        "dddd": when.strftime("%A"),
        "ddd": when.strftime("%a"),
        "dd": when.strftime("%a")[:2],
        "d": str(when.isoweekday() % 7),
        "HH": f"{when.hour:02d}",
        "H": str(when.hour),
        "hh": f"{hour12:02d}",
        "h": str(hour12),
        "mm": f"{when.minute:02d}",
        "m": str(when.minute),
        "ss": f"{when.second:02d}",
        "s": str(when.second),
        "A": "AM" if when.hour < 12 else "PM",
        "a": "am" if when.hour < 12 else "pm",
    }
    return table[token]


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
