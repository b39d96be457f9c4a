"""The render stage: pandoc Markdown (outputs included) to HTML fragments, through the shared Lua filters.

Posts missing from the render cache go to long-lived `pandoc lua` processes that render many each,
exactly as one `pandoc` run per post would (batch.py, server.py, driver.lua), or to such a run
(pandoc.render_markdown) where they cannot. Also what pandoc renders besides post bodies:
front-matter titles as inline Markdown (display.py), per-post pandoc options from front matter
(pandoc_meta.py), and the filters' warnings as `path:line` lines (warnings.py).
Public names: Fragment, render_all, render_markdown, pandoc_path, PandocMeta, post_pandoc_meta,
with_display, as_warnings, inline_diagrams (diagrams/: mermaid drawn at build time), warm and
warm_now (warmup.py: a driver started ahead of a build's first changed post).
"""

from coursenotes.render.diagrams import inline_diagrams
from coursenotes.render.display import with_display
from coursenotes.render.pandoc import Fragment, pandoc_path, render_all, render_markdown
from coursenotes.render.pandoc_meta import PandocMeta, post_pandoc_meta
from coursenotes.render.warmup import warm, warm_now
from coursenotes.render.warnings import as_warnings

__all__ = [
    "Fragment",
    "PandocMeta",
    "as_warnings",
    "inline_diagrams",
    "pandoc_path",
    "post_pandoc_meta",
    "render_all",
    "render_markdown",
    "warm",
    "warm_now",
    "with_display",
]
