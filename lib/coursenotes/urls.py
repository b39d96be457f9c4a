"""Site URLs in one place: the file behind a URL, links between pages, and what counts as external."""

from __future__ import annotations

import posixpath
import re

# Another host or protocol (`https:`, `mailto:`, `//cdn`): never a file of this site.
SCHEME = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|//)", re.I)


def has_scheme(ref: str) -> bool:
    """Whether a reference names another host or protocol."""
    return bool(SCHEME.match(ref))


def is_site_path(ref: str) -> bool:
    """Whether a reference is an absolute path on this site (`/tags/`)."""
    return ref.startswith("/") and not ref.startswith("//")


def is_beside_page(ref: str) -> bool:
    """Whether a reference names a file relative to the page (not another host, not a site path)."""
    return not has_scheme(ref) and not ref.startswith("/")


def page_path(url: str) -> str:
    """The file behind a site URL: `/tags/x/` -> `tags/x/index.html`."""
    return url.lstrip("/") + "index.html" if url.endswith("/") else url.lstrip("/")


def page_folder(url: str) -> str:
    """The folder a page's own files sit in: `/posts/a/` -> `posts/a`."""
    return page_path(url).rsplit("/", 1)[0] if "/" in page_path(url) else ""


def relative_link(from_url: str, to_url: str) -> str:
    """A link from one page to another that works on any host and any subpath."""
    if has_scheme(to_url):
        return to_url
    if not to_url.startswith("/"):
        to_url = "/" + to_url
    base = from_url if from_url.endswith("/") else posixpath.dirname(from_url) + "/"
    rel = posixpath.relpath(to_url, base)
    rel = "./" if rel == "." else rel
    return rel + "/" if to_url.endswith("/") and not rel.endswith("/") else rel


def absolute_url(site_url: str, url_path: str) -> str:
    """An absolute URL for a site path under `website.site-url`."""
    return site_url.rstrip("/") + "/" + url_path.lstrip("/")


def site_href(href: str) -> str:
    """A navbar href as a site URL: Quarto names source files (`tags/index.qmd`), we link pages (`/tags/`)."""
    if has_scheme(href) or href.startswith("#"):
        return href
    stem, dot, ext = href.lstrip("./").rpartition(".")
    if not dot or ext not in ("qmd", "md", "ipynb", "html"):
        return "/" + href.lstrip("./")
    stem = stem.removesuffix("index").rstrip("/")
    return f"/{stem}/" if stem else "/"
