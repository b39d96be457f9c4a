"""An (executed or not) notebook as pandoc markdown: prose, code, and the outputs cells made."""
from __future__ import annotations

from dataclasses import dataclass, field

import nbformat


@dataclass(frozen=True)
class PageSource:
    """Markdown for pandoc plus the files (content-addressed name -> bytes) it references."""
    markdown: str
    files: dict[str, bytes] = field(default_factory=dict)


def fence(code: str, lang: str = "python", classes: str = "") -> str:
    """A fenced code block long enough not to clash with backticks inside the code."""
    ticks = "`" * max(3, 1 + max((len(run) for run in code.split("\n") if set(run) == {"`"}), default=0))
    info = "{." + lang + (" " + classes if classes else "") + "}" if classes else lang
    return f"{ticks}{info}\n{code.rstrip()}\n{ticks}"


def cell_options(cell) -> dict:
    """The `#|` options the notebook stage stored on a code cell."""
    return cell.get("metadata", {}).get("coursenotes", {}).get("options", {})


def code_markdown(cell, defaults: dict) -> str:
    """A code cell as its echoed source (outputs are added by the execution stage)."""
    opts = {**defaults, **cell_options(cell)}
    if opts.get("include") is False or opts.get("echo") is False or not cell.source.strip(): return ""
    return fence(cell.source)


def notebook_markdown(nb: nbformat.NotebookNode, defaults: dict | None = None) -> PageSource:
    """The whole notebook as one markdown document."""
    parts = []
    for cell in nb.cells:
        if cell.cell_type == "markdown": parts.append(cell.source)
        elif cell.cell_type == "code": parts.append(code_markdown(cell, defaults or {}))
        elif cell.cell_type == "raw" and cell.source.strip(): parts.append(fence(cell.source, "text"))
    return PageSource("\n\n".join(p for p in parts if p.strip()) + "\n")
