"""The markdown stage: an executed notebook to pandoc Markdown, outputs laid out as Quarto lays them out.

Streams, rich displays (images written as content-addressed files, HTML cleaned, ANSI colours
as spans), errors with tracebacks. Public names: PageSource, notebook_markdown, page_source.
"""

from __future__ import annotations

from coursenotes.markdown.outputs import PageSource, notebook_markdown

__all__ = ["PageSource", "notebook_markdown", "page_source"]


def page_source(executed) -> PageSource:
    """The Markdown (and output files) for one executed post from the execution stage."""
    return notebook_markdown(executed.nb, executed.options)
