"""The home page's listing as Quarto reads it from index.qmd's `listing:`: contents, sort, type, fields, pages."""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from coursenotes.errors import ConfigError, CoursenotesError
from coursenotes.sources import Post, read_source

TYPES = ("default", "grid", "table")
# Quarto's default fields for a listing (https://quarto.org/docs/websites/website-listings.html#listing-fields).
FIELDS = ("image", "date", "title", "subtitle", "author", "description", "reading-time", "categories")
SORTABLE = {"date", "title", "author", "reading-time", "filename", "file-modified", "description"}
PAGE_SIZE = 50  # `page-size` when index.qmd gives none


@dataclass(frozen=True)
class Listing:
    """The listing options a blog's index.qmd uses, checked."""

    contents: tuple[str, ...] = ("posts",)
    sort: tuple[tuple[str, bool], ...] = (("date", True),)  # (field, descending)
    type: str = "default"
    fields: tuple[str, ...] = FIELDS
    page_size: int = PAGE_SIZE
    categories: bool = True
    feed: bool = True


def sort_keys(value, path: Path, line: int | None) -> tuple[tuple[str, bool], ...]:
    """Quarto's `sort`: `false`, "field", "field desc", or a list of them."""
    if value is False:
        return ()
    items = value if isinstance(value, list) else [value]
    keys = []
    for item in items:
        field, _, order = str(item).strip().partition(" ")
        if field not in SORTABLE or order.strip() not in ("", "asc", "desc"):
            raise ConfigError(
                f"listing `sort: {item}`: use one of {', '.join(sorted(SORTABLE))}, then asc|desc", path, line
            )
        keys.append((field, order.strip() == "desc"))
    return tuple(keys)


def read_listing(root: Path) -> Listing:
    """The options of the first listing in root/index.qmd; defaults when there is none."""
    path = root / "index.qmd"
    if not path.is_file():
        return Listing()
    src = read_source(path)
    raw, line = src.meta.get("listing"), src.key_lines.get("listing")
    raw = raw[0] if isinstance(raw, list) and raw else raw
    if not isinstance(raw, dict):
        return Listing()
    kind = str(raw.get("type", "default"))
    if kind not in TYPES:
        raise ConfigError(f"listing `type: {kind}`: use one of {', '.join(TYPES)}", path, line)
    size = raw.get("page-size", PAGE_SIZE)
    if isinstance(size, bool) or not isinstance(size, int) or size < 1:
        raise ConfigError(f"listing `page-size` must be a positive whole number, not {size!r}", path, line)
    contents = raw.get("contents", "posts")
    fields = raw.get("fields", list(FIELDS))
    return Listing(
        contents=tuple(str(c) for c in (contents if isinstance(contents, list) else [contents])),
        sort=sort_keys(raw.get("sort", "date desc"), path, line),
        type=kind,
        fields=tuple(str(f) for f in fields) if isinstance(fields, list) else FIELDS,
        page_size=size,
        categories=raw.get("categories", True) is not False,
        feed=raw.get("feed", True) is not False,
    )


def matches(post: Post, root: Path, pattern: str) -> bool:
    """Whether a `contents` entry names the post: a folder, a glob, or a YAML items file (all posts)."""
    if pattern.endswith((".yml", ".yaml")):
        return True  # our own pre-render writes posts-listing.yml for Quarto: it lists every post
    rel = post.source.relative_to(root).as_posix() if post.source.is_relative_to(root) else post.source.as_posix()
    pattern = pattern.removeprefix("./").removeprefix("/").rstrip("/")
    return rel.startswith(pattern + "/") or fnmatch.fnmatch(rel, pattern) or fnmatch.fnmatch(rel, pattern + "/*")


def sort_value(post: Post, field: str):
    """A post's value for one sort field."""
    return {
        "date": post.date.timestamp(),
        "title": post.title.lower(),
        "author": post.author.lower(),
        "reading-time": post.time_to_read,
        "filename": post.source.name,
        "file-modified": post.source.stat().st_mtime,
        "description": post.description.lower(),
    }[field]


def listed(posts: list[Post], root: Path, listing: Listing) -> list[Post]:
    """The posts the listing shows, in its order (title breaks ties so the order is stable)."""
    chosen = [p for p in posts if any(matches(p, root, c) for c in listing.contents if not c.startswith("!"))]
    chosen = [p for p in chosen if not any(matches(p, root, c[1:]) for c in listing.contents if c.startswith("!"))]
    chosen.sort(key=lambda p: p.title.lower())
    for field, desc in reversed(listing.sort):
        chosen.sort(key=partial(sort_value, field=field), reverse=desc)
    return chosen


def page_url(number: int) -> str:
    """Page 1 of the listing is the home page; the rest are /page/<n>/."""
    return "/" if number == 1 else f"/page/{number}/"


def paginate(posts: list[Post], size: int) -> list[list[Post]]:
    """The listing cut into pages of `size` (one empty page when there are no posts)."""
    return [posts[i : i + size] for i in range(0, len(posts), size)] or [[]]


def listing_problems(root: Path) -> list[CoursenotesError]:
    """The listing's option errors, for `check`."""
    try:
        read_listing(root)
    except CoursenotesError as e:
        return [e]
    return []
