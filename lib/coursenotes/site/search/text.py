"""A rendered body as the words a reader sees, and those words as search terms (the browser splits queries alike)."""

from __future__ import annotations

import html
import re
import unicodedata
from functools import cache

from coursenotes.site.search.marks import MARK_RANGES

# Not read as prose: code that runs, styles, drawn diagrams (their source stays as text), TeX kept for MathML.
HIDDEN = re.compile(r"<(script|style|svg|template|annotation)\b.*?</\1\s*>", re.S | re.I)
TAG = re.compile(r"<[^>]*>")
# Chinese, Japanese and Korean are written without spaces: a run of them is indexed as overlapping pairs.
CJK = re.compile(r"([\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]+)")
ASCII_WORD = re.compile(r"[a-z0-9]+")  # the word pattern's matches in lower-cased ASCII text
NOT_ASCII = re.compile(r"[^\x00-\x7f]")
LONGEST = 40  # longer "words" are hashes, base64 and the like: nobody searches for them


def visible_text(fragment: str) -> str:
    """The text of an HTML fragment, one space between words."""
    return " ".join(html.unescape(TAG.sub(" ", HIDDEN.sub(" ", fragment))).split())


@cache
def word_pattern() -> re.Pattern:
    """Letters, digits and combining marks (Unicode's L, N and M, as search.js matches them): Hindi stays whole."""
    marks = "".join(f"{re.escape(chr(lo))}-{re.escape(chr(hi))}" for lo, hi in MARK_RANGES)
    return re.compile(f"(?:[^\\W_]|[{marks}])+")


def terms(text: str) -> list[str]:
    """The search terms of a text, in order (repeats kept: they weigh)."""
    normal = unicodedata.normalize("NFKC", text).lower()
    if all(not word_pattern().match(ch) for ch in set(NOT_ASCII.findall(normal))):
        # Every letter is ASCII (other characters are punctuation: quotes, dashes, arrows): the words
        # are the ASCII runs, found ten times faster than with the Unicode pattern.
        return [w for w in ASCII_WORD.findall(normal) if len(w) <= LONGEST]
    words = word_pattern().findall(normal)
    if not CJK.search(normal):  # most pages: every word is whole (splitting each word on CJK runs was a third)
        return [w for w in words if len(w) <= LONGEST]
    found = []
    for word in words:
        for i, part in enumerate(CJK.split(word)):
            if not part:
                continue
            if i % 2 == 0:
                if len(part) <= LONGEST:
                    found.append(part)
            elif len(part) == 1:
                found.append(part)
            else:
                found.extend(part[j : j + 2] for j in range(len(part) - 1))
    return found


def shard_of(term: str) -> str:
    """The index file a term lives in: its first two characters, as hex of their UTF-8 (a safe file name)."""
    return term[:2].encode().hex()
