"""What the search index knows of one page: its words, weighted, and the record a result shows."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from dataclasses import dataclass

from coursenotes.site.search.text import terms, visible_text

# A word in the title says more about a page than one in its body.
TITLE, TAGS, DESCRIPTION, BODY = 10, 5, 3, 1
TEXT_CAP = 100_000  # characters of body text kept for excerpts


@dataclass(frozen=True)
class Doc:
    """One indexed page: identity, what a result shows, and its text."""

    id: str
    url: str
    title: str
    date: str  # ISO date for posts; "" for pages
    tags: tuple[str, ...]
    description: str
    text: str


def doc_id(url: str) -> str:
    """A page's stable id in the index (12 hex digits of its URL's hash: 2^48 values)."""
    return hashlib.sha256(url.encode()).hexdigest()[:12]


def doc_key(url: str, title: str, date: str, tags: tuple[str, ...], description: str, body: str) -> str:
    """Everything a page's index entry is made from, hashed: the entry is remade only when this changes."""
    head = json.dumps([url, title, date, list(tags), description], ensure_ascii=False)
    return hashlib.sha256(f"{head}\0{body}".encode()).hexdigest()


def make_doc(url: str, title: str, date: str, tags: tuple[str, ...], description: str, body: str) -> Doc:
    """The index entry of a page from its fields and rendered body."""
    return Doc(doc_id(url), url, title, date, tuple(tags), description, visible_text(body))


def weights(doc: Doc) -> dict[str, int]:
    """Each term of the page and how much it counts there."""
    found: Counter[str] = Counter()
    for weight, text in ((TITLE, doc.title), (TAGS, " ".join(doc.tags)), (DESCRIPTION, doc.description)):
        for term in terms(text):
            found[term] += weight
    found.update(terms(doc.text))
    return dict(found)


def doc_json(doc: Doc) -> bytes:
    """The file a result is shown from (title, link, date, tags, text for the excerpt)."""
    record = {
        "url": doc.url,
        "title": doc.title,
        "date": doc.date,
        "tags": list(doc.tags),
        "description": doc.description,
        "text": doc.text[:TEXT_CAP],
    }
    return json.dumps(record, ensure_ascii=False, separators=(",", ":")).encode()
