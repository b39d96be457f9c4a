"""Write a site tree beside the output folder, then swap it in: a failed build never leaves half a site."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Collection
from pathlib import Path


def write_tree(
    files: dict[str, bytes | Path], into: Path, reuse: Collection[str] = (), old: Path | None = None
) -> None:
    """Write each site path (bytes, or a file to copy) under `into`; paths in `reuse` are hard-linked from `old`."""
    for rel, content in sorted(files.items()):
        dest = into / rel.lstrip("/")
        dest.parent.mkdir(parents=True, exist_ok=True)
        if old is not None and rel in reuse and link(old / rel.lstrip("/"), dest):
            continue
        if isinstance(content, Path):
            shutil.copyfile(content, dest)
        else:
            dest.write_bytes(content)


def link(src: Path, dest: Path) -> bool:
    """Hard-link an unchanged file of the published site into the staged one; False where links fail."""
    # Safe because no file of a published tree is ever written again: changed files are new files.
    try:
        os.link(src, dest)
    except OSError:
        return False
    return True


def publish(
    files: dict[str, bytes | Path],
    out: Path,
    finish: Callable[[Path], None] | None = None,
    reuse: Collection[str] = (),
) -> None:
    """Replace `out` with exactly `files` (plus what `finish` adds to the staged tree: a search index), atomically.

    Paths in `reuse` hold what `out` already has: they are hard-linked from it instead of written."""
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    # Build in the same folder as `out` so the final rename never crosses filesystems.
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.new-", dir=out.parent))
    try:
        write_tree(files, staging, reuse, out if reuse and out.is_dir() else None)
        if finish:
            finish(staging)  # before the swap: a failure here leaves the old site in place
        os.chmod(staging, 0o755)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    old = out.parent / f".{out.name}.old-{os.getpid()}"
    if out.exists():
        os.rename(out, old)
    try:
        os.rename(staging, out)
    except BaseException:
        if old.exists():
            os.rename(old, out)
        raise
    shutil.rmtree(old, ignore_errors=True)
