"""Output limits, like Jupyter's: a cell's text outputs are capped, with a visible note where text was cut.

A cell printing 20 MB would otherwise put 20 MB into the page, the feed, the cache and `_frozen/`.
The cap applies right after execution (so the cache and the frozen store keep the capped
outputs) and again when a page is laid out (a notebook's stored outputs, older cache entries).
"""

from __future__ import annotations

MAX_CELL_TEXT = 1_000_000  # characters of text output per cell: far more than a reader scrolls through
NOTE_ROOM = 200  # a capped cell (limit + note) is under the limit + this: capping twice changes nothing
TEXT_MIMES = ("text/plain", "text/html", "text/markdown", "text/latex", "image/svg+xml", "application/json")


def megabytes(chars: int) -> str:
    """A size for the note: `19.1 MB`."""
    return f"{chars / 1_000_000:.1f} MB"


def note(dropped: int) -> str:
    """The line readers see where output was cut."""
    return f"[output truncated: {megabytes(dropped)} more not shown (limit {megabytes(MAX_CELL_TEXT)} per cell)]\n"


def text_size(value) -> int:
    """Characters in an nbformat text value (a string or a list of lines)."""
    if isinstance(value, list):
        return sum(len(v) for v in value if isinstance(v, str))
    return len(value) if isinstance(value, str) else len(str(value))


def joined(value) -> str:
    """nbformat text as one string."""
    return "".join(value) if isinstance(value, list) else str(value)


def output_size(output: dict) -> int:
    """The text characters an output carries (streams, text displays, tracebacks); images are bounded by pixels."""
    size = text_size(output.get("text", ""))
    data = output.get("data") or {}
    size += sum(text_size(v) for k, v in data.items() if k in TEXT_MIMES and not isinstance(v, dict))
    return size + sum(text_size(line) for line in output.get("traceback") or [])


def cap_outputs(outputs: list) -> list:
    """The outputs with at most MAX_CELL_TEXT characters of text and one note saying how much was left out.

    The stream that crosses the limit is cut; a display that does not fit is left out whole
    (cutting HTML would break the page); everything after the limit is left out."""
    if sum(output_size(o) for o in outputs) <= MAX_CELL_TEXT + NOTE_ROOM:
        return outputs
    budget, capped, dropped = MAX_CELL_TEXT, [], 0
    for output in outputs:
        size = output_size(output)
        if not dropped and size <= budget:
            capped.append(output)
            budget -= size
            continue
        if not dropped and output.get("output_type") == "stream" and budget > 0:
            capped.append({**output, "text": joined(output.get("text", ""))[:budget]})
            size -= budget
        dropped += size
        budget = 0
    last = capped[-1] if capped else {}
    if last.get("output_type") == "stream" and last.get("name") == "stdout":
        capped[-1] = {**last, "text": joined(last.get("text", "")).rstrip("\n") + "\n" + note(dropped)}
    else:
        capped.append({"output_type": "stream", "name": "stdout", "text": note(dropped)})
    return capped


def cap_notebook(nb) -> None:
    """Cap every code cell's outputs in place."""
    for cell in nb.get("cells", []):
        if cell.get("cell_type") == "code" and cell.get("outputs"):
            outputs = cap_outputs(cell["outputs"])
            if outputs != cell["outputs"]:
                import nbformat

                cell["outputs"] = [nbformat.from_dict(o) for o in outputs]
