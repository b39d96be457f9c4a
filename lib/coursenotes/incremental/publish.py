"""Which output files can be hard-linked from the published site, and what to record about the new one."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

SEARCH_BUNDLE = "pagefind"
INDEXED = b"data-pagefind-body"  # pagefind indexes only pages that carry it


def content_key(content: bytes | Path) -> str:
    """What a file will hold: the hash of its bytes, or its source file by path, size and time."""
    if isinstance(content, Path):
        st = os.stat(content)
        return f"path:{content.resolve()}:{st.st_size}:{st.st_mtime_ns}"
    return hashlib.sha256(content).hexdigest()


def intact(out: Path, rel: str, recorded) -> bool:
    """True when the published file still has the size and mtime recorded when it was written."""
    try:
        st = os.stat(out / rel)
    except OSError:
        return False
    return [st.st_size, st.st_mtime_ns] == list(recorded[1:3])


def indexed_pages(files: dict[str, bytes | Path]) -> dict[str, str]:
    """{path: content hash} of the pages the search index is made from."""
    return {
        rel: hashlib.sha256(data).hexdigest()
        for rel, data in files.items()
        if rel.endswith(".html") and isinstance(data, bytes) and INDEXED in data
    }


def reusable(files: dict[str, bytes | Path], keys: dict[str, str], out: Path, entry: dict) -> set[str]:
    """The files whose content is what `out` already holds: hard-linked into the new tree, not written."""
    recorded = entry.get("files", {})
    return {
        rel
        for rel, key in keys.items()
        if rel in recorded and recorded[rel][0] == key and intact(out, rel, recorded[rel])
    }


def reuse_search(files: dict[str, bytes | Path], indexed: dict[str, str], out: Path, entry: dict) -> set[str]:
    """The published search bundle's files (added to `files`) when no indexed page changed; empty otherwise."""
    bundle = entry.get("bundle")
    if not bundle or entry.get("indexed") != indexed:
        return set()
    if not all(intact(out, rel, [None, *stamp]) for rel, stamp in bundle.items()):
        return set()
    for rel in bundle:
        files[rel] = out / rel
    return set(bundle)


def record_files(out: Path, keys: dict[str, str], known: dict, unchanged: set[str]) -> dict[str, list]:
    """{path: [content key, size, mtime_ns]} of the published tree (unchanged files as recorded before)."""
    found = {}
    for rel, key in keys.items():
        if rel in unchanged and rel in known:
            found[rel] = known[rel]
            continue
        try:
            st = os.stat(out / rel)
        except OSError:
            continue
        found[rel] = [key, st.st_size, st.st_mtime_ns]
    return found


def record_bundle(out: Path) -> dict[str, list]:
    """{path: [size, mtime_ns]} of every file in the published search bundle."""
    found = {}
    for folder, _, names in os.walk(out / SEARCH_BUNDLE):
        for name in names:
            path = Path(folder, name)
            st = path.stat()
            found[path.relative_to(out).as_posix()] = [st.st_size, st.st_mtime_ns]
    return found
