"""Per-post memos: a source file's Post (by stat), and a post's rendered body (by content and inputs)."""

from __future__ import annotations

import hashlib
import os
import pickle
from collections.abc import Callable
from pathlib import Path

from coursenotes.incremental.manifest import FOLDER, store

SOURCES = "sources.pickle"
INLINE = "inline.pickle"
BODIES = "posts"
VOLATILE_DATES = ("today", "now")  # a post dated by the clock is never the same twice


def sha(*parts: str) -> str:
    """sha256 of the parts, separated so that ('ab', 'c') and ('a', 'bc') differ."""
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


def is_volatile(post) -> bool:
    """True for a post whose front matter dates it by the clock (`date: today` / `now`)."""
    return str(post.meta.get("date", "")).strip() in VOLATILE_DATES


class SourceMemo:
    """Post values from the last build, reused while a file's size and mtime are unchanged."""

    def __init__(self, root: Path, read: Callable[..., object], shared: str = ""):
        self.path, self.read_post, self.shared = Path(root) / FOLDER / SOURCES, read, shared
        self.known: dict[str, tuple] = {}
        self.used: dict[str, tuple] = {}
        self.volatile = False
        try:
            with open(self.path, "rb") as f:
                stored_shared, known = pickle.load(f)
            # A Post also depends on _metadata.yml, _variables.yml, included files, the config and this
            # package: any change there (the shared inputs) means every post is read again.
            self.known = known if stored_shared == shared else {}
        except Exception:  # a missing, old or corrupt memo only costs a full read
            self.known = {}

    def read(self, path: Path, *args):
        """The Post for `path`: remembered when the file is unchanged, else read (errors propagate)."""
        st = os.stat(path)
        stamp = (st.st_size, st.st_mtime_ns)
        hit = self.known.get(str(path))
        post = hit[1] if hit and hit[0] == stamp else self.read_post(path, *args)
        if is_volatile(post):
            self.volatile = True
        else:
            self.used[str(path)] = (stamp, post)
        return post

    def posts(self) -> list:
        """Every remembered Post (what a no-op build reports as published)."""
        return [post for _, post in self.known.values()]

    def save(self) -> None:
        """Keep this build's posts; files that are gone are forgotten."""
        if self.used == self.known:
            return
        store(self.path, pickle.dumps((self.shared, self.used), protocol=pickle.HIGHEST_PROTOCOL))


class InlineMemo(dict[str, str]):
    """Titles and descriptions pandoc rendered in earlier builds (Markdown -> HTML), while the shared inputs hold."""

    def __init__(self, root: Path, shared: str):
        super().__init__()
        self.path, self.shared = Path(root) / FOLDER / INLINE, shared
        try:
            with open(self.path, "rb") as f:
                stored_shared, known = pickle.load(f)
            if stored_shared == shared and isinstance(known, dict):  # pandoc and filters are shared inputs
                self.update(known)
        except Exception:  # missing or corrupt: pandoc renders them again
            pass
        self.before, self.used = len(self), set[str]()

    def __getitem__(self, text: str) -> str:
        self.used.add(text)
        return super().__getitem__(text)

    def save(self) -> None:
        """Keep the texts this build used (others are forgotten); nothing is written when nothing changed."""
        kept = {t: h for t, h in self.items() if t in self.used}
        if len(self) == self.before and len(kept) == len(self):
            return
        store(self.path, pickle.dumps((self.shared, kept), protocol=pickle.HIGHEST_PROTOCOL))


class BodyMemo:
    """A post's rendered body, output files and execution record, keyed by everything they come from."""

    def __init__(self, root: Path, shared: str, options: str):
        self.folder, self.shared, self.options = Path(root) / FOLDER / BODIES, shared, options

    def file(self, rel: str) -> Path:
        """One post's memo file (one per post and set of options, overwritten as it changes)."""
        return self.folder / f"{sha(rel, self.options)[:24]}.pickle"

    def key(self, rel: str, source_sha: str, frozen_sha: str) -> str:
        """Source content, its frozen entry, and every shared input (config, filters, package, environment)."""
        return sha(self.shared, self.options, rel, source_sha, frozen_sha)

    def get(self, rel: str, key: str):
        """(fragment, files, run) remembered under `key`, or None."""
        if not self.options:
            return None  # --refresh: run what was asked
        try:
            with open(self.file(rel), "rb") as f:
                stored_key, value = pickle.load(f)
        except Exception:
            return None
        return value if stored_key == key else None

    def put(self, rel: str, key: str, value: tuple) -> None:
        """Remember one post's result; a failed write only costs speed."""
        store(self.file(rel), pickle.dumps((key, value), protocol=pickle.HIGHEST_PROTOCOL))
