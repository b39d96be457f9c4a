"""Helpers for the fixture blogs in tests/data/blogs/: copy one into a site folder, and check a built site's links."""

from __future__ import annotations

import posixpath
import re
import shutil
from pathlib import Path
from urllib.parse import unquote, urlsplit

from tests.conftest import REPO

BLOGS = Path(__file__).resolve().parent / "data" / "blogs"
REF = re.compile(r"""\s(?:href|src)=["']([^"']+)["']""")
REFRESH = re.compile(r"""http-equiv="refresh" content="0; url=([^"]+)\"""")


def copy_blog(name: str, dest: Path) -> Path:
    """tests/data/blogs/<name> copied to dest, with the repo's filters beside it."""
    shutil.copytree(BLOGS / name, dest)
    (dest / "_extensions").symlink_to(REPO / "_extensions", target_is_directory=True)
    if (REPO / "node_modules").exists():
        (dest / "node_modules").symlink_to(REPO / "node_modules")
    return dest


def empty_site(dest: Path) -> Path:
    """A site with no posts, ready for `coursenotes import`."""
    (dest / "posts").mkdir(parents=True)
    (dest / "_quarto.yml").write_text('website:\n  title: "Imported"\n  site-url: "https://imported.example.org"\n')
    (dest / "_extensions").symlink_to(REPO / "_extensions", target_is_directory=True)
    return dest


def target_of(site: Path, page: Path, ref: str) -> Path | None:
    """The file a link on `page` leads to inside the built site, or None for other hosts and anchors."""
    if re.match(r"^[a-z][a-z0-9+.-]*:|^//|^#", ref, re.I):
        return None
    path = urlsplit(ref).path
    if not path:
        return None
    rel = page.relative_to(site).as_posix()
    base = "/" + rel.rsplit("/", 1)[0] + "/" if "/" in rel else "/"
    url = path if path.startswith("/") else posixpath.normpath(posixpath.join(base, path))
    target = site / unquote(url.lstrip("/"))
    return target / "index.html" if path.endswith("/") or target.is_dir() else target


def broken_links(site: Path) -> list[str]:
    """`page -> ref` for every href, src and meta refresh in the site that leads to no file."""
    broken = []
    for page in sorted(site.rglob("*.html")):
        html = page.read_text()
        for ref in REF.findall(html) + REFRESH.findall(html):
            target = target_of(site, page, ref)
            if target is not None and not target.is_file():
                broken.append(f"{page.relative_to(site)} -> {ref}")
    return broken
