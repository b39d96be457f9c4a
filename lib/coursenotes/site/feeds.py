"""Atom feeds and the sitemap, with absolute URLs from `website.site-url`."""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from functools import lru_cache

from coursenotes.settings import SiteConfig
from coursenotes.sources import Post

ATOM = "http://www.w3.org/2005/Atom"
SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
FEED_SIZE = 20
# A feed entry carries the post's whole page up to this size; a longer one (a cell printing
# megabytes) carries its summary and the link, so index.xml stays small enough for feed readers.
MAX_CONTENT = 200_000
# Characters XML 1.0 cannot hold at all (even escaped): a title or output holding one made index.xml invalid.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


@lru_cache(maxsize=256)
def xml_text(text: str) -> str:
    """Text with the characters XML forbids removed (remembered: a post's content is in several feeds)."""
    return NOT_XML.sub("", text)


def iso(when: dt.datetime) -> str:
    """RFC 3339 time; naive dates are taken as UTC so feeds do not depend on the builder's zone."""
    return (when if when.tzinfo else when.replace(tzinfo=dt.UTC)).isoformat(timespec="seconds")


def sub(parent: ET.Element, tag: str, text: str | None = None, **attrs) -> ET.Element:
    """Append a child element with optional text."""
    el = ET.SubElement(parent, tag, {k: xml_text(str(v)) for k, v in attrs.items()})
    if text is not None:
        el.text = xml_text(text)
    return el


def atom_feed(
    config: SiteConfig, title: str, feed_path: str, page_path: str, posts: list[Post], contents: dict[str, str]
) -> str:
    """An Atom 1.0 document for posts (newest first), each entry with summary and full HTML content."""
    ET.register_namespace("", ATOM)
    feed = ET.Element("feed", xmlns=ATOM)
    sub(feed, "title", title)
    sub(feed, "id", config.absolute(feed_path))
    sub(feed, "link", href=config.absolute(feed_path), rel="self")
    sub(feed, "link", href=config.absolute(page_path), rel="alternate")
    sub(feed, "updated", iso(max((p.date for p in posts), default=dt.datetime(1970, 1, 1))))
    if config.description:
        sub(feed, "subtitle", config.description)
    sub(sub(feed, "author"), "name", config.author or config.title)
    sub(feed, "generator", "coursenotes")
    for post in posts[:FEED_SIZE]:
        entry = sub(feed, "entry")
        sub(entry, "title", post.title)
        sub(entry, "id", config.absolute(post.url))
        sub(entry, "link", href=config.absolute(post.url), rel="alternate")
        sub(entry, "updated", iso(post.date))
        sub(entry, "published", iso(post.date))
        if post.author:
            sub(sub(entry, "author"), "name", post.author)
        for tag in post.tags:
            sub(entry, "category", term=tag)
        if post.description:
            sub(entry, "summary", post.description)
        if post.url in contents and len(contents[post.url]) <= MAX_CONTENT:
            sub(entry, "content", contents[post.url], type="html")
        elif not post.description:
            sub(entry, "summary", f"{post.title}: the full post is too long for the feed; read it on the site.")
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="unicode") + "\n"


def sitemap(config: SiteConfig, pages: list[tuple[str, dt.datetime | None]]) -> str:
    """sitemap.xml for (site path, last modified) pairs."""
    urlset = ET.Element("urlset", xmlns=SITEMAP)
    for path, when in pages:
        url = sub(urlset, "url")
        sub(url, "loc", config.absolute(path))
        if when:
            sub(url, "lastmod", when.date().isoformat())
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(urlset, encoding="unicode") + "\n"
