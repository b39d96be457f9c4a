"""Incremental builds: decide from a manifest what an edit touched, and redo only that.

The manifest (`.coursenotes-cache/manifest.json`, git-ignored, one entry per output folder)
records every input file (size, mtime_ns, sha256), every output file and the key each page was
rendered from. Imports here are standard library only, so `coursenotes build` can answer a
no-op before loading nbformat, jupyter-cache, Jinja2 or pandoc. See docs/incremental.md.
Public names: up_to_date, Snapshot, snapshot, Manifest. The modules that need the later stages'
types (memo, pages, publish) are imported by build.py directly, only when a build runs.
"""

from coursenotes.incremental.fastpath import up_to_date
from coursenotes.incremental.inputs import Snapshot, snapshot
from coursenotes.incremental.manifest import Manifest

__all__ = ["Manifest", "Snapshot", "snapshot", "up_to_date"]
