"""Every file of the site: post pages with their files, listings, tag pages, feeds, sitemap and assets."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import quote, unquote

from coursenotes.files import resolved_folder
from coursenotes.render import Fragment
from coursenotes.settings import SiteConfig
from coursenotes.site.assets import mermaid_modules, package_assets
from coursenotes.site.csp import header_files
from coursenotes.site.feeds import FEED_SIZE, atom_feed, sitemap
from coursenotes.site.images import fill_alt, first_image
from coursenotes.site.listing import listed, page_url, paginate, read_listing
from coursenotes.site.pages import Pages
from coursenotes.site.redirects import redirect_files
from coursenotes.site.sitepages import page_files, page_image
from coursenotes.site.sourcelinks import linked_bodies
from coursenotes.site.taxonomy import Tag, by_year, newest_first, tags_of
from coursenotes.sources import Post
from coursenotes.urls import has_scheme, is_beside_page, page_folder, page_path

REF_ATTRS = ("src=", "href=", "poster=")
REF_VALUE = re.compile(r"""["']([^"'#?]+)["']""")
SOURCE_SUFFIXES = (".qmd", ".ipynb", ".md", ".yml", ".yaml")
DIAGRAM = 'class="mermaid"'


def local_refs(html: str) -> set[str]:
    """Every `src=`, `href=` and `poster=` value without `#` or `?`: the matches of
    `(?:src|href|poster)=["']([^"'#?]+)["']` found left to right, by `str.find` (a third of the regex's time)."""
    starts = sorted(i for attr in REF_ATTRS for i in find_all(html, attr))
    found, end = set(), 0
    for i in starts:
        if i < end:
            continue  # inside the value just taken, as the regex would skip it
        m = REF_VALUE.match(html, html.index("=", i) + 1)
        if m:
            found.add(m.group(1))
            end = m.end()
    return found


def find_all(text: str, needle: str):
    """Each index where `needle` starts in `text`."""
    i = text.find(needle)
    while i != -1:
        yield i
        i = text.find(needle, i + 1)


def post_assets(post: Post, html: str, root: Path, extra_refs: tuple[str, ...] = ()) -> dict[str, Path]:
    """Files a page references, wherever they sit in the project, published where its links point."""
    found, root, base = {}, resolved_folder(root), resolved_folder(post.source.parent)
    for ref in {*local_refs(html), *extra_refs}:
        if not ref or not is_beside_page(ref):
            continue
        name = unquote(ref)
        path = (base / name).resolve()
        target = posixpath.normpath(posixpath.join(page_folder(post.url), name))
        # Only files inside the project are published, and only where the page's link lands inside the site.
        if not (path.is_file() and path.is_relative_to(root)) or path.suffix in SOURCE_SUFFIXES:
            continue
        if any(part.startswith(".") for part in path.relative_to(root).parts):
            continue  # .git/, .venv/, .env: never published, whatever a page links to
        if target.startswith("../") or target in ("..", "."):
            continue
        found[target] = path
    return found


def absolutize(html: str, base: str) -> str:
    """Make relative src/href absolute so feed readers can follow them."""

    def fix(m):
        attr, ref = m.group(1), m.group(2)
        return m.group(0) if not is_beside_page(ref) or ref.startswith("#") else f'{attr}="{base}{ref}"'

    return re.sub(r'(src|href)="([^"]*)"', fix, html)


def post_image(post: Post, html: str, published: dict) -> str:
    """The post's picture (`image:`, else its first image, as in Quarto's listings) as a site path or URL, or ''."""
    shown = post.image or first_image(html)
    if not shown or has_scheme(shown):
        return shown if shown.startswith(("http://", "https://")) else ""
    target = posixpath.normpath(posixpath.join(page_folder(post.url), unquote(shown)))
    return "/" + quote(target) if target in published else ""  # a URL: `my plot.png` -> `my%20plot.png`


def post_pages(
    pages: Pages, posts: list[Post], bodies: dict[Post, Fragment], extra_files: dict, images: dict[Post, str]
) -> dict[str, bytes | Path]:
    """Each post's page with its outputs and assets."""
    files: dict[str, bytes | Path] = {}
    ordered = newest_first(posts)
    for i, post in enumerate(ordered):
        body, image = bodies[post], images.get(post, "")
        files[page_path(post.url)] = pages.render(
            "post.html",
            post.url,
            post=post,
            body=fill_alt(body.html),
            toc=body.toc,
            image=image and (image if has_scheme(image) else pages.config.absolute(image)),
            newer=ordered[i - 1] if i > 0 else None,
            older=ordered[i + 1] if i + 1 < len(ordered) else None,
            has_diagrams=DIAGRAM in body.html,
        )
    return files


def published_files(root: Path, pages: list[Post], bodies: dict[Post, Fragment], extra: dict) -> dict[str, Path]:
    """Every file the posts and pages reference or wrote, keyed by where it is published."""
    files: dict = {}
    for page in pages:
        files.update(post_assets(page, bodies[page].html, root, tuple(r for r in (page.image, page_image(page)) if r)))
        files.update(extra.get(page, {}))
    return files


def listing_pages(
    pages: Pages,
    posts: list[Post],
    tags: list[Tag],
    bodies: dict[Post, Fragment],
    images: dict[Post, str],
    site_pages: Sequence[Post] = (),
) -> dict:
    """Index (with its /page/<n>/ pages), tag pages, archive, feeds, 404 and sitemap."""
    config, ordered, listing = pages.config, newest_first(posts), read_listing(pages.config.root)
    contents: dict[str, str] = {}

    def feed(title: str, feed_path: str, page_path: str, shown: list[Post]) -> bytes | Path:
        """An Atom feed, made only when what it shows changed (its posts, their bodies, the newest date)."""

        def make() -> str:
            for p in shown[:FEED_SIZE]:  # each shown body made absolute once, whichever feeds show it
                contents.setdefault(p.url, absolutize(bodies[p].html, config.absolute(p.url)))
            return atom_feed(config, title, feed_path, page_path, shown, contents)

        newest = max((p.date for p in shown), default=None)
        listed = shown[:FEED_SIZE]
        html = [bodies[p].html for p in listed]
        return pages.made(feed_path, make, title=title, page=page_path, posts=listed, bodies=html, newest=newest)

    chunks = paginate(listed(posts, config.root, listing), listing.page_size)

    def thumbs(url: str, chunk: list[Post]) -> dict[str, str]:
        """Each listed post's picture as a link from the listing page (plain data: the page's key covers it)."""
        link, shown = pages.link_from(url), {p: images.get(p, "") for p in chunk}
        return {p.url: shown[p] and (shown[p] if has_scheme(shown[p]) else link(shown[p])) for p in chunk}

    files = {
        page_path(page_url(n)): pages.render(
            "index.html",
            page_url(n),
            posts=chunk,
            listing=listing,
            tags=tags,
            page_number=n,
            page_count=len(chunks),
            newer_url=page_url(n - 1) if n > 1 else "",
            older_url=page_url(n + 1) if n < len(chunks) else "",
            thumbs=thumbs(page_url(n), chunk),
        )
        for n, chunk in enumerate(chunks, 1)
    }
    files.update(
        {
            "tags/index.html": pages.render("tags.html", "/tags/", tags=tags),
            "archive/index.html": pages.render("archive.html", "/archive/", years=by_year(ordered)),
            "404.html": pages.render("404.html", "/404.html"),
            **({"search/index.html": pages.render("search.html", "/search/")} if pages.search else {}),
            "index.xml": feed(config.title, "/index.xml", "/", ordered),
        }
    )
    for tag in tags:
        files[page_path(tag.url)] = pages.render("tag.html", tag.url, tag=tag)
        title = f"{config.title}: {tag.name}"
        files[tag.url.lstrip("/") + "index.xml"] = feed(title, tag.url + "index.xml", tag.url, list(tag.posts))
    newest = ordered[0].date if ordered else None
    urls = [(page_url(n), newest) for n in range(1, len(chunks) + 1)] + [("/tags/", newest), ("/archive/", newest)]
    urls += [(p.url, p.date) for p in [*ordered, *site_pages]] + [(t.url, t.posts[0].date) for t in tags]
    files["sitemap.xml"] = sitemap(config, urls).encode()
    return files


def asset_files(config: SiteConfig, need_mermaid: bool) -> dict[str, bytes | Path]:
    """CSS/JS from the package, and the pinned mermaid ES modules when a page leaves a diagram to the browser."""
    folder = package_assets()
    files: dict[str, bytes | Path] = {
        f"assets/{p.relative_to(folder).as_posix()}": p for p in folder.rglob("*") if p.is_file()
    }
    if need_mermaid:
        files.update({f"assets/mermaid/{name}": path for name, path in mermaid_modules(config.root).items()})
    return files


def site_files(
    config: SiteConfig,
    posts: list[Post],
    bodies: dict,
    extra: dict,
    search: bool = False,
    site_pages: list | None = None,
    pages: Pages | None = None,
) -> dict[str, bytes | Path]:
    """Every file of the site, keyed by its path under the output folder (`pages` may reuse unchanged pages)."""
    pages, tags, site_pages = pages or Pages(config, search), tags_of(posts), site_pages or []
    bodies = linked_bodies([*posts, *site_pages], bodies)
    published = published_files(config.root, [*posts, *site_pages], bodies, extra)
    images = {p: post_image(p, bodies[p].html, published) for p in posts}
    files: dict[str, bytes | Path] = {**published, **post_pages(pages, posts, bodies, extra, images)}
    files.update(listing_pages(pages, posts, tags, bodies, images, site_pages))
    files.update(page_files(pages, site_pages, bodies))
    files.update(redirect_files(pages, [*posts, *site_pages]))
    files.update(asset_files(config, any(DIAGRAM in b.html for b in bodies.values())))
    files.update(header_files(config, files, pages.page_sources))
    return files


def report_files(pages: Pages, report) -> dict[str, bytes | Path]:
    """`execution/index.html` and `execution/report.json`: how each post's outputs came to be."""
    return {
        "execution/index.html": pages.render("execution.html", "/execution/", report=report),
        "execution/report.json": report.to_json(),
    }
