"""The site's own search index: written by the build in plain JSON, updated page by page, read by assets/search.js.

Public names: FOLDER, Index, pages_of (the pages to index), index_site (an updated Index and its files).
"""

from __future__ import annotations

from collections.abc import Sequence

from coursenotes.errors import InternalError
from coursenotes.site.search.docs import doc_id, doc_key, make_doc
from coursenotes.site.search.index import FOLDER, Index, index_files, updated

Fields = tuple[str, str, str, tuple[str, ...], str]  # url, title, date, tags, description


def fields_of(post, dated: bool) -> Fields:
    """What a result shows of a post or page (dates for posts only)."""
    date = post.date.date().isoformat() if dated else ""
    return (post.url, post.title, date, tuple(post.tags), post.description)


def pages_of(posts: Sequence, site_pages: Sequence, bodies: dict) -> dict[str, tuple[Fields, str]]:
    """{page id: (fields, body HTML)} for every published post and page (listings and tag pages are not indexed)."""
    found: dict[str, tuple[Fields, str]] = {}
    undated = {id(p) for p in site_pages}
    for post in [*posts, *site_pages]:
        if post not in bodies or post.meta.get("search") is False:  # Quarto's `search: false` leaves a page out
            continue
        fields = fields_of(post, dated=id(post) not in undated)
        pid = doc_id(fields[0])
        if pid in found:  # two URLs with one 48-bit hash: never seen, but never silently merged either
            raise InternalError(RuntimeError(f"search ids collide for {fields[0]} and {found[pid][0][0]}"), post.source)
        found[pid] = (fields, bodies[post].html)
    return found


def index_site(old: Index, pages: dict[str, tuple[Fields, str]]) -> tuple[Index, dict[str, bytes]]:
    """The index over `pages`, reusing what `old` knows of unchanged ones, and every file it publishes."""
    keys = {pid: doc_key(*fields, body) for pid, (fields, body) in pages.items()}
    tags = {pid: fields[3] for pid, (fields, _) in pages.items()}
    index = updated(old, keys, lambda pid: make_doc(*pages[pid][0], pages[pid][1]), tags)
    return index, index_files(index)


__all__ = ["FOLDER", "Index", "index_site", "pages_of"]
