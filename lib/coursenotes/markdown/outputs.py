"""An (executed or not) notebook as pandoc markdown: prose, code, and the outputs cells made.

Each code cell becomes a Quarto-shaped block, so the same CSS and filters serve both renderers:

    :::: {#label .cell}
    ```{.python .cell-code}
    print("hi")
    ```
    ::: {.cell-output .cell-output-stdout}
    ```
    hi
    ```
    :::
    ::::
"""

from __future__ import annotations

import base64
import hashlib
import re
from dataclasses import dataclass, field

from coursenotes.execution import cap_outputs
from coursenotes.markdown.displays import CellContext, div, fence, joined, merged_streams, output_markdown, raw_html
from coursenotes.settings import CELL_OPTIONS, CODE_OPTIONS, attributes
from coursenotes.sources import Node, cell_options

# Jupyter Book / nbconvert tags, honoured like the matching Quarto options.
TAG_OPTIONS = {
    "remove-cell": {"include": False},
    "remove_cell": {"include": False},
    "remove-input": {"echo": False},
    "remove_input": {"echo": False},
    "remove-output": {"output": False},
    "remove_output": {"output": False},
}
ATTACHMENT = re.compile(r"attachment:([^\s)\"'>]+)")


@dataclass(frozen=True)
class PageSource:
    """Markdown for pandoc plus the files (content-addressed name -> bytes) it references."""

    markdown: str
    files: dict[str, bytes] = field(default_factory=dict)


def cell_settings(cell, defaults: dict) -> dict:
    """A code cell's effective options: the post/site `execute:` defaults, then its tags, then its `#|` options."""
    tags = {k: v for tag in cell.get("metadata", {}).get("tags", []) or [] for k, v in TAG_OPTIONS.get(tag, {}).items()}
    return {**defaults, **tags, **cell_options(cell)}


def code_language(nb) -> str:
    """The kernel's language, for highlighting echoed code."""
    meta = nb.get("metadata", {})
    return (
        (meta.get("kernelspec", {}) or {}).get("language")
        or (meta.get("language_info", {}) or {}).get("name")
        or "python"
    )


def code_markdown(cell, number: int, opts: dict, lang: str, files: dict) -> str:
    """One code cell: a `.cell` div with its echoed source and one div per output."""
    if opts.get("include") is False:
        return ""
    source = joined(cell.get("source"))
    shown = opts.get("echo", True) is not False and source.strip()
    parts = [fence(source, lang, ".cell-code" + attributes(opts, CODE_OPTIONS))] if shown else []
    if opts.get("output", True) is not False and opts.get("eval", True) is not False:
        ctx = CellContext(number, opts, files)
        outputs = cap_outputs(merged_streams(cell.get("outputs", [])))
        parts += [output_markdown(out, ctx) for out in outputs]
    parts = [p for p in parts if p.strip()]
    if not parts:
        return ""
    label = opts.get("label")
    ident = str(label) if label and re.fullmatch(r"[A-Za-z][\w:.-]*", str(label)) else ""
    return div(".cell" + attributes(opts, CELL_OPTIONS), "\n\n".join(parts), ident, colons=4)


def attachment_markdown(cell, files: dict) -> str:
    """A markdown cell with pasted images (`attachment:name`) pointed at content-addressed files."""
    source, names = joined(cell.get("source")), {}
    for name, bundle in (cell.get("attachments") or {}).items():
        mime = next((m for m in ("image/png", "image/jpeg", "image/gif", "image/svg+xml") if m in bundle), None)
        if mime is None:
            continue
        data = joined(bundle[mime]).encode() if mime == "image/svg+xml" else base64.b64decode(joined(bundle[mime]))
        ext = {"image/png": "png", "image/jpeg": "jpg", "image/gif": "gif", "image/svg+xml": "svg"}[mime]
        names[name] = f"attachment-{hashlib.sha256(data).hexdigest()[:16]}.{ext}"
        files[names[name]] = data
    return ATTACHMENT.sub(lambda m: names.get(m.group(1), m.group(0)), source)


def raw_markdown(cell) -> str:
    """A raw cell: HTML passes through, Markdown (or no format, as Quarto does) is kept, other formats are dropped."""
    meta = cell.get("metadata", {})
    fmt = str(meta.get("format") or meta.get("raw_mimetype") or "").lower()
    source = joined(cell.get("source"))
    if fmt in ("", "text/markdown", "markdown", "md"):
        return source
    if fmt in ("text/html", "html"):
        return raw_html(source)
    return ""


def notebook_markdown(nb: Node, defaults: dict | None = None) -> PageSource:
    """The whole notebook, outputs included, as one markdown document."""
    parts: list[str] = []
    files: dict[str, bytes] = {}
    lang, number = code_language(nb), 0
    for cell in nb.get("cells", []):
        kind = cell.get("cell_type")
        if kind == "markdown":
            parts.append(attachment_markdown(cell, files))
        elif kind == "raw":
            parts.append(raw_markdown(cell))
        elif kind == "code":
            number += 1
            parts.append(code_markdown(cell, number, cell_settings(cell, defaults or {}), lang, files))
    return PageSource("\n\n".join(p for p in parts if p.strip()) + "\n", files)
