"""One build's incremental state: the manifest entry, the inputs now, and the memos built on them."""

from __future__ import annotations

import os
from pathlib import Path

from coursenotes.incremental.fastpath import handed_over
from coursenotes.incremental.inputs import Snapshot, digest, frozen_inputs, snapshot
from coursenotes.incremental.manifest import Manifest, options_key, out_identity
from coursenotes.incremental.memo import BodyMemo, InlineMemo, SourceMemo, sha
from coursenotes.incremental.pages import CachedPages
from coursenotes.incremental.publish import content_key, intact, record_files, reusable
from coursenotes.incremental.search import SearchMemo
from coursenotes.incremental.update import worth_it
from coursenotes.site.search import index_site, pages_of
from coursenotes.sources import Post, read_post


class Session:
    """What the last build into `out` left, and what this one reuses and records."""

    def __init__(self, root: Path, out: Path, options):
        self.root, self.out = Path(root), Path(out)
        handed = handed_over(self.root, self.out)  # the CLI's no-op check read these a moment ago
        self.manifest = handed[0] if handed else Manifest(self.root)
        self.entry = self.manifest.entry(self.out)
        self.options = options_key(options)
        if not self.options or self.entry.get("options") != self.options or out_identity(out) != self.entry.get("out"):
            self.entry = {}  # nothing published can be trusted to match: write every file
        if handed and self.entry:  # the check stat'ed (and hashed) the inputs against this very entry
            self.before = handed[1]
        else:
            self.before = snapshot(self.root, self.entry.get("inputs") or self.manifest_inputs())
        self.sources = SourceMemo(self.root, read_post, self.before.shared_key())
        self.bodies = BodyMemo(self.root, self.before.shared_key(), self.options)
        self.inline = InlineMemo(self.root, self.before.shared_key())
        self.keys: dict[str, str] = {}
        self.kept: set[str] = set()
        self.cached_pages: CachedPages | None = None
        self.search = SearchMemo(self.root, sha(str(self.out), self.options or "")[:24])
        self.search_token: str | None = None
        self.as_published: dict[str, tuple[Path, str]] = {}  # published pages kept as they are, with their keys

    def manifest_inputs(self) -> dict:
        """Any recorded input hashes (from another output folder's entry) to spare re-hashing files."""
        for entry in self.manifest.data["outs"].values():
            if isinstance(entry, dict) and entry.get("inputs"):
                return entry["inputs"]
        return {}

    def unchanged(self) -> bool:
        """True when the last build into `out` had exactly these inputs and options."""
        entry = self.entry
        if not entry or entry.get("volatile"):
            return False
        return self.before.same_content(Snapshot(entry.get("inputs", {}), entry.get("environment", "")))

    def rel(self, path: Path) -> str:
        """A path under the site root, as the snapshot names it."""
        text, root = str(path), str(self.root)
        if os.sep == "/" and text.startswith(root + "/") and "/../" not in text and "/./" not in text:
            return "site:" + text[len(root) + 1 :]  # a string slice: relative_to costs 15 µs a post
        try:
            return "site:" + path.relative_to(self.root).as_posix()  # posts are found under the resolved root
        except ValueError:
            return "site:" + path.resolve().relative_to(self.root).as_posix()

    def frozen_sha(self, post: Post, now: bool) -> str:
        """The post's frozen entry's hash: as it was before the build, or as it is now."""
        path = self.root / "_frozen" / f"{post.slug}.json"
        if not now:
            return self.before.sha(self.rel(path))
        return digest(path) if path.is_file() else ""

    def body_key(self, post: Post, now: bool = False) -> tuple[str, str]:
        """(post file, memo key) for the post's rendered body."""
        rel = self.rel(post.source)
        source = self.before.sha(rel) or digest(post.source)
        return rel, self.bodies.key(rel, source, self.frozen_sha(post, now))

    def remembered(self, post: Post):
        """(fragment, files, run) from an earlier build of exactly this post and inputs, or None."""
        if self.sources.volatile:
            return None
        return self.bodies.get(*self.body_key(post))

    def outputs_key(self, post: Post, code: str, now: bool = False) -> tuple[str, str]:
        """(memo name, key) for the post's executed outputs."""
        rel = self.rel(post.source)
        return f"{rel}#outputs", self.bodies.key(rel, code, self.frozen_sha(post, now))

    def remembered_outputs(self, post: Post, code: str):
        """(cells, options, run) from an earlier build of the same code and inputs, or None."""
        if self.sources.volatile:
            return None
        return self.bodies.get(*self.outputs_key(post, code))

    def remember_outputs(self, post: Post, code: str, value: tuple) -> None:
        """Keep a post's executed outputs for builds after a prose edit."""
        self.bodies.put(*self.outputs_key(post, code, now=True), value)

    def remember(self, post: Post, value: tuple) -> None:
        """Keep a post's body for later builds."""
        rel, key = self.body_key(post, now=True)
        self.bodies.put(rel, key, value)

    def pages(self, config, search: bool) -> CachedPages:
        """Page renderer that reuses a published page whose key is unchanged."""
        recorded = self.entry.get("files", {})

        def published(rel: str) -> Path | None:
            if rel not in recorded or not intact(self.out, rel, recorded[rel]):
                return None
            # The published file itself, unread: it is kept (or linked into a new tree) as it is, and its
            # content key is the one recorded, so it is never read or hashed again.
            kept = Path(self.out, rel)
            self.as_published[rel] = (kept, recorded[rel][0])
            return kept

        known_sources = self.entry.get("page_sources", {})
        self.cached_pages = CachedPages(config, search, self.entry.get("pages", {}), published, known_sources)
        return self.cached_pages

    def search_files(self, posts: list[Post], site_pages: list[Post], bodies: dict) -> dict[str, bytes]:
        """The search index's files: pages unchanged since the last build keep their entries unread."""
        old = self.search.load(self.entry.get("search"))
        index, files = index_site(old, pages_of(posts, site_pages, bodies))
        self.search_token = self.search.keep(index)
        return files

    def reuse(self, files: dict[str, bytes | Path]) -> set[str]:
        """The files to hard-link from (or leave in) the published site: their content is unchanged."""
        # Pages kept as they are: found intact a moment ago, with the content key recorded for them.
        as_is = {rel: key for rel, (data, key) in self.as_published.items() if files.get(rel) is data}
        self.keys = {rel: as_is.get(rel) or content_key(data) for rel, data in files.items()}
        others = {rel: key for rel, key in self.keys.items() if rel not in as_is}
        self.kept = set(as_is) | reusable(files, others, self.out, self.entry)
        return self.kept

    def in_place(self, files: dict, unchanged: set[str]) -> bool:
        """True when the published site can be updated file by file (see update.py)."""
        return bool(self.entry) and worth_it(len(files) - len(unchanged), len(files))

    def record(self, posts: int, runs: list[dict], notes: list[str], warnings: list[str]) -> None:
        """Save what was published, for the next build's no-op check and reuse."""
        inputs = {k: v for k, v in self.before.files.items() if not k.startswith("site:_frozen/")}
        inputs.update(frozen_inputs(self.root, self.before.files))  # what this build wrote there
        pages = self.cached_pages
        entry = {
            "options": self.options,
            "inputs": inputs,
            "environment": self.before.environment,
            "posts": posts,
            "runs": runs,
            "notes": notes,  # said again by a no-op build: they still hold
            "warnings": warnings,
            "volatile": self.sources.volatile,
            "out": out_identity(self.out),
            "files": record_files(self.out, self.keys, self.entry.get("files", {}), self.kept),
            "pages": pages.keys if pages else {},
            "page_sources": pages.found_sources if pages else {},
            "search": self.search_token,
        }
        self.sources.save()
        self.inline.save()
        self.search.save()
        self.manifest.record(self.out, entry)
