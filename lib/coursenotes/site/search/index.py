"""The search index as files: term shards, one record per page, and a small meta file; updated page by page.

`search/meta.json` lists the shards, the page count and each tag's pages;
`search/terms/<hex>.json` maps the terms that start with the same two characters to
`[[page id, weight], ...]`; `search/docs/<id>.json` is what a result shows. Every file is
written in one canonical order, so an index updated page by page is byte for byte the index a
clean build makes.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from coursenotes.site.search.docs import Doc, doc_json, weights
from coursenotes.site.search.text import shard_of

FOLDER = "search"
VERSION = 1  # of the file format search.js reads

Postings = dict[str, dict[str, int]]  # term -> {page id: weight}


@dataclass
class Index:
    """Everything needed to update the index without reading a page that did not change."""

    # page id: (the key its entry was made from, the shards holding its words, its tags)
    pages: dict[str, tuple[str, tuple[str, ...], tuple[str, ...]]] = field(default_factory=dict)
    shards: dict[str, bytes] = field(default_factory=dict)  # shard name: file bytes
    records: dict[str, bytes] = field(default_factory=dict)  # page id: docs/<id>.json bytes


def encode(data: object) -> bytes:
    """Compact JSON with sorted keys: the same data always gives the same bytes."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode()


def shard_bytes(postings: Postings) -> bytes:
    """One shard's file: terms in order, each page list in id order."""
    return encode({term: sorted(pages.items()) for term, pages in postings.items()})


def read_shard(data: bytes) -> Postings:
    """A shard file back into postings."""
    return {term: dict(pages) for term, pages in json.loads(data).items()}


def by_shard(doc: Doc) -> dict[str, dict[str, int]]:
    """A page's term weights grouped by the shard each term lives in."""
    grouped: dict[str, dict[str, int]] = defaultdict(dict)
    for term, weight in weights(doc).items():
        grouped[shard_of(term)][term] = weight
    return grouped


def updated(old: Index, keys: dict[str, str], make: Callable[[str], Doc], tags: dict[str, tuple[str, ...]]) -> Index:
    """The index for pages {id: key}: pages whose key is unchanged are kept, the others made with `make(id)`."""
    changed = [pid for pid, key in keys.items() if old.pages.get(pid, ("",))[0] != key]
    gone = [pid for pid in old.pages if pid not in keys]
    new = Index(
        {pid: old.pages[pid] for pid in keys if pid not in changed},
        dict(old.shards),
        {pid: old.records[pid] for pid in keys if pid not in changed},
    )
    stale = set(changed) | set(gone)
    touched = {name for pid in stale if pid in old.pages for name in old.pages[pid][1]}
    adding: dict[str, dict[str, dict[str, int]]] = defaultdict(dict)  # shard: page id: {term: weight}
    for pid in changed:
        doc = make(pid)
        grouped = by_shard(doc)
        for name, found in grouped.items():
            adding[name][pid] = found
        new.pages[pid] = (keys[pid], tuple(sorted(grouped)), tags.get(pid, ()))
        new.records[pid] = doc_json(doc)
    for name in touched | set(adding):
        postings = read_shard(old.shards[name]) if name in old.shards else {}
        for term in list(postings):
            pages = {pid: w for pid, w in postings[term].items() if pid not in stale}
            if pages:
                postings[term] = pages
            else:
                del postings[term]
        for pid, found in adding.get(name, {}).items():
            for term, weight in found.items():
                postings.setdefault(term, {})[pid] = weight
        if postings:
            new.shards[name] = shard_bytes(postings)
        else:
            new.shards.pop(name, None)
    return new


def meta_bytes(index: Index) -> bytes:
    """`search/meta.json`: format version, page count, the shards that exist, and each tag's pages."""
    tagged: dict[str, list[str]] = defaultdict(list)
    for pid, (_, _, tags) in sorted(index.pages.items()):
        for tag in tags:
            tagged[tag].append(pid)
    return encode({"version": VERSION, "pages": len(index.pages), "shards": sorted(index.shards), "tags": tagged})


def index_files(index: Index) -> dict[str, bytes]:
    """Every file of the index, keyed by its path under the site."""
    files = {f"{FOLDER}/meta.json": meta_bytes(index)}
    files.update({f"{FOLDER}/terms/{name}.json": data for name, data in index.shards.items()})
    files.update({f"{FOLDER}/docs/{pid}.json": data for pid, data in index.records.items()})
    return files
