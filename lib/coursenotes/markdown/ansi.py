"""Terminal text as a reader would have seen it: `\\r` overwrites applied, ANSI colours as HTML spans."""

from __future__ import annotations

import html
import re

SGR = re.compile(r"\x1b\[([0-9;:]*)m")
# Every other escape: CSI (cursor moves, erase line), OSC (titles, hyperlinks), two-byte escapes.
ESCAPE = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[@-Z\\-_])")
ANY_SGR_OR_ESCAPE = re.compile(SGR.pattern + "|" + ESCAPE.pattern)
COLOURS = ("black", "red", "green", "yellow", "blue", "magenta", "cyan", "white")
# JupyterLab's terminal palette. Colours go inline (besides the class) so feeds, which carry
# no site CSS, show them too; mid tones read on light and dark pages alike.
PALETTE = {
    "black": "#3e424d",
    "red": "#e75c58",
    "green": "#00a250",
    "yellow": "#ddb62b",
    "blue": "#208ffb",
    "magenta": "#d160c4",
    "cyan": "#60c6c8",
    "white": "#c5c1b4",
    "black-intense": "#282c36",
    "red-intense": "#b22b31",
    "green-intense": "#007427",
    "yellow-intense": "#b27d12",
    "blue-intense": "#0065ca",
    "magenta-intense": "#a03196",
    "cyan-intense": "#258f8f",
    "white-intense": "#a1a6b2",
}
ATTR_STYLES = {"bold": "font-weight: bold", "italic": "font-style: italic", "underline": "text-decoration: underline"}


def has_ansi(text: str) -> bool:
    """True when text holds escape sequences."""
    return "\x1b" in text


def strip_ansi(text: str) -> str:
    """Text without escape sequences."""
    return ANY_SGR_OR_ESCAPE.sub("", text)


def collapse_line(line: str) -> str:
    """What a terminal shows for one line: the text after the last `\\r`, keeping colour codes set before it."""
    if "\r" not in line:
        return line
    before, _, after = line.rpartition("\r")
    return "".join(m.group(0) for m in SGR.finditer(before)) + after


def collapse(text: str) -> str:
    """Progress-bar text reduced to its final state: `\\r` overwrites the line, backspace erases a character."""
    text = re.sub(r"\r+\n", "\n", text)
    text = "\n".join(collapse_line(line) for line in text.split("\n"))
    while re.search(r"[^\n\x08]\x08", text):
        text = re.sub(r"[^\n\x08]\x08", "", text)
    return text.replace("\x08", "")


def colour_256(n: int) -> tuple[str | None, str | None]:
    """(class colour, css rgb) for an xterm 256-colour index."""
    if n < 8:
        return COLOURS[n], None
    if n < 16:
        return COLOURS[n - 8] + "-intense", None
    if n < 232:
        r, g, b = ((n - 16) // 36, (n - 16) // 6 % 6, (n - 16) % 6)
        return None, "rgb({},{},{})".format(*(0 if v == 0 else 55 + 40 * v for v in (r, g, b)))
    grey = 8 + 10 * (n - 232)
    return None, f"rgb({grey},{grey},{grey})"


class Style:
    """The SGR state: colours (a class name or a css rgb) and text attributes."""

    def __init__(self):
        self.reset()

    def reset(self):
        """Back to plain text."""
        self.fg = self.bg = None  # ("class", "red") or ("css", "rgb(...)")
        self.bold = self.italic = self.underline = self.inverse = False

    def colour(self, params: list[int], i: int) -> tuple[tuple | None, int]:
        """An extended colour (38/48;5;n or 38/48;2;r;g;b) starting at params[i]; returns it and the next index."""
        if i + 1 < len(params) and params[i + 1] == 5 and i + 2 < len(params):
            name, css = colour_256(params[i + 2])
            return (("class", name) if name else ("css", css)), i + 3
        if i + 1 < len(params) and params[i + 1] == 2 and i + 4 < len(params):
            return ("css", "rgb({},{},{})".format(*params[i + 2 : i + 5])), i + 5
        return None, len(params)

    def apply(self, codes: str):
        """Update the state from one SGR parameter string such as `1;31`."""
        params = [int(p) if p.isdigit() else 0 for p in re.split(r"[;:]", codes)] if codes else [0]
        i = 0
        while i < len(params):
            p = params[i]
            i += 1
            if p == 0:
                self.reset()
            elif p == 1:
                self.bold = True
            elif p == 3:
                self.italic = True
            elif p == 4:
                self.underline = True
            elif p == 7:
                self.inverse = True
            elif p == 22:
                self.bold = False
            elif p == 23:
                self.italic = False
            elif p == 24:
                self.underline = False
            elif p == 27:
                self.inverse = False
            elif 30 <= p <= 37:
                self.fg = ("class", COLOURS[p - 30])
            elif 90 <= p <= 97:
                self.fg = ("class", COLOURS[p - 90] + "-intense")
            elif 40 <= p <= 47:
                self.bg = ("class", COLOURS[p - 40])
            elif 100 <= p <= 107:
                self.bg = ("class", COLOURS[p - 100] + "-intense")
            elif p == 39:
                self.fg = None
            elif p == 49:
                self.bg = None
            elif p in (38, 48):
                value, i = self.colour(params, i - 1)
                if p == 38:
                    self.fg = value
                else:
                    self.bg = value

    def span(self) -> tuple[str, str]:
        """The opening and closing tags for text in this state (empty for plain text)."""
        fg, bg = (self.bg, self.fg) if self.inverse else (self.fg, self.bg)
        classes, styles = [], []
        for value, kind, prop in ((fg, "fg", "color"), (bg, "bg", "background-color")):
            if value and value[0] == "class":
                classes.append(f"ansi-{value[1]}-{kind}")
            if value:
                styles.append(f"{prop}: {PALETTE[value[1]] if value[0] == 'class' else value[1]}")
        for name in ("bold", "italic", "underline"):
            if getattr(self, name):
                classes.append(f"ansi-{name}")
                styles.append(ATTR_STYLES[name])
        if not styles:
            return "", ""
        cls = f' class="{" ".join(classes)}"' if classes else ""
        return f'<span{cls} style="{"; ".join(styles)}">', "</span>"


def to_html(text: str) -> str:
    """Terminal text as escaped HTML with colour spans; unknown escapes are dropped."""
    text, style, out, pos = ESCAPE.sub(lambda m: m.group(0) if SGR.fullmatch(m.group(0)) else "", text), Style(), [], 0
    for m in [*SGR.finditer(text), None]:
        chunk = text[pos : m.start() if m else len(text)]
        if chunk:
            open_tag, close_tag = style.span()
            out.append(open_tag + html.escape(chunk, quote=False) + close_tag)
        if m is None:
            break
        style.apply(m.group(1))
        pos = m.end()
    return "".join(out)
