"""Publish a small change in place: only the changed files are written, and a failure puts the old ones back.

Used when the last build's record still describes the output folder and the change touches few
files (docs/incremental.md). Each changed file is written beside its old self and renamed over
it (a reader never sees half a file); the old one is kept aside until every file is in place, so
any error restores the previous site exactly.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

SHARE = 0.5  # above this share of changed files, a whole new tree swapped in is cheaper and atomic


def worth_it(changed: int, total: int) -> bool:
    """True when updating in place beats writing a whole new tree."""
    return changed <= max(50, SHARE * total)


def write_file(dest: Path, content: bytes | Path) -> None:
    """Write `dest` whole: beside it first, then one rename over it."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(f".{dest.name}.{os.getpid()}.tmp")
    try:
        if isinstance(content, Path):
            shutil.copyfile(content, tmp)
        else:
            tmp.write_bytes(content)
        os.chmod(tmp, 0o644)
        os.replace(tmp, dest)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def prune(out: Path, path: Path) -> None:
    """Remove the folders a deleted file leaves empty, up to (not including) `out`."""
    for folder in path.parents:
        if folder == out or not folder.is_relative_to(out):
            break
        try:
            folder.rmdir()  # only when empty
        except OSError:
            break


class Transaction:
    """Changed and deleted files of `out`, each old version kept aside until commit (or put back by rollback)."""

    def __init__(self, out: Path):
        self.out, self.suffix = out, f".coursenotes-old-{os.getpid()}"
        self.kept: list[tuple[Path, Path | None]] = []  # (file, its old version aside, or None: it is new)

    def aside(self, dest: Path) -> None:
        """Move the current version of `dest` (if any) aside."""
        old = dest.with_name(dest.name + self.suffix) if dest.exists() else None
        if old is not None:
            os.rename(dest, old)
        self.kept.append((dest, old))

    def write(self, rel: str, content: bytes | Path) -> None:
        """Replace one file."""
        dest = self.out / rel
        self.aside(dest)
        write_file(dest, content)

    def delete(self, rel: str) -> None:
        """Remove one file."""
        self.aside(self.out / rel)

    def rollback(self) -> None:
        """Put every old file back; new files go."""
        for dest, old in reversed(self.kept):
            if old is not None:
                os.replace(old, dest)
            else:
                dest.unlink(missing_ok=True)
                prune(self.out, dest)

    def commit(self) -> None:
        """Drop the old versions, and the folders deleted files leave empty."""
        for dest, old in self.kept:
            if old is not None:
                old.unlink(missing_ok=True)
            if not dest.exists():
                prune(self.out, dest)


def update(files: dict[str, bytes | Path], unchanged: set[str], out: Path, recorded: dict) -> None:
    """Bring `out` to exactly `files`: all of the change, or (on any error) none of it."""
    change = Transaction(out)
    try:
        for rel in sorted(set(files) - unchanged):
            change.write(rel, files[rel])
        for rel in sorted(set(recorded) - set(files)):
            change.delete(rel)
    except BaseException:
        change.rollback()
        raise
    change.commit()
