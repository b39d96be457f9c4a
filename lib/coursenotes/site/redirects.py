"""Old URLs that keep working: `aliases:` front matter and Quarto's own URLs, as pages and Netlify `_redirects`."""

from __future__ import annotations

import posixpath
import re
from pathlib import Path
from urllib.parse import quote

from coursenotes.errors import FrontMatterError
from coursenotes.files import resolved_folder
from coursenotes.site.pages import Pages
from coursenotes.sources import Post
from coursenotes.urls import has_scheme, page_path, relative_link

UNSAFE = re.compile(r"""[\s"'<>\\`{}|^]|[\x00-\x1f]""")  # never part of a URL path we write a file for


def source_folder(post: Post, root: Path) -> str:
    """The folder of a post's source as a site path: `/posts/2024-01-01-x/`, or `/` for about.qmd."""
    rel = resolved_folder(post.source.parent).relative_to(resolved_folder(root)).as_posix()
    return "/" if rel == "." else f"/{rel}/"


def alias_url(post: Post, alias: str, root: Path) -> str:
    """An alias as a site path: absolute (`/old/`) or relative to the source's folder, as Quarto reads it."""
    line = post.raw.key_lines.get("aliases")
    if has_scheme(alias) or not alias.strip() or UNSAFE.search(alias):
        raise FrontMatterError(f"alias {alias!r} must be a path on this site, like /old-name/", post.source, line)
    # Normalised as a relative path: `..` past the site's root stays visible (an absolute one would be clamped).
    base = "" if alias.startswith("/") else source_folder(post, root).lstrip("/")
    rel = posixpath.normpath(posixpath.join(base, alias.lstrip("/")))
    if rel == ".." or rel.startswith("../"):
        raise FrontMatterError(f"alias {alias!r} leaves the site", post.source, line)
    path = "/" if rel == "." else "/" + rel
    return path + "/" if alias.endswith("/") and path != "/" else path


def quarto_url(post: Post, root: Path) -> str:
    """Where `quarto render` publishes the source: its folder for index files, else `<stem>.html`."""
    folder = source_folder(post, root)
    return folder if post.source.stem == "index" else f"{folder}{post.source.stem}.html"


def redirect_file(url: str) -> str:
    """The file a redirect page for `url` is written to (`/old` gets a folder, as our pages have)."""
    return page_path(url) if url.endswith(("/", ".html")) else page_path(url + "/")


def as_aliases(post: Post) -> list:
    """`aliases:` as a list (one string is one alias)."""
    value = post.meta.get("aliases") or []
    return value if isinstance(value, list) else [value]


def redirect_files(pages: Pages, posts: list[Post]) -> dict[str, bytes | Path]:
    """A redirect page for every alias and every Quarto URL that differs from ours, and `_redirects` for Netlify."""
    root, files, lines = pages.config.root, {}, []
    taken = {page_path(p.url) for p in posts}
    for post in posts:
        old = [alias_url(post, str(a), root) for a in as_aliases(post)] + [quarto_url(post, root)]
        for url in old:
            path = redirect_file(url)
            if path in taken:
                continue  # a real page (or an earlier redirect) lives there: never hide it
            taken.add(path)
            target = relative_link(url if url.endswith(("/", ".html")) else url + "/", post.url)
            files[path] = pages.render("redirect.html", url, target=target, canonical=pages.config.absolute(post.url))
            lines.append(f"{quote(url)} {quote(post.url)} 301")
    if lines:
        files["_redirects"] = ("\n".join(lines) + "\n").encode()
    return files
