"""`_metadata.yml` in posts/ and its subfolders, merged into each post as Quarto does."""

from __future__ import annotations

from pathlib import Path

from coursenotes.files import read_text
from coursenotes.sources.frontmatter import parse_yaml

METADATA_FILE = "_metadata.yml"


def merge(base: dict, over: dict) -> dict:
    """Quarto's merge: mappings merge key by key, lists concatenate without repeats, anything else is replaced."""
    out = dict(base)
    for key, value in over.items():
        old = out.get(key)
        if isinstance(old, dict) and isinstance(value, dict):
            out[key] = merge(old, value)
        elif (isinstance(old, list) or isinstance(value, list)) and old is not None and value is not None:
            combined = (old if isinstance(old, list) else [old]) + (value if isinstance(value, list) else [value])
            out[key] = [v for i, v in enumerate(combined) if v not in combined[:i]]
        else:
            out[key] = value
    return out


def folder_metadata(folder: Path) -> tuple[tuple[str, object], ...]:
    """The `_metadata.yml` of one folder , as items."""
    path = folder / METADATA_FILE
    if not path.is_file():
        return ()
    meta, _ = parse_yaml(read_text(path), path, 1)
    return tuple(meta.items())


def inherited(posts_dir: Path, source: Path) -> tuple[dict, list[Path]]:
    """The metadata a post inherits (shallow folders first, deeper ones override) and the files it came from."""
    posts_dir = posts_dir.resolve()
    meta: dict = {}
    files: list[Path] = []
    folder = source.resolve().parent
    chain = [folder, *folder.parents]
    for f in reversed(chain[: chain.index(posts_dir) + 1] if posts_dir in chain else []):
        items = folder_metadata(f)
        if items:
            meta, files = merge(meta, dict(items)), [*files, f / METADATA_FILE]
    return meta, files
