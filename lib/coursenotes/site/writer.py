"""Write a site tree beside the output folder, then swap it in: a failed build never leaves half a site."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path


def write_tree(files: dict[str, bytes | Path], into: Path) -> None:
    """Write each site path (bytes, or a file to copy) under `into`."""
    for rel, content in sorted(files.items()):
        dest = into / rel.lstrip("/")
        dest.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, Path):
            shutil.copyfile(content, dest)
        else:
            dest.write_bytes(content)


def publish(files: dict[str, bytes | Path], out: Path, finish: Callable[[Path], None] | None = None) -> None:
    """Replace `out` with exactly `files` (plus what `finish` adds to the staged tree: a search index), atomically."""
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    # Build in the same folder as `out` so the final rename never crosses filesystems.
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.new-", dir=out.parent))
    try:
        write_tree(files, staging)
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
