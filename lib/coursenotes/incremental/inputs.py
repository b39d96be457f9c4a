"""Everything a build reads, as (size, mtime_ns, sha256) per file: stat first, content hash only on a mismatch."""

from __future__ import annotations

import hashlib
import os
import sys
from dataclasses import dataclass
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1]  # lib/coursenotes: code, templates, assets
# node_modules is skipped below, but these reach the site: mermaid.min.js draws diagrams at build time,
# the ESM build (core and chunks, published when a diagram is left to the browser) is the reader's copy.
SITE_FILES = ("node_modules/mermaid/dist/mermaid.min.js", "node_modules/mermaid/dist/mermaid.esm.min.mjs")
SITE_FOLDERS = ("node_modules/mermaid/dist/chunks/mermaid.esm.min",)  # their *.mjs files, whose names hash content
# The whole project is input (posts, pages, _metadata.yml, _variables.yml, included files, images
# anywhere, config, filters, frozen store), except what builds and tools write. Dot folders
# (.git, .venv, .quarto, ...) are skipped too, and so is any folder a build wrote (its marker file).
SKIPPED = {"__pycache__", ".ipynb_checkpoints", "node_modules", "_site", "_freeze", "site-packages"}
OUTPUT_MARKER = ".coursenotes-site"
POST_SUFFIXES = (".qmd", ".md", ".ipynb")
ENVIRONMENT = ("JUPYTER_GATEWAY_URL",)  # the environment variables a build reads that change its output


def digest(path: Path) -> str:
    """sha256 of a file's content."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def walk(folder: Path, into: dict[str, os.stat_result], prefix: str) -> None:
    """Every file under `folder` (recursively, caches and dot-files aside) with its stat."""
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        if entry.name in SKIPPED or entry.name.startswith("."):
            continue
        rel = f"{prefix}{entry.name}"
        if entry.is_dir(follow_symlinks=False):
            if not os.path.exists(os.path.join(entry.path, OUTPUT_MARKER)):
                walk(Path(entry.path), into, rel + "/")
        elif entry.is_file():
            into[rel] = entry.stat()


def stats(root: Path) -> dict[str, os.stat_result]:
    """The stat of every input file, keyed `site:<path>` or `pkg:<path>`."""
    found: dict[str, os.stat_result] = {}
    named = [*SITE_FILES, *(f"{folder}/{p.name}" for folder in SITE_FOLDERS for p in (root / folder).glob("*.mjs"))]
    for name in named:
        try:
            found[f"site:{name}"] = os.stat(root / name)
        except OSError:
            continue
    walk(root, found, "site:")
    walk(PACKAGE, found, "pkg:")
    return found


def is_post_source(key: str) -> bool:
    """Whether an input is a post's own file (posts/**/x.qmd, none of its folders `_`-named, as Quarto skips those)."""
    if not key.startswith("site:posts/") or not key.endswith(POST_SUFFIXES):
        return False
    return not any(part.startswith(("_", ".")) for part in key[len("site:posts/") :].split("/"))


def environment_stamp() -> str:
    """This interpreter and its installed packages: a pip install changes a site-packages folder's mtime."""
    parts = [sys.version]
    for entry in sys.path:
        if entry.endswith("site-packages") and os.path.isdir(entry):
            parts.append(f"{entry}:{os.stat(entry).st_mtime_ns}")
    parts += [f"{name}={os.environ.get(name, '')}" for name in ENVIRONMENT]
    return "\n".join(parts)


@dataclass(frozen=True)
class Snapshot:
    """The build's inputs: {key: [size, mtime_ns, sha256]} and the environment stamp."""

    files: dict[str, list]
    environment: str

    def sha(self, key: str) -> str:
        """One file's content hash ('' when it is not an input)."""
        entry = self.files.get(key)
        return entry[2] if entry else ""

    def shared_key(self) -> str:
        """A hash of every input that is not a post's own source or a frozen entry: config, package, filters,
        environment, and the files posts may read (_metadata.yml, includes, bibliographies, images)."""
        h = hashlib.sha256(self.environment.encode())
        for key in sorted(self.files):
            if not (is_post_source(key) or key.startswith("site:_frozen/")):
                h.update(f"{key}\0{self.files[key][2]}\n".encode())
        return h.hexdigest()

    def same_content(self, other: Snapshot) -> bool:
        """True when both name the same files with the same content, and the same environment."""
        if self.environment != other.environment or self.files.keys() != other.files.keys():
            return False
        return all(self.files[k][2] == other.files[k][2] for k in self.files)


def snapshot(root: Path, previous: dict[str, list] | None = None) -> Snapshot:
    """The inputs now; a file whose size and mtime match `previous` keeps its recorded hash unread."""
    return Snapshot(hashed(root, stats(root), previous or {}), environment_stamp())


def frozen_inputs(root: Path, previous: dict[str, list]) -> dict[str, list]:
    """The `site:_frozen/` entries `snapshot` would give now (the files a build writes into the project)."""
    found: dict[str, os.stat_result] = {}
    folder = root / "_frozen"
    if folder.is_dir() and not folder.is_symlink() and not (folder / OUTPUT_MARKER).exists():
        walk(folder, found, "site:_frozen/")  # the same rules as the whole project's walk
    return hashed(root, found, previous)


def hashed(root: Path, found: dict[str, os.stat_result], previous: dict[str, list]) -> dict[str, list]:
    """{key: [size, mtime_ns, sha256]} for stat'ed inputs, hashing only those whose size or mtime changed."""
    files: dict[str, list] = {}
    for key, st in found.items():
        old = previous.get(key)
        if old and old[0] == st.st_size and old[1] == st.st_mtime_ns:
            files[key] = old
            continue
        where = PACKAGE / key[4:] if key.startswith("pkg:") else root / key[5:]
        try:
            files[key] = [st.st_size, st.st_mtime_ns, digest(where)]
        except OSError:
            continue  # deleted since the stat: it is not an input any more
    return files
