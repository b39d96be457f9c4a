"""`coursenotes check --explain`: what discovery decided for every file, and which rule decided it."""

from __future__ import annotations

from pathlib import Path

from coursenotes.errors import CoursenotesError, display_path
from coursenotes.settings import load_config
from coursenotes.sources import find_pages, inherited, post_name, read_page, read_post, split_date_prefix, walk


def how_read(post, posts_dir: Path) -> list[str]:
    """The rules that gave a post its title, date and inherited metadata."""
    notes = []
    if not post.raw.front:
        notes.append("no front matter: title from its first `# heading`")
    _, files = inherited(posts_dir, post.source)
    if files:
        notes.append("metadata merged from " + ", ".join(display_path(f) for f in files))
    if "date" not in post.meta:
        prefix = split_date_prefix(post_name(post.source))[0]
        notes.append("date from the name's YYYY-MM-DD prefix" if prefix else "date from the file's modification time")
    if post.draft:
        notes.append("a draft (`draft: true` or `published: false`): built only with --drafts")
    return notes


def explain(root: Path) -> list[str]:
    """One line per source file under posts/ and per top-level page: post, page or skipped, and why."""
    config = load_config(root)
    lines = []
    for d in walk(config.posts_dir):
        where = display_path(d.path)
        if not d.post:
            lines.append(f"{where}: skipped: {d.rule}")
            continue
        try:
            post = read_post(d.path, config.posts_dir, config.url_style)
        except CoursenotesError as e:
            lines.append(f"{where}: a post ({d.rule}) that cannot be read: {e.message}")
            continue
        notes = "; ".join([d.rule, f"{config.url_style} URLs", *how_read(post, config.posts_dir)])
        lines.append(f"{where}: post at {post.url} ({notes})")
    for path in find_pages(config.root, config.render):
        try:
            page = read_page(path, config.root)
        except CoursenotesError as e:
            lines.append(f"{display_path(path)}: a page that cannot be read: {e.message}")
            continue
        lines.append(f"{display_path(path)}: page at {page.url} (a top-level source file; /{path.stem}.html redirects)")
    return lines
