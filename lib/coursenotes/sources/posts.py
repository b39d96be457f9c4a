"""Discover posts under posts/ and read each one's front matter into a Post."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from coursenotes.errors import CoursenotesError, FrontMatterError, PostError
from coursenotes.sources.frontmatter import Source, cell_text, read_source
from coursenotes.sources.readtime import minutes_to_read, split_prose_code
from coursenotes.sources.slugs import slugify, split_date_prefix

EXTENSIONS = (".qmd", ".md", ".ipynb")


@dataclass(frozen=True)
class Post:
    """One post: where it lives, what its front matter says, and its body."""

    source: Path  # posts/<slug>/index.qmd or posts/<slug>.md
    slug: str  # URL name: /posts/<slug>/
    title: str
    date: dt.datetime
    description: str = ""
    tags: tuple[str, ...] = ()
    draft: bool = False
    time_to_read: int = 1
    author: str = ""
    image: str = ""
    meta: dict = field(default_factory=dict, compare=False, repr=False)
    raw: Source = field(kw_only=True, compare=False, repr=False)

    @property
    def url(self) -> str:
        return f"/posts/{self.slug}/"

    @property
    def folder(self) -> Path | None:
        """The post's own folder (assets live beside it), or None for a single-file post."""
        return self.source.parent if self.source.stem == "index" else None

    @property
    def kind(self) -> str:
        return self.source.suffix.lstrip(".")


def find_sources(posts_dir: Path) -> list[Path]:
    """Post files: posts/<slug>/index.{qmd,md,ipynb} and posts/<slug>.{qmd,md,ipynb}, sorted."""
    if not posts_dir.is_dir():
        return []
    found = []
    for entry in sorted(posts_dir.iterdir()):
        if entry.name.startswith((".", "_")):
            continue
        if entry.is_file() and entry.suffix in EXTENSIONS:
            found.append(entry)
        elif entry.is_dir():
            found += [entry / f"index{ext}" for ext in EXTENSIONS if (entry / f"index{ext}").is_file()]
    return found


def parse_date(value, path: Path, line: int | None) -> dt.datetime:
    """A front-matter date (YYYY-MM-DD, ISO datetime, or Quarto's today/now/last-modified)."""
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None) if value.tzinfo is None else value
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day)
    text = str(value).strip()
    if text in ("today", "now"):
        return dt.datetime.now().replace(microsecond=0)
    if text == "last-modified":
        return dt.datetime.fromtimestamp(int(os.path.getmtime(path)))
    try:
        return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise FrontMatterError(
            f"bad date {text!r}: use YYYY-MM-DD or an ISO datetime such as 2024-09-21T11:30:00", path, line
        ) from None


def as_list(value, key: str, path: Path, line: int | None) -> list[str]:
    """A string or list of strings from front matter, as a list."""
    if value is None:
        return []
    if isinstance(value, (str, int, float)):
        return [str(value)]
    if isinstance(value, list) and all(isinstance(v, (str, int, float)) for v in value):
        return [str(v) for v in value]
    raise FrontMatterError(f"`{key}` must be a string or a list of strings", path, line)


def merge_tags(*lists: list[str]) -> tuple[str, ...]:
    """Tags in order of first appearance, duplicates (same slug) dropped."""
    seen, out = set(), []
    for tag in (t.strip() for lst in lists for t in lst):
        if tag and slugify(tag) not in seen:
            seen.add(slugify(tag))
            out.append(tag)
    return tuple(out)


def is_draft(meta: dict) -> bool:
    """`draft: true` or `published: false` (fastpages/Jekyll style)."""
    return meta.get("draft") is True or meta.get("published") is False


def body_markdown(src: Source) -> str:
    """All the text a reader sees, for the reading-time estimate."""
    if src.notebook is None:
        return src.body
    parts = []
    for cell in src.notebook.get("cells", []):
        text = cell_text(cell)
        parts.append(f"```\n{text}\n```" if cell.get("cell_type") == "code" else text)
    return "\n\n".join(parts)


def reading_minutes(meta: dict, src: Source) -> int:
    """`time_to_read` from front matter, else an estimate from the body."""
    value, line = meta.get("time_to_read"), src.key_lines.get("time_to_read")
    if value is None:
        return minutes_to_read(*split_prose_code(body_markdown(src)))
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
        raise FrontMatterError(f"`time_to_read` must be a positive number of minutes, not {value!r}", src.path, line)
    return max(1, round(value))


def post_name(path: Path) -> str:
    """The name a slug comes from: the folder for index files, else the file stem."""
    return path.parent.name if path.stem == "index" else path.stem


def read_post(path: Path) -> Post:
    """A Post from its source file; FrontMatterError/PostError say what is wrong and where."""
    src = read_source(path)
    meta, lines = src.meta, src.key_lines
    title = meta.get("title")
    if title is None or not str(title).strip():
        raise FrontMatterError("missing `title` in front matter", path, 1 if src.notebook is None else None)
    prefix, name = split_date_prefix(post_name(path))
    if meta.get("date") is not None:
        date = parse_date(meta["date"], path, lines.get("date"))
    elif prefix:
        date = parse_date(prefix, path, None)
    else:
        date = dt.datetime.fromtimestamp(int(os.path.getmtime(path)))
    tags = merge_tags(
        as_list(meta.get("tags"), "tags", path, lines.get("tags")),
        as_list(meta.get("categories"), "categories", path, lines.get("categories")),
    )
    return Post(
        source=path,
        slug=slugify(name),
        title=str(title).strip(),
        date=date,
        description=str(meta.get("description") or "").strip(),
        tags=tags,
        draft=is_draft(meta),
        time_to_read=reading_minutes(meta, src),
        author=str(meta.get("author") or ""),
        image=str(meta.get("image") or ""),
        meta=meta,
        raw=src,
    )


def check_unique(posts: list[Post]) -> list[CoursenotesError]:
    """An error for every post whose slug another post already has."""
    first: dict[str, Post] = {}
    errors: list[CoursenotesError] = []
    for post in posts:
        if post.slug in first:
            errors.append(
                PostError(f"duplicate slug {post.slug!r}: also used by {first[post.slug].source}", post.source)
            )
        else:
            first[post.slug] = post
    return errors


def discover(posts_dir: Path, read: Callable[[Path], Post] | None = None) -> tuple[list[Post], list[CoursenotesError]]:
    """Every post that reads cleanly, and every problem found: one bad post never hides the others.

    `read` replaces read_post (an incremental build passes one that remembers unchanged files)."""
    posts, errors = [], []
    for path in find_sources(posts_dir):
        try:
            posts.append((read or read_post)(path))
        except CoursenotesError as e:
            errors.append(e)
    errors += check_unique(posts)
    return posts, errors
