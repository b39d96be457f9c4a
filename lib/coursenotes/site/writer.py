"""Write a site tree beside the output folder, then swap it in: a failed build never leaves half a site."""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Collection
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from coursenotes.errors import OutputFolderError
from coursenotes.site.outdir import MARKER, MARKER_TEXT

WRITERS = 4


def write_tree(
    files: dict[str, bytes | Path], into: Path, reuse: Collection[str] = (), old: Path | None = None
) -> None:
    """Write each site path (bytes, or a file to copy) under `into`; paths in `reuse` are hard-linked from `old`."""
    items = sorted(files.items())
    for folder in sorted({os.path.dirname(rel.lstrip("/")) for rel, _ in items}):
        (into / folder).mkdir(parents=True, exist_ok=True)  # each folder once, parents first

    def one(item: tuple[str, bytes | Path]) -> None:
        rel, content = item
        dest = into / rel.lstrip("/")
        if old is not None and rel in reuse and link(old / rel.lstrip("/"), dest):
            return
        if isinstance(content, Path):
            shutil.copyfile(content, dest)
        else:
            dest.write_bytes(content)

    # Several writers at once: creating a file is mostly waiting on the disk (four threads wrote a
    # 2,600-file site four times faster here); the first error is raised once the others stop.
    with ThreadPoolExecutor(max_workers=WRITERS) as pool:
        try:
            for _ in pool.map(one, items):
                pass
        except BaseException:
            pool.shutdown(cancel_futures=True)
            raise


def alive(pid: int) -> bool:
    """Whether a process with this id runs (ours counts: it may be publishing in another thread)."""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # someone else's process
    return True


def remove_leftovers(out: Path) -> None:
    """Delete `.<name>.new-<pid>-*` / `.<name>.old-<pid>` folders whose build died (kill -9, power loss)."""
    pattern = re.compile(rf"\.{re.escape(out.name)}\.(?:new|old)-(\d+)(?:-\w+)?")
    legacy = re.compile(rf"\.{re.escape(out.name)}\.new-\w+")  # mkdtemp names without a process id
    for entry in out.parent.iterdir() if out.parent.is_dir() else ():
        m = pattern.fullmatch(entry.name)
        stale = (m and not alive(int(m.group(1)))) or (not m and legacy.fullmatch(entry.name))
        if stale and entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)


def link(src: Path, dest: Path) -> bool:
    """Hard-link an unchanged file of the published site into the staged one; False where links fail."""
    # Safe because no file of a published tree is ever written again: changed files are new files.
    try:
        os.link(src, dest)
    except OSError:
        return False
    return True


def publish(files: dict[str, bytes | Path], out: Path, reuse: Collection[str] = ()) -> None:
    """Replace `out` with exactly `files`, atomically.

    Paths in `reuse` hold what `out` already has: they are hard-linked from it instead of written."""
    out = out.resolve()
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        remove_leftovers(out)
        # Build in the same folder as `out` so the final rename never crosses filesystems.
        staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.new-{os.getpid()}-", dir=out.parent))
    except OSError as e:
        raise OutputFolderError(f"cannot write the site here: {e.strerror}; pick another --out", out) from None
    try:
        write_tree(files, staging, reuse, out if reuse and out.is_dir() else None)
        (staging / MARKER).write_bytes(MARKER_TEXT)
        os.chmod(staging, 0o755)
    except OSError as e:
        shutil.rmtree(staging, ignore_errors=True)
        raise OutputFolderError(f"cannot write the site: {e.strerror}; the previous site was kept", out) from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    swap(staging, out)


def swap(staging: Path, out: Path) -> None:
    """Put the staged tree at `out`, keeping the old site until the new one is in place."""
    old = out.parent / f".{out.name}.old-{os.getpid()}"
    try:
        if out.exists() or out.is_symlink():
            os.rename(out, old)
        os.rename(staging, out)
    except OSError as e:
        if old.exists() and not out.exists():
            os.rename(old, out)
        shutil.rmtree(staging, ignore_errors=True)
        raise OutputFolderError(f"cannot replace the site: {e.strerror}; the previous site was kept", out) from None
    shutil.rmtree(old, ignore_errors=True)
