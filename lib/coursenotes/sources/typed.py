"""Strict types for what authors write: front-matter flags, dates, tag lists and notebook cells.

A value of the wrong type is an error naming its line, never a guess: `published: "false"` (a
string) would otherwise publish a post its author meant to hide.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from coursenotes.errors import FrontMatterError, PostError

FLAGS = ("published", "draft")
CELL_TYPES = ("code", "markdown", "raw")


def check_flags(meta: dict, lines: dict, path: Path) -> None:
    """`published` and `draft` must be YAML booleans (true/false, unquoted)."""
    for key in FLAGS:
        value = meta.get(key)
        if value is not None and not isinstance(value, bool):
            raise FrontMatterError(f"`{key}` must be true or false (unquoted), not {value!r}", path, lines.get(key))


def naive_utc(when: dt.datetime) -> dt.datetime:
    """A date with a zone as the same instant in UTC, without the zone: every post's date compares with every other."""
    return when.astimezone(dt.UTC).replace(tzinfo=None) if when.tzinfo else when


def as_list(value, key: str, path: Path, line: int | None) -> list[str]:
    """A string or list of strings from front matter, as a list; `python, ml` (one string) is refused.

    Quarto reads a string as one category, so `tags: python, ml` would make a tag `python, ml`
    there and a different site here: the author is asked for a list instead."""
    if value is None:
        return []
    if isinstance(value, str) and "," in value:
        items = ", ".join(v.strip() for v in value.split(",") if v.strip())
        raise FrontMatterError(f"`{key}: {value}` is one string: write a list, `{key}: [{items}]`", path, line)
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        return [str(value)]
    if isinstance(value, list) and all(isinstance(v, (str, int, float)) and not isinstance(v, bool) for v in value):
        return [str(v) for v in value]
    raise FrontMatterError(f"`{key}` must be a string or a list of strings", path, line)


def check_cells(nb: dict, path: Path) -> None:
    """A PostError naming the cell when a notebook's JSON is valid but its cells are not nbformat cells."""
    if not isinstance(nb.get("metadata", {}), dict):
        raise PostError("not a valid notebook: `metadata` must be an object", path)
    for number, cell in enumerate(nb["cells"], 1):
        where = f"not a valid notebook: cell {number}"
        if not isinstance(cell, dict):
            raise PostError(f"{where} is not an object", path)
        if cell.get("cell_type") not in CELL_TYPES:
            raise PostError(f"{where} has cell_type {cell.get('cell_type')!r} (code, markdown or raw)", path)
        source = cell.get("source", "")
        if not isinstance(source, str) and not (isinstance(source, list) and all(isinstance(s, str) for s in source)):
            raise PostError(f"{where}: `source` must be a string or a list of strings", path)
        if not isinstance(cell.get("metadata", {}), dict):
            raise PostError(f"{where}: `metadata` must be an object", path)
        outputs = cell.get("outputs", [])
        if not isinstance(outputs, list) or not all(isinstance(o, dict) for o in outputs):
            raise PostError(f"{where}: `outputs` must be a list of objects", path)
