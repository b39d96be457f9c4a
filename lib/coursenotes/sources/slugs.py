"""URL slugs for posts and tags: safe for any text, readable for the usual ones (`fast.ai`)."""

from __future__ import annotations

import hashlib
import re
import unicodedata

DATE_PREFIX = re.compile(r"^(\d{4}-\d{2}-\d{2})-(.+)$")
WORDS = {"+": "-plus-", "#": "-sharp-", "&": "-and-", "@": "-at-"}
# A slug names a folder: file systems refuse names over 255 bytes, and a URL that long helps nobody.
# Longer slugs keep their start and end with a hash of the whole text, so they stay unique.
MAX_SLUG = 80


def slugify(text: str) -> str:
    """Lower-case ASCII letters, digits, `.`, `_` and `-`; a stable hash when nothing else is left."""
    s = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode().lower()
    for ch, word in WORDS.items():
        s = s.replace(ch, word)
    s = re.sub(r"[^a-z0-9._-]+", "-", s)
    s = re.sub(r"\.{2,}", ".", re.sub(r"[-.]*-[-.]*", "-", s))  # `../` and `-.-` runs become one dash
    if re.match(r"^\.[a-z0-9]", s):
        s = "dot-" + s[1:]  # `.NET`: a leading dot would hide the folder
    s = s.strip("-.")
    if len(s) > MAX_SLUG:
        s = s[: MAX_SLUG - 9].rstrip("-.") + "-" + hashlib.sha1(str(text).encode()).hexdigest()[:8]
    return s or "t-" + hashlib.sha1(str(text).encode()).hexdigest()[:8]


def split_date_prefix(name: str) -> tuple[str | None, str]:
    """(`YYYY-MM-DD`, rest) for a dated name, else (None, name)."""
    m = DATE_PREFIX.match(name)
    return (m.group(1), m.group(2)) if m else (None, name)
