"""`coursenotes new`: a new post's folder with complete front matter and a starter code cell."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from pathlib import Path

import yaml

from coursenotes.errors import PostError
from coursenotes.sources import slugify

FORMATS = ("qmd", "ipynb", "md")
DESCRIPTION = "One sentence on what this post covers (shown in listings, feeds and link previews)."
INTRO = "Write the notes here. Headings make the table of contents; `{python}` cells run when the site is built."
STARTER = "# This cell runs at build time; its output appears on the page.\n1 + 1"


def front_matter(title: str, date: dt.date, tags: list[str]) -> str:
    """The YAML block every post starts with; a draft until the author publishes it."""
    meta = {"title": title, "date": date.isoformat(), "description": DESCRIPTION, "tags": tags, "published": False}
    body = yaml.safe_dump(meta, sort_keys=False, allow_unicode=True, default_flow_style=None, width=1000)
    return f"---\n{body}---\n"


def markdown_post(title: str, date: dt.date, tags: list[str]) -> str:
    """A .qmd/.md post: front matter, a heading, prose and one executable cell."""
    return front_matter(title, date, tags) + f"\n{INTRO}\n\n## First steps\n\n```{{python}}\n{STARTER}\n```\n"


def notebook_post(title: str, date: dt.date, tags: list[str]) -> str:
    """An .ipynb post: the front matter in the first raw cell (Quarto's convention), then prose and code."""

    def cell(kind, text, **extra):
        return {"cell_type": kind, "metadata": {}, "source": text.splitlines(keepends=True), **extra}

    cells = [
        cell("raw", front_matter(title, date, tags)),
        cell("markdown", f"{INTRO}\n\n## First steps"),
        cell("code", STARTER, execution_count=None, outputs=[]),
    ]
    nb = {
        "cells": cells,
        "nbformat": 4,
        "nbformat_minor": 5,
        "metadata": {
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
            "language_info": {"name": "python"},
        },
    }
    return json.dumps(nb, indent=1, ensure_ascii=False) + "\n"


def new_post(
    posts_dir: Path, title: str, tags: Sequence[str] = (), fmt: str = "qmd", today: dt.date | None = None
) -> Path:
    """Create posts/<today>-<slug>/index.<fmt>; PostError when the title is empty or the folder exists."""
    if fmt not in FORMATS:
        raise PostError(f"unknown format {fmt!r}: use one of {', '.join(FORMATS)}")
    title, tags = title.strip(), [t.strip() for t in tags if t.strip()]
    if not title:
        raise PostError('the title is empty: coursenotes new "Lesson 2: Deployment"')
    today = today or dt.date.today()
    folder = Path(posts_dir) / f"{today.isoformat()}-{slugify(title)}"
    if folder.exists():
        raise PostError("already exists: pick another title or edit that post", folder)
    text = notebook_post(title, today, tags) if fmt == "ipynb" else markdown_post(title, today, tags)
    folder.mkdir(parents=True)
    path = folder / f"index.{fmt}"
    path.write_text(text, encoding="utf-8")
    return path
