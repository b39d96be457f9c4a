"""Turn a post into a notebook in nbformat's shape: markdown cells, code cells and their `#|` options."""

from __future__ import annotations

import re

import yaml

from coursenotes.errors import FrontMatterError
from coursenotes.sources.cells import cell_metadata
from coursenotes.sources.fences import fence_blocks, ticks_for
from coursenotes.sources.frontmatter import cell_text
from coursenotes.sources.nodes import Node, to_node
from coursenotes.sources.posts import Post

EXECUTABLE = re.compile(r"^\{\s*(python3?|ipython3?)(?:[\s,}].*)?$")
DIAGRAM = re.compile(r"^\{\s*mermaid(?:[\s,}].*)?$")
OPTION = re.compile(r"^(?:#|%%)\|\s?(.*)$")  # `#|` in Python cells, `%%|` in {mermaid} cells


def parse_cell_options(source: str, where: tuple) -> tuple[dict, str]:
    """Quarto `#| key: value` options at the top of a code cell, and the code without them."""
    lines = source.splitlines()
    n = next((i for i, line in enumerate(lines) if not OPTION.match(line)), len(lines))
    if n == 0:
        return {}, source
    text = "\n".join(OPTION.sub(r"\1", line) for line in lines[:n])
    try:
        opts = yaml.safe_load(text) or {}
    except yaml.YAMLError as e:
        raise FrontMatterError(f"bad `#|` cell option: {getattr(e, 'problem', e)}", *where) from None
    if not isinstance(opts, dict):
        raise FrontMatterError("`#|` cell options must be `key: value` lines", *where)
    return opts, "\n".join(lines[n:])


def code_cell(code: str, line: int | None, post: Post) -> Node:
    """A code cell carrying its options and source line in metadata."""
    opts, code = parse_cell_options(code, (post.source, line))
    meta = cell_metadata(opts, line)
    cell: dict = {"cell_type": "code", "id": "", "metadata": meta, "source": code, "outputs": []}
    cell["execution_count"] = None
    return to_node(cell)


def diagram_fence(opts: dict) -> str:
    """The opening fence for a {mermaid} cell: its label as the figure id, fig-cap as the caption."""
    attrs = [f"#{opts['label']}"] if opts.get("label") else []
    if opts.get("fig-cap"):
        attrs.append('fig-cap="' + str(opts["fig-cap"]).replace('"', "&quot;") + '"')
    return "```{.mermaid " + " ".join(attrs) + "}" if attrs else "```mermaid"


def markdown_notebook(post: Post) -> Node:
    """Split a .md/.qmd body at ```{python} fences into cells; other fences stay Markdown."""
    cells: list = []
    text: list[str] = []
    base = post.raw.body_line

    def flush():
        if "".join(text).strip():
            source = "\n".join(text).strip("\n")
            cells.append(to_node({"cell_type": "markdown", "id": "", "metadata": {}, "source": source}))
        text.clear()

    for piece in fence_blocks(post.raw.body):
        if piece[0] == "text":
            text.extend(piece[1])
            continue
        _, info, lines, start = piece
        if EXECUTABLE.match(info):
            flush()
            cells.append(code_cell("\n".join(lines), base + start, post))
        elif DIAGRAM.match(info):
            opts, code = parse_cell_options("\n".join(lines), (post.source, base + start))
            text.extend([diagram_fence(opts), *code.splitlines(), "```"])
        else:
            fence = ticks_for("\n".join(lines))
            text.extend([fence + info, *lines, fence])
    flush()
    for i, cell in enumerate(cells):
        cell.id = f"cell-{i}"
    # Plain Nodes, not nbformat.v4.new_*: importing nbformat (its schema validator) costs 0.1 s per build.
    return to_node({"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": cells})


def ipynb_notebook(post: Post) -> Node:
    """The post's own notebook (front-matter cell already removed), with options parsed from code cells."""
    nb = to_node(post.raw.notebook)
    nb.setdefault("metadata", {})
    nb.nbformat, nb.nbformat_minor = 4, max(nb.get("nbformat_minor", 5), 5)
    for i, cell in enumerate(nb.cells):
        cell.source = cell_text(cell)
        cell.setdefault("metadata", {})
        cell.setdefault("id", f"cell-{i}")
        if cell.cell_type == "code":
            opts, code = parse_cell_options(cell.source, (post.source, None))
            if opts:
                cell.metadata.update(cell_metadata(opts, None))
            cell.source = code
            cell.setdefault("outputs", [])
            cell.setdefault("execution_count", None)
    return nb


def to_notebook(post: Post) -> Node:
    """The post as a notebook: the one shape every later stage works on."""
    return ipynb_notebook(post) if post.kind == "ipynb" else markdown_notebook(post)
