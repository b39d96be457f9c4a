"""Reading an author's text files: UTF-8, a BOM dropped, and a one-line error naming the file."""

from __future__ import annotations

from pathlib import Path

from coursenotes.errors import PostError


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
