"""Paths from the disk or from data stay inside their folder: a symlink out of the project is refused."""

from __future__ import annotations

from pathlib import Path

from coursenotes.errors import PostError
from coursenotes.files import resolved, resolved_folder


def inside(path: Path, folder: Path) -> bool:
    """Whether `path`, every symlink followed, lies in `folder` (also resolved)."""
    try:
        return resolved(path).is_relative_to(resolved_folder(Path(folder)))
    except (OSError, RuntimeError):  # a symlink loop
        return False


def check_inside(path: Path, root: Path) -> None:
    """A PostError when a post file (or the folder holding it) is a symlink leading out of the project."""
    if not inside(path, root):
        raise PostError(
            f"links outside the project (to {Path(path).resolve()}): copy the post into posts/ instead of linking it",
            path,
        )
