"""Which output files can be hard-linked from the published site, and what to record about the new one."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path


def content_key(content: bytes | Path) -> str:
    """What a file will hold: the hash of its bytes, or its source file by path, size and time."""
    if isinstance(content, Path):
        st = os.stat(content)
        return f"path:{content.resolve()}:{st.st_size}:{st.st_mtime_ns}"
    return hashlib.sha256(content).hexdigest()


def intact(out: Path, rel: str, recorded) -> bool:
    """True when the published file still has the size and mtime recorded when it was written."""
    try:
        st = os.stat(os.path.join(out, rel))  # a string join: thousands of Path objects cost more than the stats
    except OSError:
        return False
    return [st.st_size, st.st_mtime_ns] == list(recorded[1:3])


def reusable(files: dict[str, bytes | Path], keys: dict[str, str], out: Path, entry: dict) -> set[str]:
    """The files whose content is what `out` already holds: hard-linked into the new tree, not written."""
    recorded = entry.get("files", {})
    return {
        rel
        for rel, key in keys.items()
        if rel in recorded and recorded[rel][0] == key and intact(out, rel, recorded[rel])
    }


def record_files(out: Path, keys: dict[str, str], known: dict, unchanged: set[str]) -> dict[str, list]:
    """{path: [content key, size, mtime_ns]} of the published tree (unchanged files as recorded before)."""
    found = {}
    for rel, key in keys.items():
        if rel in unchanged and rel in known:
            found[rel] = known[rel]
            continue
        try:
            st = os.stat(os.path.join(out, rel))  # a string join: thousands of Path objects cost more than the stats
        except OSError:
            continue
        found[rel] = [key, st.st_size, st.st_mtime_ns]
    return found
