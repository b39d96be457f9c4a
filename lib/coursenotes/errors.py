"""Errors an author can cause: each names the file (and line) it is about."""

from __future__ import annotations

import re
from pathlib import Path

# `scheme://user:password@host`: whatever message a URL lands in, its credentials are never printed.
URL_CREDENTIALS = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://)[^/\s@]+@")
CONTROL = re.compile(r"[\x00-\x1f\x7f]")  # a newline in a file name must not split the one-line message


class CoursenotesError(Exception):
    """A problem the user can fix, printed as one `path:line: message` line."""

    def __init__(self, message: str, path: Path | str | None = None, line: int | None = None):
        super().__init__(message)
        self.message, self.path, self.line = message, path, line

    def __str__(self) -> str:
        if self.path is None:
            return redact(self.message)
        where = f"{display_path(self.path)}:{self.line}" if self.line else display_path(self.path)
        return redact(f"{where}: {self.message}")


class FrontMatterError(CoursenotesError):
    """Front matter that is missing, malformed or has a bad value."""


class PostError(CoursenotesError):
    """A post that cannot be read or clashes with another post."""


class ConfigError(CoursenotesError):
    """A bad `_quarto.yml` or `[tool.coursenotes]` setting."""


class RenderError(CoursenotesError):
    """Pandoc (or a filter) refused a post."""


class ExecutionError(CoursenotesError):
    """A post's code failed: a cell error, a timeout or a dead kernel."""


class OutputFolderError(CoursenotesError):
    """An output folder the build must not replace (the project, a source folder, someone's files)."""


class InternalError(CoursenotesError):
    """A bug that slipped through: one line naming the post or file, the traceback kept for `--debug`."""

    def __init__(self, cause: BaseException, path: Path | str | None = None, where: str = ""):
        detail = (str(cause).strip().splitlines() or [""])[0][:200]
        what = f"{type(cause).__name__}: {detail}" if detail else type(cause).__name__
        where = f" {where}" if where else ""
        super().__init__(f"internal error{where} ({what}); run again with --debug for the traceback", path)
        self.__cause__ = cause


def redact(text: str) -> str:
    """Text on one line, with any `user:password@` (or token@) part of a URL removed."""
    return CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", URL_CREDENTIALS.sub(r"\1", text))


def display_path(path: Path | str) -> str:
    """The path relative to the working directory where that is shorter."""
    p = Path(path)
    try:
        return str(p.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(p)
