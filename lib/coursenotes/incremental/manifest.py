"""The manifest: what the last successful build into each output folder read and wrote."""

from __future__ import annotations

import json
import os
from pathlib import Path

FOLDER = ".coursenotes-cache"  # git-ignored, safe to delete: the next build is then a full one
NAME = "manifest.json"
FORMAT = 1


def store(path: Path, data: bytes) -> None:
    """Write a cache file whole (beside it, then one rename): readers never see half of one.

    A failed write (a full or read-only disk) only costs the next build time."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(data)
        os.replace(tmp, path)
    except OSError:
        pass


def options_key(options) -> str:
    """The command-line choices that change the output (never --jobs); '' when the build must not be skipped."""
    if options.refresh is not None:
        return ""  # --refresh asks for work by definition
    parts = (options.drafts, options.frozen, options.execute, options.search, options.gateway_url or "")
    return json.dumps(parts)


def out_identity(out: Path) -> list[int] | None:
    """The output folder's device and inode: the swap gives every published tree a new one."""
    try:
        st = os.stat(out)
    except OSError:
        return None
    return [st.st_dev, st.st_ino]


class Manifest:
    """`.coursenotes-cache/manifest.json` under the site root; `entry(out)` is one output folder's record."""

    def __init__(self, root: Path):
        self.path = Path(root) / FOLDER / NAME
        self.data: dict = {"format": FORMAT, "outs": {}}
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return
        if isinstance(data, dict) and data.get("format") == FORMAT and isinstance(data.get("outs"), dict):
            self.data = data

    def entry(self, out: Path) -> dict:
        """The record of the last build into `out` ({} when there is none)."""
        found = self.data["outs"].get(str(out))
        return found if isinstance(found, dict) else {}

    def record(self, out: Path, entry: dict) -> None:
        """Replace `out`'s record and save; a failed write only costs speed next time."""
        self.data["outs"][str(out)] = entry
        self.save()

    def forget(self, out: Path) -> None:
        """Drop `out`'s record (its folder is about to change in a way the record does not describe)."""
        if self.data["outs"].pop(str(out), None) is not None:
            self.save()

    def save(self) -> None:
        """Write atomically: a concurrent build reads the old manifest or the new one, never half of one."""
        store(self.path, json.dumps(self.data, separators=(",", ":")).encode())
