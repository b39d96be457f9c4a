"""Discover posts under posts/ and read each one's front matter into a Post."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from coursenotes.errors import CoursenotesError, FrontMatterError, InternalError, PostError, display_path
from coursenotes.files import forget_folders
from coursenotes.sources.discovery import find_sources, post_key, url_name
from coursenotes.sources.frontmatter import Source, cell_text, read_source
from coursenotes.sources.metadata import inherited, merge
from coursenotes.sources.paths import check_inside
from coursenotes.sources.readtime import minutes_to_read, split_prose_code
from coursenotes.sources.shortcodes import expand_source
from coursenotes.sources.slugs import slugify, split_date_prefix
from coursenotes.sources.typed import as_list, check_flags, naive_utc

NO_TITLE = "no front matter and no `# heading` to take a title from: start the file with `---`, `title: ...`, `---`"


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
    display: object = field(default=None, compare=False, repr=False)  # render.display.Display, set by the build
    url_path: str = field(default="", kw_only=True)  # "" = /posts/<slug>/; a name under posts/; or a site path "/x/"

    @property
    def url(self) -> str:
        if self.url_path.startswith("/"):
            return self.url_path
        return f"/posts/{self.url_path or self.slug}/"

    @property
    def folder(self) -> Path | None:
        """The post's own folder (assets live beside it), or None for a single-file post."""
        return self.source.parent if self.source.stem == "index" else None

    @property
    def kind(self) -> str:
        return self.source.suffix.lstrip(".")


def parse_date(value, path: Path, line: int | None) -> dt.datetime:
    """A front-matter date (YYYY-MM-DD, ISO datetime, or Quarto's today/now/last-modified)."""
    if isinstance(value, dt.datetime):
        return naive_utc(value)
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day)
    text = str(value).strip()
    if text in ("today", "now"):
        return dt.datetime.now().replace(microsecond=0)
    if text == "last-modified":
        return dt.datetime.fromtimestamp(int(os.path.getmtime(path)))
    try:
        return naive_utc(dt.datetime.fromisoformat(text.replace("Z", "+00:00")))
    except ValueError:
        raise FrontMatterError(
            f"bad date {text!r}: use YYYY-MM-DD or an ISO datetime such as 2024-09-21T11:30:00", path, line
        ) from None


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


def read_post(path: Path, posts_dir: Path | None = None, urls: str = "slug") -> Post:
    """A Post from its source file; FrontMatterError/PostError say what is wrong and where."""
    posts_dir = posts_dir or (path.parent.parent if path.stem == "index" else path.parent)
    src = read_source(path)
    folder_meta, _ = inherited(posts_dir, path)
    # _metadata.yml first, then the shortcodes: `{{< meta >}}` sees the merged front matter, as in Quarto.
    src = expand_source(dataclasses.replace(src, meta=merge(folder_meta, src.meta)))
    meta, lines = src.meta, src.key_lines
    check_flags(meta, lines, path)
    title = meta.get("title")
    if title is None or not str(title).strip():
        if not src.front and src.notebook is None:
            raise FrontMatterError(NO_TITLE, path, 1)
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
    named = url_name(posts_dir, path, urls)
    return Post(
        source=path,
        slug=slugify(name) if urls == "slug" else post_key(named),
        title=str(title).strip(),
        date=date,
        description=str(meta.get("description") or "").strip(),
        tags=tags,
        draft=is_draft(meta),
        time_to_read=reading_minutes(meta, src),
        author=authors(meta.get("author")),
        image=str(meta.get("image") or ""),
        meta=meta,
        raw=src,
        url_path="" if urls == "slug" else named,
    )


def authors(value) -> str:
    """Quarto's `author`: a name, a mapping with `name`, or a list of either, as one line."""
    items = value if isinstance(value, list) else [value] if value else []
    names = [str(a.get("name") or "") if isinstance(a, dict) else str(a) for a in items]
    return ", ".join(n for n in names if n)


def check_unique(posts: list[Post], urls: str = "slug") -> list[CoursenotesError]:
    """An error for every post whose URL another post already has, naming both files and both ways out."""
    first: dict[str, Post] = {}
    errors: list[CoursenotesError] = []
    for post in posts:
        other = first.get(post.url) or first.get(post.slug)
        if other is None:
            first[post.url] = first[post.slug] = post
            continue
        fix = "rename one of them (or its folder)"
        if urls == "slug":
            fix += ", or keep dates and folders in URLs with `coursenotes: {urls: path}` in _quarto.yml"
        errors.append(
            PostError(
                f"duplicate URL {post.url}: {display_path(post.source)} and {display_path(other.source)} "
                f"would both be published there; {fix}",
                post.source,
            )
        )
    return errors


def discover(
    posts_dir: Path, urls: str = "slug", read: Callable[..., Post] | None = None
) -> tuple[list[Post], list[CoursenotesError]]:
    """Every post that reads cleanly, and every problem found: one bad post never hides the others.

    `read` replaces read_post (an incremental build passes one that remembers unchanged files)."""
    posts, errors = [], []
    forget_folders()  # folders are resolved afresh each build: a folder may have become a symlink
    for path in find_sources(posts_dir):
        try:
            check_inside(path, posts_dir.parent)
            posts.append((read or read_post)(path, posts_dir, urls))
        except CoursenotesError as e:
            errors.append(e)
        except Exception as e:  # a bug on this file: name it and read the others
            errors.append(InternalError(e, path))
    errors += check_unique(posts, urls)
    return posts, errors
