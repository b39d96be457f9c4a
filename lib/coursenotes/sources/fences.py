"""Fenced code blocks in Markdown: where they open and close, and a fence long enough to wrap any text."""

from __future__ import annotations

import re

OPEN = re.compile(r"^(?P<indent> {0,3})(?P<fence>`{3,}|~{3,})\s*(?P<info>.*?)\s*$")
BACKTICK_RUN = re.compile(r"^ {0,3}(`{3,})", re.M)


def fence_blocks(body: str):
    """Yield ('text', lines, start) and ('fence', info, lines, start) pieces of a Markdown body."""
    lines, i, start = body.splitlines(), 0, 0
    while i < len(lines):
        m = OPEN.match(lines[i])
        if not m:
            i += 1
            continue
        fence = m.group("fence")
        close = next(
            (
                j
                for j in range(i + 1, len(lines))
                if lines[j].strip().startswith(fence) and set(lines[j].strip()) == {fence[0]}
            ),
            len(lines),
        )
        if i > start:
            yield "text", lines[start:i], start
        yield "fence", m.group("info"), lines[i + 1 : close], i
        i = start = close + 1
    if start < len(lines):
        yield "text", lines[start:], start


def ticks_for(text: str) -> str:
    """A backtick fence longer than any fence-like run inside text."""
    runs = [len(m.group(1)) for m in BACKTICK_RUN.finditer(text)]
    return "`" * max(3, 1 + max(runs, default=0))
