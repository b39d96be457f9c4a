"""Post -> PageSource: its notebook, executed when it should be, as markdown with outputs."""
from __future__ import annotations

from coursenotes.config import SiteConfig
from coursenotes.errors import CoursenotesError
from coursenotes.notebook import to_notebook
from coursenotes.outputs import PageSource, notebook_markdown
from coursenotes.posts import Post


def prepare(posts: list[Post], config: SiteConfig, options) -> dict[Post, PageSource | CoursenotesError]:
    """Each post's markdown for pandoc, or the error that stopped it."""
    results = {}
    for post in posts:
        try: results[post] = notebook_markdown(to_notebook(post), config.execute)
        except CoursenotesError as e: results[post] = e
    return results
