"""Notes for Quarto options a post uses that the build ignores: `path:line: message`, so nothing is dropped unsaid."""
from __future__ import annotations

import re

from coursenotes.errors import display_path
from coursenotes.htmlopts import format_html

# pandoc writes a filter's `pandoc.log.warn` as `[WARNING] Scripting warning at <file> line N column M: <text>`.
FILTER_WARNING = re.compile(r"^\[WARNING\] .*?coursenotes: (.+)$", re.M)
NEEDLE = re.compile(r"`([^`]+)`")
# Page-wide HTML options of Quarto's that this build does not draw, and what happens instead.
UNSUPPORTED_OPTIONS = {
    "code-tools": "is not supported: the page has no code-tools menu",
    "code-link": "is not supported: code is not linked to documentation",
    "code-annotations": "is not supported: annotation markers stay in the code",
    "reference-location": "is not supported: footnotes stay at the end of the post",
    "cap-location": "is not supported: captions stay below their figure or table",
    "fig-cap-location": "is not supported: captions stay below their figure",
    "lightbox": "is not supported: images do not open in a lightbox",
}


def filter_warnings(stderr: str) -> tuple[str, ...]:
    """The messages our Lua filters logged in one pandoc run, in order, without repeats."""
    return tuple(dict.fromkeys(m.strip() for m in FILTER_WARNING.findall(stderr)))


def where(post, line: int | None) -> str:
    """`path:line` (or `path`) for a note about a post."""
    return f"{display_path(post.source)}:{line}" if line else display_path(post.source)


def body_line(post, message: str) -> int | None:
    """The first line of the post's file that shows the message's `quoted` token, if it can be found."""
    raw, needle = post.raw, NEEDLE.search(message)
    if raw is None or needle is None or not raw.body: return None
    for i, text in enumerate(raw.body.splitlines()):
        if needle.group(1) in text: return raw.body_line + i
    return None


def option_notes(post) -> list[str]:
    """Notes for unsupported page options in the post's front matter (top level or `format: html:`)."""
    notes, lines = [], post.raw.key_lines if post.raw else {}
    for layer, line_key in ((post.meta, None), (format_html(post.meta), "format")):
        for key, why in UNSUPPORTED_OPTIONS.items():
            if key in layer: notes.append(f"{where(post, lines.get(line_key or key))}: `{key}` {why}")
    return notes


def post_notes(post, warnings: tuple[str, ...]) -> list[str]:
    """Every note for one post: its front matter's unsupported options, then what the filters reported, in line order."""
    located = sorted(((body_line(post, w), w) for w in warnings), key=lambda lw: lw[0] or float("inf"))
    return option_notes(post) + [f"{where(post, line)}: {w}" for line, w in located]


def site_notes(config_path, site: dict) -> list[str]:
    """Notes for unsupported page options set for the whole site in `_quarto.yml`."""
    layers = (site, format_html(site))
    return [f"{display_path(config_path)}: `{key}` {why}" for key, why in UNSUPPORTED_OPTIONS.items()
            if any(key in layer for layer in layers)]
