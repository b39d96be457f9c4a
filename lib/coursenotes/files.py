"""Reading an author's text files (UTF-8, a BOM dropped, one-line errors) and resolving their paths cheaply."""

from __future__ import annotations

import os
from pathlib import Path

from coursenotes.errors import PostError

FOLDERS: dict[Path, Path] = {}  # folder -> resolved, for one build (forget_folders starts afresh)
FILES: dict[Path, Path] = {}  # the same for files


def forget_folders() -> None:
    """Resolve paths afresh: called as a build starts (a folder may have become a symlink since)."""
    FOLDERS.clear()
    FILES.clear()


def resolved_folder(folder: Path) -> Path:
    """A folder with every symlink followed; remembered for the build, as the posts of a folder share it."""
    if folder not in FOLDERS:
        FOLDERS[folder] = Path(folder).resolve()
    return FOLDERS[folder]


def resolved(path: Path) -> Path:
    """`path.resolve()` at one system call when the file itself is no symlink (its folder is resolved once)."""
    if path not in FILES:
        path = Path(path)
        if path.name in ("", ".", "..") or os.path.islink(path):
            FILES[path] = path.resolve()
        else:
            FILES[path] = resolved_folder(path.parent) / path.name
    return FILES[path]


def read_text(path: Path) -> str:
    """The file's text as UTF-8, or a PostError saying why not."""
    try:
        data = path.read_bytes()
    except OSError as e:
        raise PostError(f"cannot read file: {e.strerror}", path) from None
    try:
        return data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        raise PostError(f"not valid UTF-8 (byte {e.start}); save the file as UTF-8", path, line) from None
