"""Group posts for listings: by tag (most used first) and by year."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import groupby

from coursenotes.sources import Post, slugify


@dataclass(frozen=True)
class Tag:
    """A tag as readers see it: its text, URL slug and posts (newest first)."""

    name: str
    slug: str
    posts: tuple[Post, ...]

    @property
    def url(self) -> str:
        return f"/tags/{self.slug}/"


def newest_first(posts: list[Post]) -> list[Post]:
    """Posts sorted by date, newest first; ties by title so the order is stable."""
    return sorted(sorted(posts, key=lambda p: p.title.lower()), key=lambda p: p.date.timestamp(), reverse=True)


def tags_of(posts: list[Post]) -> list[Tag]:
    """Every tag with its posts, most used first, then alphabetical."""
    by_slug: dict[str, list] = {}
    for post in newest_first(posts):
        for name in post.tags:
            by_slug.setdefault(slugify(name), [name, []])[1].append(post)
    tags = [Tag(name, slug, tuple(ps)) for slug, (name, ps) in by_slug.items()]
    return sorted(tags, key=lambda t: (-len(t.posts), t.name.lower()))


def by_year(posts: list[Post]) -> list[tuple[int, list[Post]]]:
    """(year, posts) groups, newest year first."""
    return [(year, list(ps)) for year, ps in groupby(newest_first(posts), key=lambda p: p.date.year)]
