"""The render stage: pandoc Markdown (outputs included) to HTML fragments, through the shared Lua filters.

Public names: Fragment, render_all, render_markdown, pandoc_path.
"""

from coursenotes.render.pandoc import Fragment, pandoc_path, render_all, render_markdown

__all__ = ["Fragment", "pandoc_path", "render_all", "render_markdown"]
