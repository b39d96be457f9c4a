"""The no-op check: are the inputs exactly those of the last build into this folder, which is still there?"""

from __future__ import annotations

from pathlib import Path

from coursenotes.incremental.inputs import Snapshot, snapshot
from coursenotes.incremental.manifest import Manifest, options_key, out_identity

# What a failed no-op check read (the manifest, the inputs' snapshot), for the build that follows in this process.
HANDED: dict[tuple[str, str], tuple[Manifest, Snapshot]] = {}


def handed_over(root: Path, out: Path) -> tuple[Manifest, Snapshot] | None:
    """The manifest and snapshot the no-op check just read for this site and output folder (once), else None."""
    return HANDED.pop((str(root), str(out)), None)


def default_out(root: Path, out: Path | None) -> Path:
    """The output folder a build of `root` writes (as build.py resolves it)."""
    return Path(out).resolve() if out else Path(root).resolve() / "_site"


def up_to_date(root: Path | str, options) -> dict | None:
    """The last build's record ({'posts': n, 'notes': [...], ...}) when nothing changed since; None when a build
    is needed."""
    root = Path(root).resolve()
    out = default_out(root, options.out)
    manifest = Manifest(root)
    entry = manifest.entry(out)
    key = options_key(options)
    if not entry or not key or entry.get("options") != key or entry.get("volatile"):
        return None
    if out_identity(out) != entry.get("out"):
        return None  # the folder was deleted or replaced by something else
    recorded = Snapshot(entry.get("inputs", {}), entry.get("environment", ""))
    now = snapshot(root, recorded.files)
    if not now.same_content(recorded):
        HANDED[(str(root), str(out))] = (manifest, now)  # the build that follows starts from these
        return None
    if now.files != recorded.files:  # touched but identical (a checkout): remember the new times
        entry["inputs"] = now.files
        manifest.record(out, entry)
    return entry
