"""Images in a rendered post: alt text where the author gave none, and the image to share the post with."""

from __future__ import annotations

import html
import re

IMG = re.compile(r"<img\b[^>]*>", re.I)
ALT = re.compile(r"""\salt\s*=\s*(["'])(.*?)\1""", re.I | re.S)
SRC = re.compile(r"""\ssrc\s*=\s*(["'])(.*?)\1""", re.I | re.S)
HASH_NAME = re.compile(r"^[0-9a-f]{8,}$|^(?:output|cell|image|img|fig(?:ure)?)[-_]?\d*$", re.I)


def describe(src: str) -> str:
    """Words from an image's file name (`training-loss.png` -> `training loss`); '' for hashes and generic names."""
    stem = src.rsplit("/", 1)[-1].split("?", 1)[0].rsplit(".", 1)[0]
    if HASH_NAME.match(stem) or src.startswith("data:"):
        return ""
    return re.sub(r"[-_\s]+", " ", stem).strip()


def fill_alt(body: str) -> str:
    """Give every <img> an alt: the file name's words, else empty (announced as decorative, never as the file name)."""

    def fix(m):
        tag = m.group(0)
        if ALT.search(tag):
            return tag
        src = SRC.search(tag)
        alt = html.escape(describe(html.unescape(src.group(2))) if src else "", quote=True)
        return re.sub(r"^<img\b", f'<img alt="{alt}"', tag, flags=re.I)

    return IMG.sub(fix, body)


def first_image(body: str) -> str:
    """The src of the first image in a post body (for og:image when front matter names none), or ''."""
    for tag in IMG.findall(body):
        src = SRC.search(tag)
        if src and not src.group(2).startswith("data:"):
            return html.unescape(src.group(2))
    return ""
