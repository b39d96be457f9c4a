"""The `execute:` options (site-wide in `_quarto.yml`, per post in front matter): one schema for both."""

from __future__ import annotations

from pathlib import Path

FREEZE_VALUES = (True, False, "auto")
BOOL_OPTIONS = ("enabled", "eval", "error", "include")
# Quarto's `execute:` keys (its document-execute and cell schemas) plus our `timeout`: a key outside
# this list is a typo (`timout: 5`) that would otherwise be ignored without a word.
KNOWN_OPTIONS = (
    "eval", "echo", "output", "warning", "error", "include", "cache", "freeze", "enabled", "timeout",
    "daemon", "daemon-restart", "debug", "ipynb", "ipynb-shell-interactivity", "plotly-connected",
    "keep-hidden", "keep-ipynb", "keep-md", "message",
)  # fmt: skip
# Quarto sets no per-cell timeout; posts here train models, so a cell may take minutes, but a
# `while True:` must not hang a build (or Netlify's) forever. Override with `execute: timeout`.
DEFAULT_TIMEOUT = 600


def check_execute(opts: dict, error: type[Exception], path: Path | str | None, line: int | None) -> dict:
    """The `execute:` mapping, or a one-line `error` naming the file for a value Quarto would refuse."""
    for key in opts:
        if key not in KNOWN_OPTIONS:
            raise error(f"unknown `execute:` option {key!r} (known: {', '.join(KNOWN_OPTIONS)})", path, line)
    for key in BOOL_OPTIONS:
        if key in opts and not isinstance(opts[key], bool):
            raise error(f"`execute: {key}` must be true or false, not {opts[key]!r}", path, line)
    if opts.get("freeze", False) not in FREEZE_VALUES:
        raise error(f"`execute: freeze` must be true, false or auto, not {opts['freeze']!r}", path, line)
    timeout = opts.get("timeout")
    if timeout is not None and (isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or timeout <= 0):
        raise error(f"`execute: timeout` must be a positive number of seconds per cell, not {timeout!r}", path, line)
    return opts
