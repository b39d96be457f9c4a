"""Errors an author can cause: each names the file (and line) it is about."""

from __future__ import annotations

from pathlib import Path


class CoursenotesError(Exception):
    """A problem the user can fix, printed as one `path:line: message` line."""

    def __init__(self, message: str, path: Path | str | None = None, line: int | None = None):
        super().__init__(message)
        self.message, self.path, self.line = message, path, line

    def __str__(self) -> str:
        if self.path is None:
            return self.message
        where = f"{display_path(self.path)}:{self.line}" if self.line else display_path(self.path)
        return f"{where}: {self.message}"


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


def display_path(path: Path | str) -> str:
    """The path relative to the working directory where that is shorter."""
    p = Path(path)
    try:
        return str(p.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(p)
