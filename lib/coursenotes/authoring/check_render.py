"""`coursenotes check`'s render pass: each post through pandoc and the Lua filters, code not run.

Unresolved cross-references, citations missing from the bibliography, equations that cannot be
rendered, bad `bibliography`/`csl`/`toc-depth` values and front matter the page cannot show
(`author`, `date-format`, `toc`) are problems here, as they are warnings (or errors) in a build.
"""

from __future__ import annotations

import re
from pathlib import Path

from coursenotes.errors import CoursenotesError
from coursenotes.markdown import notebook_markdown
from coursenotes.render import as_warnings, post_pandoc_meta, render_all, with_display
from coursenotes.sources import Post, cell_options, code_cells, to_notebook

CROSSREF_LABEL = re.compile(r"^(?:fig|tbl)-[\w:.-]+$")


def labelled_cells(nb, markdown: str) -> str:
    """Empty `.cell` divs for `fig-`/`tbl-` labelled cells that show nothing before they run, so references resolve."""
    labels = [
        str(cell_options(c).get("label"))
        for c in code_cells(nb)
        if CROSSREF_LABEL.match(str(cell_options(c).get("label")))
    ]
    return "".join(f"\n\n::: {{#{label} .cell}}\n:::\n" for label in labels if f"#{label}" not in markdown)


def check_markdown(post: Post) -> str:
    """The post as the build would hand it to pandoc, without outputs."""
    nb = to_notebook(post)
    markdown = notebook_markdown(nb).markdown
    return markdown + labelled_cells(nb, markdown)


def render_problems(posts: list[Post], root: Path, site_html: dict | None = None) -> list[CoursenotesError]:
    """Every render warning and per-post pandoc setting error, for all posts (pandoc runs in parallel, cached)."""
    problems, items = list(with_display(posts)[1]), []
    for post in posts:
        meta = post_pandoc_meta(post, root, site_html)
        if isinstance(meta, CoursenotesError):
            problems.append(meta)
            continue
        try:
            items.append((check_markdown(post), post.source, meta))
        except CoursenotesError as e:
            problems.append(e)
    for (_, source, _), result in zip(items, render_all(items, root)):
        if isinstance(result, CoursenotesError):
            problems.append(result)
        else:
            problems += as_warnings(result.warnings, source)
    return problems
