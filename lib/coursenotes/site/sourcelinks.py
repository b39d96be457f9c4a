"""Links written to source files (`../other/index.qmd`, `about.qmd`) lead to the pages made from them, as in Quarto."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from urllib.parse import unquote

from coursenotes.files import resolved
from coursenotes.render import Fragment
from coursenotes.sources import Post
from coursenotes.urls import is_beside_page, relative_link

HREF = re.compile(r"""(<a\b[^>]*?\shref=)(["'])([^"']+)\2""", re.I)
SOURCE = re.compile(r"\.(?:qmd|ipynb|md)$")


def source_urls(pages: list[Post]) -> dict[Path, str]:
    """Each source file (resolved) and the URL of its page."""
    return {resolved(p.source): p.url for p in pages}


def link_sources(page: Post, html: str, urls: dict[Path, str]) -> str:
    """The page's HTML with links to known source files pointing at their pages (fragments kept)."""

    def fix(m: re.Match) -> str:
        ref = m.group(3)
        path, hash_, fragment = ref.partition("#")
        if not SOURCE.search(path) or not is_beside_page(path):
            return m.group(0)
        url = urls.get((page.source.parent / unquote(path)).resolve())
        if url is None:
            return m.group(0)
        return f"{m.group(1)}{m.group(2)}{relative_link(page.url, url)}{hash_}{fragment}{m.group(2)}"

    return HREF.sub(fix, html)


def linked_bodies(pages: list[Post], bodies: dict[Post, Fragment]) -> dict[Post, Fragment]:
    """Every body with its source links resolved."""
    urls, linked = source_urls(pages), {id(p) for p in pages}  # by identity: comparing Posts field by field is slow
    return {p: replace(b, html=link_sources(p, b.html, urls)) if id(p) in linked else b for p, b in bodies.items()}
