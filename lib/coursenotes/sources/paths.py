"""Paths from the disk or from data stay inside their folder: a symlink out of the project is refused."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from coursenotes.errors import PostError


@lru_cache(maxsize=4096)
def resolved(folder: Path) -> Path:
    """A folder with every symlink followed (cached: the posts of one folder share it)."""
    return Path(folder).resolve()


def inside(path: Path, folder: Path) -> bool:
    """Whether `path`, every symlink followed, lies in `folder` (also resolved)."""
    try:
        path = Path(path)
        # A file that is no symlink lies where its folder resolves to: one lstat instead of one per component.
        real = resolved(path.parent) / path.name if not os.path.islink(path) else path.resolve()
        return real.is_relative_to(resolved(Path(folder)))
    except (OSError, RuntimeError):  # a symlink loop
        return False


def check_inside(path: Path, root: Path) -> None:
    """A PostError when a post file (or the folder holding it) is a symlink leading out of the project."""
    if not inside(path, root):
        raise PostError(
            f"links outside the project (to {Path(path).resolve()}): copy the post into posts/ instead of linking it",
            path,
        )
