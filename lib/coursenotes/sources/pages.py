"""Site pages beyond posts: top-level .qmd/.md/.ipynb files such as about.qmd, read like posts."""

from __future__ import annotations

import fnmatch
from dataclasses import replace
from pathlib import Path

from coursenotes.errors import CoursenotesError, PostError
from coursenotes.sources.discovery import EXTENSIONS, hidden
from coursenotes.sources.posts import Post, read_post
from coursenotes.sources.slugs import slugify

# The home page and the 404 page are ours (index.qmd and 404.qmd only tell Quarto how to make them);
# a repository's README/LICENSE/CHANGELOG describe the repository, not the site.
NOT_PAGES = ("index", "404", "readme", "license", "changelog", "contributing")
RESERVED = ("posts", "tags", "archive", "search", "page", "assets", "execution")  # the site's own URLs


def rendered(name: str, render: tuple[str, ...]) -> bool:
    """Whether `project: render:` (when given) includes a top-level file; Quarto renders every file otherwise."""
    if not render:
        return True
    included = [g.lstrip("/") for g in render if not g.startswith("!")]
    excluded = [g[1:].lstrip("/") for g in render if g.startswith("!")]
    return any(fnmatch.fnmatch(name, g) for g in included) and not any(fnmatch.fnmatch(name, g) for g in excluded)


def find_pages(root: Path, render: tuple[str, ...] = ()) -> list[Path]:
    """Top-level source files that are pages of the site, sorted."""
    return [
        p
        for p in sorted(root.iterdir())
        if p.is_file()
        and p.suffix in EXTENSIONS
        and not hidden(p.name)
        and p.stem.lower() not in NOT_PAGES
        and rendered(p.name, render)
    ]


def page_url(path: Path) -> str:
    """A page's URL: a folder like the posts' (`about.qmd` -> /about/); /about.html redirects there."""
    return f"/{slugify(path.stem)}/"


def read_page(path: Path, root: Path) -> Post:
    """A page as a Post value (so it runs and renders like one) with its own URL."""
    post = read_post(path, root)
    return replace(post, slug=f"page--{slugify(path.stem)}", url_path=page_url(path), tags=(), draft=False)


def discover_pages(root: Path, render: tuple[str, ...] = ()) -> tuple[list[Post], list[CoursenotesError]]:
    """Every page that reads cleanly, and the problems of the others."""
    pages: list[Post] = []
    errors: list[CoursenotesError] = []
    for path in find_pages(root, render):
        if slugify(path.stem) in RESERVED:
            errors.append(PostError(f"a page at {page_url(path)} would replace the site's own: rename the file", path))
            continue
        try:
            pages.append(read_page(path, root))
        except CoursenotesError as e:
            errors.append(e)
    return pages, errors
