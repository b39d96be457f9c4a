"""Pandoc's and our Lua filters' warnings about a post, as `path:line: warning: ...` lines.

Pandoc keeps no source positions, so each warning carries a needle (`@fig-x`, the TeX of an
equation) and the line is where that needle appears in the post's file: the n-th warning about
a needle gets its n-th occurrence.
"""

from __future__ import annotations

import re
from pathlib import Path

from coursenotes.errors import CoursenotesError

FILTER_PREFIX = "coursenotes-warning\t"  # written by _extensions/coursenotes/*.lua
# Filters that log through pandoc write `[WARNING] Scripting warning at <file> line N column M: coursenotes: <text>`;
# the first `quoted` token of the text is the needle.
LOGGED = re.compile(r"^\[WARNING\] .*?coursenotes: (.+)$", re.M)
NEEDLE = re.compile(r"`([^`]+)`")
CITATION = re.compile(r"^\[WARNING\] Citeproc: citation (\S+) not found", re.M)
MATH = re.compile(r"^\[WARNING\] Could not convert TeX math\s(.*?), rendering as TeX:\n(.*?)(?=^\S|\Z)", re.M | re.S)
MATH_REASON = re.compile(r"^\s*(unexpected .*|.*(?:expecting|error).*)$", re.M)


class RenderWarning(CoursenotesError):  # noqa: N818 - a warning, printed and never raised
    """Something a post uses that the page cannot show as written; the build still succeeds."""


def parsed(stderr: str) -> list[tuple[str, str]]:
    """(needle, message) for each warning pandoc or a filter wrote."""
    found = []
    for line in stderr.splitlines():
        if line.startswith(FILTER_PREFIX):
            _, needle, message = line.split("\t", 2)
            found.append((needle, message))
    for message in dict.fromkeys(m.strip() for m in LOGGED.findall(stderr)):
        quoted = NEEDLE.search(message)
        found.append((quoted.group(1) if quoted else "", message))
    found += [(f"@{key}", f"citation @{key} is not in the bibliography") for key in CITATION.findall(stderr)]
    for tex, details in MATH.findall(stderr):
        reason = MATH_REASON.search(details)
        first = next((t.strip() for t in tex.splitlines() if t.strip()), tex.strip())
        found.append(
            (
                first,
                f"equation cannot be rendered and is shown as TeX: {first}"
                + (f" ({reason.group(1).strip()})" if reason else ""),
            )
        )
    return found


def needle_lines(text: str, needle: str) -> list[int]:
    """1-based lines where the needle appears (an `@key` only as a whole key), in order."""
    if not needle:
        return []
    pattern = re.escape(needle) + (r"(?![\w:-]*\w)" if needle.startswith("@") else "")
    return [text.count("\n", 0, m.start()) + 1 for m in re.finditer(pattern, text)]


def source_text(source: Path) -> str:
    """The post's file as text, or "" when it cannot be read (the warning then names the file only)."""
    try:
        return source.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def as_warnings(found, source: Path) -> list[RenderWarning]:
    """(needle, message) pairs as warnings naming the post and the line each needle is on."""
    if not found:
        return []  # most posts: their file is not read again
    text, out = source_text(source), []
    seen: dict[str, int] = {}
    for needle, message in found:
        lines = needle_lines(text, needle)
        n = seen[needle] = seen.get(needle, -1) + 1
        line = lines[n] if n < len(lines) else (lines[0] if lines else None)
        out.append(RenderWarning(f"warning: {message}", source, line))
    return out
