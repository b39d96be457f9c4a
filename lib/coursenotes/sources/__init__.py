"""The sources stage: posts/ on disk to Post values and notebooks in nbformat's shape (Node).

Discovery, front matter, slugs, reading time, Markdown fences, and the notebook shape
(code cells carry their `#|` options and source line; see cells.py) that every later stage reads.
Public names: Post, discover, discover_pages, check_unique, read_post, post_name, to_notebook, slugify,
split_date_prefix, cell_options, cell_line, code_cells, outputs_of, with_outputs, fence_blocks, ticks_for,
cell_text, walk, inherited
(_metadata.yml), find_pages, read_page, inside, Node and to_node (nbformat's NotebookNode, without nbformat).
"""

from coursenotes.sources.cells import cell_line, cell_options, code_cells, outputs_of, with_outputs
from coursenotes.sources.discovery import walk
from coursenotes.sources.fences import fence_blocks, ticks_for
from coursenotes.sources.frontmatter import cell_text, read_source
from coursenotes.sources.metadata import inherited
from coursenotes.sources.nodes import Node, to_node
from coursenotes.sources.notebook import to_notebook
from coursenotes.sources.pages import discover_pages, find_pages, read_page
from coursenotes.sources.paths import inside
from coursenotes.sources.posts import Post, check_unique, discover, post_name, read_post
from coursenotes.sources.slugs import slugify, split_date_prefix

__all__ = [
    "Node",
    "Post",
    "cell_line",
    "cell_options",
    "cell_text",
    "check_unique",
    "code_cells",
    "discover",
    "discover_pages",
    "fence_blocks",
    "find_pages",
    "inherited",
    "inside",
    "outputs_of",
    "post_name",
    "read_page",
    "read_post",
    "read_source",
    "slugify",
    "split_date_prefix",
    "ticks_for",
    "to_node",
    "to_notebook",
    "walk",
    "with_outputs",
]
