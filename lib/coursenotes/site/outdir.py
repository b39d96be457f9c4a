"""Which folders a build may replace: never the project, a folder above it, a source folder, or someone's files.

`--out` (and `preview --out`) names a folder that is deleted and written anew. A build marks
every folder it writes with MARKER; an existing non-empty folder without it is not ours to replace.
"""

from __future__ import annotations

import os
from pathlib import Path

from coursenotes.errors import OutputFolderError

MARKER = ".coursenotes-site"  # written into every site a build publishes
MARKER_TEXT = b"Written by `coursenotes build`: the next build replaces this whole folder.\n"
DEFAULT = "_site"
# Folders of the project that hold sources, caches or tools: an output there would delete them.
SOURCE_FOLDERS = frozenset(
    {"posts", "_extensions", "_frozen", "_freeze", ".jupyter_cache", ".coursenotes-cache", ".git", ".venv",
     "lib", "tests", "docs", "scripts", "bench", "node_modules", "templates", "shared"}
)  # fmt: skip
HINT = "pick a new folder, e.g. --out _site"


def first_file(path: Path) -> Path | None:
    """The first existing non-folder on the way down to `path` (then nothing can be created under it)."""
    for parent in reversed(path.parents):
        if parent.exists() and not parent.is_dir():
            return parent
    return None


def check_out(out: Path, root: Path) -> Path:
    """`out`, resolved, when a build may replace it; an OutputFolderError (naming --out) saying why not otherwise."""
    lexical, root = Path(os.path.abspath(out)), Path(root).resolve()  # as written, and with symlinks followed
    out = Path(out).resolve()
    if out == root or root.is_relative_to(out):
        raise OutputFolderError(f"--out {out} would replace the project itself ({root} is inside it); {HINT}")
    for path in (lexical, out):
        top = path.relative_to(root).parts[0] if path.is_relative_to(root) and path != root else ""
        if top in SOURCE_FOLDERS or (top.startswith(".") and top != f".{DEFAULT}"):
            raise OutputFolderError(
                f"--out {path} is inside the project's {top}/ folder, which it would damage; {HINT}"
            )
    blocker = first_file(out)
    if blocker is not None:
        raise OutputFolderError(f"--out {out} is under {blocker}, which is a file, not a folder; {HINT}")
    if out.exists() and not out.is_dir():
        raise OutputFolderError(f"--out {out} is an existing file, which the build would replace; {HINT}")
    if out.is_dir() and out != root / DEFAULT and not (out / MARKER).is_file() and any(out.iterdir()):
        raise OutputFolderError(
            f"--out {out} holds files that no coursenotes build wrote (no {MARKER}); "
            "empty it or pick a new folder, e.g. --out _site"
        )
    return out
