"""Writing imported files so that running the import again is safe: an author's edits are never overwritten."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from coursenotes.errors import CoursenotesError
from coursenotes.importing.report import ImportReport

MANIFEST = "_imported.json"  # what the last import wrote: path -> sha256 of the bytes written


def digest(data: bytes) -> str:
    """The sha256 of some bytes, in hex."""
    return hashlib.sha256(data).hexdigest()


class Writer:
    """Writes files under the site root, remembering what it wrote in `_imported.json`."""

    def __init__(self, root: Path, report: ImportReport):
        self.root, self.report = root.resolve(), report
        path = self.root / MANIFEST
        self.manifest: dict[str, str] = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
        self.done: set[str] = set()  # written (or judged) in this run: a shared image is handled once

    def write(self, rel: str, data: bytes) -> None:
        """Write root/rel unless it already holds these bytes or the author changed what we wrote last time."""
        if rel in self.done:
            return
        self.done.add(rel)
        target = (self.root / rel).resolve()
        if not target.is_relative_to(self.root):
            raise CoursenotesError(f"refusing to write {rel}: it is outside the site", self.root)
        if target.is_file():
            current = target.read_bytes()
            if current == data:
                self.report.unchanged.append(rel)
                self.manifest[rel] = digest(data)
                return
            if self.manifest.get(rel) != digest(current):
                self.report.kept.append(rel)  # not what we wrote: the author's file
                return
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        self.manifest[rel] = digest(data)
        self.report.written.append(rel)

    def save(self) -> None:
        """Record what was written, for the next run."""
        text = json.dumps(dict(sorted(self.manifest.items())), indent=1) + "\n"
        (self.root / MANIFEST).write_text(text, encoding="utf-8")
