"""The `execute:` options (site-wide in `_quarto.yml`, per post in front matter): one schema for both."""

from __future__ import annotations

from pathlib import Path

FREEZE_VALUES = (True, False, "auto")
BOOL_OPTIONS = ("enabled", "eval", "error", "include")


def check_execute(opts: dict, error: type[Exception], path: Path | str | None, line: int | None) -> dict:
    """The `execute:` mapping, or a one-line `error` naming the file for a value Quarto would refuse."""
    for key in BOOL_OPTIONS:
        if key in opts and not isinstance(opts[key], bool):
            raise error(f"`execute: {key}` must be true or false, not {opts[key]!r}", path, line)
    if opts.get("freeze", False) not in FREEZE_VALUES:
        raise error(f"`execute: freeze` must be true, false or auto, not {opts['freeze']!r}", path, line)
    timeout = opts.get("timeout")
    if timeout is not None and (isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or timeout <= 0):
        raise error(f"`execute: timeout` must be a positive number of seconds per cell, not {timeout!r}", path, line)
    return opts
