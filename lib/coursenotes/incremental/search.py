"""The search index of the last build into an output folder, kept so the next build updates it page by page."""

from __future__ import annotations

import hashlib
import pickle
from pathlib import Path

from coursenotes.incremental.manifest import FOLDER, store
from coursenotes.site.search import Index

SEARCH = "search"


class SearchMemo:
    """One pickle per output folder and options; trusted only when the manifest entry names its hash."""

    def __init__(self, root: Path, name: str):
        self.path = Path(root) / FOLDER / SEARCH / f"{name}.pickle"
        self.pending: bytes | None = None

    def load(self, token: str | None) -> Index:
        """The index the last build published (its hash is `token`), or an empty one: every page indexed afresh."""
        if not token:
            return Index()
        try:
            data = self.path.read_bytes()
            if hashlib.sha256(data).hexdigest() != token:
                return Index()
            index = pickle.loads(data)
        except Exception:  # missing, partial or from another version: a full index costs time only
            return Index()
        return index if isinstance(index, Index) else Index()

    def keep(self, index: Index) -> str:
        """Hold `index` until the build is published; its hash goes in the manifest entry."""
        self.pending = pickle.dumps(index, protocol=pickle.HIGHEST_PROTOCOL)
        return hashlib.sha256(self.pending).hexdigest()

    def save(self) -> None:
        """Write the held index (after the site is published); a failed write only costs the next build time."""
        if self.pending is not None:
            store(self.path, self.pending)
