"""Where a code cell keeps its `#|` options and source line: written by the notebook stage, read by all others."""

from __future__ import annotations

METADATA_KEY = "coursenotes"


def cell_metadata(options: dict, line: int | None) -> dict:
    """The metadata a code cell carries: its options and the source line it starts on."""
    return {METADATA_KEY: {"options": options, "line": line}} if options or line else {}


def cell_options(cell) -> dict:
    """The `#|` options stored on a code cell."""
    return cell.get("metadata", {}).get(METADATA_KEY, {}).get("options", {}) or {}


def cell_line(cell) -> int | None:
    """The source line a code cell starts on, where the notebook stage recorded one."""
    return cell.get("metadata", {}).get(METADATA_KEY, {}).get("line")


def code_cells(nb) -> list:
    """The notebook's code cells, in order (cell numbers in messages count these from 1)."""
    return [c for c in nb.cells if c.cell_type == "code"]
