"""Minutes to read a post: prose at about 230 words a minute, code counted lighter."""

from __future__ import annotations

import math
import re

from coursenotes.sources.fences import fence_blocks

WORDS_PER_MINUTE = 230
CODE_WEIGHT = 0.5  # readers skim code; a long listing should not double the estimate


def split_prose_code(markdown: str) -> tuple[str, str]:
    """Markdown split into (prose, code) by fenced blocks."""
    prose, code = [], []
    for piece in fence_blocks(markdown):
        if piece[0] == "text":
            prose += piece[1]
        else:
            code += piece[2]
    return "\n".join(prose), "\n".join(code)


def count_words(text: str) -> int:
    """Words in text, ignoring markup punctuation."""
    return len(re.findall(r"[\w'’.-]*\w", text))


def minutes_to_read(prose: str, code: str = "") -> int:
    """Reading time in whole minutes, at least 1."""
    words = count_words(prose) + CODE_WEIGHT * count_words(code)
    return max(1, math.ceil(words / WORDS_PER_MINUTE - 0.25))
