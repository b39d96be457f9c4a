"""Every file of the site: post pages with their files, listings, tag pages, feeds, sitemap and assets."""

from __future__ import annotations

import posixpath
import re
from pathlib import Path

from coursenotes.render import Fragment
from coursenotes.settings import SiteConfig
from coursenotes.site.assets import mermaid_js, package_assets
from coursenotes.site.feeds import atom_feed, sitemap
from coursenotes.site.images import fill_alt, first_image
from coursenotes.site.pages import Pages
from coursenotes.site.taxonomy import Tag, by_year, newest_first, tags_of
from coursenotes.sources import Post
from coursenotes.urls import has_scheme, is_beside_page, page_folder, page_path

LOCAL_REF = re.compile(r"""(?:src|href|poster)=["']([^"'#?]+)["']""")
DIAGRAM = 'class="mermaid"'


def post_assets(post: Post, html: str) -> dict[str, Path]:
    """Files in the post's folder that its page references, to copy beside the page."""
    if post.folder is None:
        return {}
    found, folder = {}, post.folder.resolve()
    for ref in set(LOCAL_REF.findall(html)):
        if not is_beside_page(ref):
            continue
        path = (folder / ref).resolve()
        if path.is_file() and path.is_relative_to(folder) and path.suffix not in (".qmd", ".ipynb"):
            found[posixpath.join(page_folder(post.url), path.relative_to(folder).as_posix())] = path
    return found


def absolutize(html: str, base: str) -> str:
    """Make relative src/href absolute so feed readers can follow them."""

    def fix(m):
        attr, ref = m.group(1), m.group(2)
        return m.group(0) if not is_beside_page(ref) or ref.startswith("#") else f'{attr}="{base}{ref}"'

    return re.sub(r'(src|href)="([^"]*)"', fix, html)


def post_pages(
    pages: Pages, posts: list[Post], bodies: dict[Post, Fragment], extra_files: dict
) -> dict[str, bytes | Path]:
    """Each post's page with its outputs and assets."""
    files: dict[str, bytes | Path] = {}
    ordered = newest_first(posts)
    for i, post in enumerate(ordered):
        body, shown = bodies[post], post.image or first_image(bodies[post].html)
        image = shown and (shown if has_scheme(shown) else pages.config.absolute(posixpath.join(post.url, shown)))
        files[page_path(post.url)] = pages.render(
            "post.html",
            post.url,
            post=post,
            body=fill_alt(body.html),
            toc=body.toc,
            image=image,
            newer=ordered[i - 1] if i > 0 else None,
            older=ordered[i + 1] if i + 1 < len(ordered) else None,
            has_diagrams=DIAGRAM in body.html,
        )
        files.update(post_assets(post, body.html))
        files.update(extra_files.get(post, {}))
    return files


def listing_pages(pages: Pages, posts: list[Post], tags: list[Tag], bodies: dict[Post, Fragment]) -> dict:
    """Index, tag pages, archive, feeds, 404 and sitemap."""
    config, ordered = pages.config, newest_first(posts)
    contents = {p.url: absolutize(bodies[p].html, config.absolute(p.url)) for p in ordered}
    files = {
        "index.html": pages.render("index.html", "/", posts=ordered),
        "tags/index.html": pages.render("tags.html", "/tags/", tags=tags),
        "archive/index.html": pages.render("archive.html", "/archive/", years=by_year(ordered)),
        "404.html": pages.render("404.html", "/404.html"),
        **({"search/index.html": pages.render("search.html", "/search/")} if pages.search else {}),
        "index.xml": atom_feed(config, config.title, "/index.xml", "/", ordered, contents).encode(),
    }
    for tag in tags:
        files[page_path(tag.url)] = pages.render("tag.html", tag.url, tag=tag)
        title = f"{config.title}: {tag.name}"
        feed = atom_feed(config, title, tag.url + "index.xml", tag.url, list(tag.posts), contents)
        files[tag.url.lstrip("/") + "index.xml"] = feed.encode()
    newest = ordered[0].date if ordered else None
    urls = [("/", newest), ("/tags/", newest), ("/archive/", newest)]
    urls += [(p.url, p.date) for p in ordered] + [(t.url, t.posts[0].date) for t in tags]
    files["sitemap.xml"] = sitemap(config, urls).encode()
    return files


def asset_files(config: SiteConfig, need_mermaid: bool) -> dict[str, bytes | Path]:
    """CSS/JS from the package, and the pinned mermaid.js when any page draws a diagram."""
    folder = package_assets()
    files: dict[str, bytes | Path] = {
        f"assets/{p.relative_to(folder).as_posix()}": p for p in folder.rglob("*") if p.is_file()
    }
    if need_mermaid:
        files["assets/mermaid.min.js"] = mermaid_js(config.root)
    return files


def site_files(
    config: SiteConfig, posts: list[Post], bodies: dict, extra: dict, search: bool = False, pages: Pages | None = None
) -> dict[str, bytes | Path]:
    """Every file of the site, keyed by its path under the output folder (`pages` may reuse unchanged pages)."""
    pages, tags = pages or Pages(config, search), tags_of(posts)
    files: dict[str, bytes | Path] = post_pages(pages, posts, bodies, extra)
    files.update(listing_pages(pages, posts, tags, bodies))
    files.update(asset_files(config, any(DIAGRAM in b.html for b in bodies.values())))
    return files


def report_files(pages: Pages, report) -> dict[str, bytes | Path]:
    """`execution/index.html` and `execution/report.json`: how each post's outputs came to be."""
    return {
        "execution/index.html": pages.render("execution.html", "/execution/", report=report),
        "execution/report.json": report.to_json(),
    }
