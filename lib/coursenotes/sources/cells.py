"""Where a code cell keeps its `#|` options, source line and outputs: written by sources, read by every later stage."""

from __future__ import annotations

import copy

from coursenotes.sources.nodes import Node, to_node

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


def outputs_of(nb) -> list[dict]:
    """Each code cell's outputs and execution count, in order."""
    return [{"execution_count": c.get("execution_count"), "outputs": c.get("outputs", [])} for c in code_cells(nb)]


def with_outputs(nb, cells: list[dict]) -> Node:
    """A copy of the post's notebook with stored outputs put back into its code cells, by position."""
    nb = copy.deepcopy(nb)
    for cell, done in zip(code_cells(nb), cells):
        cell.outputs = [to_node(o) for o in done.get("outputs", [])]
        cell.execution_count = done.get("execution_count")
    return nb
