"""Split a source file into YAML front matter and body, keeping line numbers for errors."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from coursenotes.errors import FrontMatterError, PostError
from coursenotes.files import read_text
from coursenotes.sources.typed import check_cells

FENCE = "---"


class TextDateLoader(yaml.SafeLoader):
    """SafeLoader that leaves dates as text, so a bad date is our error (with its line), not PyYAML's crash."""


TextDateLoader.yaml_implicit_resolvers = {
    ch: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for ch, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@dataclass(frozen=True)
class Source:
    """A post's raw parts: front matter, key line numbers, body text (md/qmd) or notebook (ipynb)."""

    path: Path
    meta: dict
    key_lines: dict = field(default_factory=dict)  # front-matter key -> 1-based line in the file
    body: str = ""
    body_line: int = 1  # line of the file where body starts
    notebook: dict | None = None  # parsed .ipynb JSON, front-matter cell removed
    front: bool = True  # False: no front matter at all (the title, if any, came from the first `# heading`)


def parse_yaml(text: str, path: Path, first_line: int) -> tuple[dict, dict]:
    """Front-matter YAML as a dict plus each top-level key's file line."""
    loader = TextDateLoader(text)
    try:  # parsed once: the node gives the keys' lines, the same node the values (as yaml.load would)
        node = loader.get_single_node()
        meta = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None) or getattr(e, "context_mark", None)
        line = first_line + mark.line if mark else first_line
        problem = getattr(e, "problem", None) or str(e).splitlines()[0]
        raise FrontMatterError(f"invalid YAML front matter: {problem}", path, line) from None
    finally:
        loader.dispose()
    if meta is None:
        return {}, {}
    if not isinstance(meta, dict) or not isinstance(node, yaml.MappingNode):
        raise FrontMatterError("front matter must be a YAML mapping (key: value lines)", path, first_line)
    lines = {k.value: first_line + k.start_mark.line for k, _ in node.value if isinstance(k, yaml.ScalarNode)}
    return meta, lines


def split_markdown(text: str, path: Path) -> Source:
    """Front matter between `---` lines (blank lines may come first, as Quarto allows), and the body after it."""
    lines = text.splitlines(keepends=True)
    start = next((i for i, line in enumerate(lines) if line.strip()), len(lines))
    if start == len(lines) or lines[start].rstrip() != FENCE:
        title = heading_title(text)  # no front matter: Quarto renders the file all the same
        return Source(path, title, {}, drop_heading(text) if title else text, 1, front=False)
    end = next((i for i in range(start + 1, len(lines)) if lines[i].rstrip() in (FENCE, "...")), None)
    if end is None:
        raise FrontMatterError("front matter is not closed: add a `---` line after it", path, start + 1)
    meta, key_lines = parse_yaml("".join(lines[start + 1 : end]), path, start + 2)
    return Source(path, meta, key_lines, "".join(lines[end + 1 :]), end + 2)


def heading_title(text: str) -> dict:
    """`{title: ...}` from the first level-1 `# heading` of a document without front matter (Quarto's rule)."""
    for line in text.splitlines():
        if line.startswith("# ") and line[2:].strip():
            return {"title": line[2:].strip().strip("#").strip()}
        if line.strip():
            return {}
    return {}


def cell_text(cell: dict) -> str:
    """A notebook cell's source as one string (nbformat allows a list of lines)."""
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def split_notebook(text: str, path: Path) -> Source:
    """Front matter from the first raw or markdown cell of a notebook (Quarto's convention)."""
    try:
        nb = json.loads(text)
    except json.JSONDecodeError as e:
        raise PostError(f"not a valid notebook (JSON): {e.msg}", path, e.lineno) from None
    cells = nb.get("cells") if isinstance(nb, dict) else None
    if not isinstance(cells, list):
        raise PostError("not a valid notebook: no `cells` list", path)
    check_cells(nb, path)
    first = next((i for i, c in enumerate(cells) if cell_text(c).strip()), None)
    if (
        first is None
        or cells[first].get("cell_type") not in ("raw", "markdown")
        or not cell_text(cells[first]).lstrip().startswith(FENCE)
    ):
        title = heading_title(cell_text(cells[first])) if first is not None else {}
        if first is not None and cells[first].get("cell_type") == "markdown" and title:
            cells = [dict(cells[first], source=drop_heading(cell_text(cells[first]))), *cells[first + 1 :]]
        return Source(path, title, {}, "", 1, dict(nb, cells=cells), front=False)
    try:
        src = split_markdown(cell_text(cells[first]).lstrip(), path)
    except FrontMatterError as e:
        raise FrontMatterError(f"cell {first + 1}: {e.message}", path) from None
    rest = dict(nb, cells=cells[first + 1 :])
    if src.body.strip():
        rest["cells"] = [{"cell_type": "markdown", "metadata": {}, "source": src.body}] + rest["cells"]
    return Source(path, src.meta, {}, "", 1, rest)


def drop_heading(text: str) -> str:
    """Text with its first `# heading` line blanked (line numbers kept): the heading became the title."""
    lines = text.splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if line.startswith("# "))
    return "".join([*lines[:at], "\n", *lines[at + 1 :]])


def read_source(path: Path) -> Source:
    """Read and split a .md/.qmd/.ipynb post."""
    text = read_text(path)
    return split_notebook(text, path) if path.suffix == ".ipynb" else split_markdown(text, path)
