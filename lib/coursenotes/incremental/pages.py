"""Pages rendered only when what they show changed: each render is keyed by its template, URL and context."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from collections.abc import Callable
from pathlib import Path

from coursenotes.site import Pages, Tag
from coursenotes.sources import Post
from coursenotes.urls import page_path

PLAIN = (str, int, float, bool, type(None), dt.datetime, dt.date)
LONG = 4096  # characters: longer strings are fingerprinted by digest


class Fingerprints:
    """Stable text for template contexts; None for a value it cannot vouch for (that page is always rendered)."""

    def __init__(self) -> None:
        self.posts: dict[int, str] = {}

    def post(self, post: Post) -> str:
        """Everything a template can read from a post (its raw source aside: templates never see it)."""
        if id(post) not in self.posts:
            fields = (post.source, post.slug, post.title, post.date, post.description, post.tags, post.draft)
            more = (post.time_to_read, post.author, post.image, post.url, sorted(post.meta.items(), key=str))
            self.posts[id(post)] = repr(fields + more)
        return self.posts[id(post)]

    def __call__(self, value) -> str | None:
        """The value as text that changes whenever what a template can see of it changes."""
        if isinstance(value, str) and len(value) > LONG:
            # A page body: its digest is a third of the cost of its repr, and as unique.
            return "sha1:" + hashlib.sha1(value.encode("utf-8", "surrogatepass")).hexdigest()
        if isinstance(value, PLAIN):
            return repr(value)
        if isinstance(value, Post):
            return self.post(value)
        if isinstance(value, Tag):
            inner = self([value.name, value.slug, list(value.posts)])
            return None if inner is None else f"Tag{inner}"
        if isinstance(value, (list, tuple)):
            parts = [self(v) for v in value]
            return None if None in parts else f"[{','.join(parts)}]"  # type: ignore[arg-type]
        if isinstance(value, dict):
            return self(sorted(value.items(), key=lambda kv: str(kv[0])))
        if dataclasses.is_dataclass(value) and not isinstance(value, type):  # settings such as a Listing
            inner = self([getattr(value, f.name) for f in dataclasses.fields(value)])
            return None if inner is None else f"{type(value).__qualname__}{inner}"
        return None


class CachedPages(Pages):
    """Pages that hands back the published file when a page's key matches the one it was last built from."""

    def __init__(
        self,
        config,
        search: bool,
        known: dict[str, str],
        published: Callable[[str], Path | None],
        known_sources: dict[str, dict] | None = None,
    ):
        super().__init__(config, search)
        self.known, self.published = known, published
        # The CSP needs of the pages last built (only those that have any), valid for the keys in `known`.
        self.known_sources = known_sources or {}
        self.found_sources: dict[str, dict[str, list[str]]] = {}
        self.urls: dict[str, str] = {}  # output path -> URL of each page rendered with a key
        self.base = hashlib.sha256(repr((config, search)).encode()).hexdigest()
        self.fingerprint = Fingerprints()
        self.keys: dict[str, str] = {}  # url -> key of every page rendered or reused this build

    def key(self, template: str, url: str, context: dict) -> str | None:
        """The page's key, or None when some of its context cannot be fingerprinted."""
        text = self.fingerprint(sorted(context.items()))
        if text is None:
            return None
        return hashlib.sha256(f"{self.base}\0{template}\0{url}\0{text}".encode()).hexdigest()

    def render(self, template: str, url: str, **context) -> bytes | Path:
        """The published page (its path) when its key is unchanged and its file intact, else a fresh render."""
        kept = self.kept(template, url, page_path(url), context)
        return kept if kept is not None else super().render(template, url, **context)

    def made(self, url: str, make, **context) -> bytes | Path:
        """The published file when what it depends on is unchanged (as `render`), else `make()`'s text."""
        kept = self.kept("", url, url.lstrip("/"), context)
        return kept if kept is not None else super().made(url, make, **context)

    def kept(self, template: str, url: str, path: str, context: dict) -> Path | None:
        """The published file at `path` when the key of (template, url, context) is the one recorded, else None."""
        key = self.key(template, url, context)
        if key is None:
            return None
        self.keys[url], self.urls[path] = key, url
        return self.published(path) if self.known.get(url) == key else None

    def page_sources(self, path: str, data) -> dict[str, set[str]]:
        """A page's CSP needs: remembered while its key is unchanged (its bytes are then the same), else read."""
        url = self.urls.get(path)
        if url is not None and self.known.get(url) == self.keys[url]:
            need = {d: set(v) for d, v in self.known_sources.get(url, {}).items()}
        else:
            need = super().page_sources(path, data)
        if url is not None and need:
            self.found_sources[url] = {d: sorted(v) for d, v in need.items()}
        return need
