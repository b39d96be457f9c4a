"""Pages beyond posts (about.qmd, courses.qmd, ...): plain pages, or Quarto's `about:` templates."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from pathlib import Path

from coursenotes.errors import FrontMatterError
from coursenotes.render import Fragment
from coursenotes.site.images import fill_alt
from coursenotes.site.pages import Pages
from coursenotes.sources import Post
from coursenotes.urls import has_scheme, page_path, site_href

# Quarto's about templates (https://quarto.org/docs/websites/website-about.html). jolla and trestles
# have their own layouts here; solana, marquee and broadside are laid out like jolla.
TEMPLATES = ("jolla", "trestles", "solana", "marquee", "broadside")
SHAPES = ("round", "rounded", "rectangle")
SAFE_SCHEMES = ("http://", "https://", "mailto:")


@dataclass(frozen=True)
class AboutLink:
    """One link under an about page's picture."""

    text: str
    href: str
    local: bool


@dataclass(frozen=True)
class About:
    """An about page's options."""

    template: str
    image: str = ""
    image_alt: str = ""
    shape: str = "round"
    links: tuple[AboutLink, ...] = ()


def about_options(page: Post) -> About | None:
    """`about: jolla` or `about: {template: ..., image: ..., links: [...]}` from a page's front matter."""
    raw, line = page.meta.get("about"), page.raw.key_lines.get("about")
    if raw is None:
        return None
    raw = {"template": raw} if isinstance(raw, str) else raw
    if not isinstance(raw, dict) or str(raw.get("template", "jolla")) not in TEMPLATES:
        raise FrontMatterError(
            f"`about` must be one of {', '.join(TEMPLATES)} or a mapping with `template:`", page.source, line
        )
    links = []
    for item in raw.get("links") or []:
        if isinstance(item, dict) and item.get("href"):
            href = str(item["href"])
            if has_scheme(href) and not href.lower().startswith(SAFE_SCHEMES):
                raise FrontMatterError(
                    f"about link {href!r}: use an http(s): or mailto: URL, or a page", page.source, line
                )
            text = str(item.get("text") or item.get("aria-label") or item.get("icon") or href)
            links.append(AboutLink(text, href, not has_scheme(href)))
    shape = str(raw.get("image-shape", "round"))
    return About(
        template=str(raw.get("template", "jolla")),
        image=str(raw.get("image") or page.image or ""),
        image_alt=str(raw.get("image-alt") or page.meta.get("image-alt") or ""),
        shape=shape if shape in SHAPES else "round",
        links=tuple(links),
    )


def page_files(pages: Pages, site_pages: list[Post], bodies: dict[Post, Fragment]) -> dict[str, bytes | Path]:
    """Each page's HTML at its URL."""
    files = {}
    for page in site_pages:
        about = about_options(page)
        if about and about.links:
            # Links written as source files (`posts.qmd`) name pages of the site, as in the navbar.
            links = [AboutLink(a.text, site_link(a.href), a.local) for a in about.links]
            about = About(about.template, about.image, about.image_alt, about.shape, tuple(links))
        html = pages.render("page.html", page.url, page=page, body=fill_alt(bodies[page].html), about=about)
        files[page_path(page.url)] = html
    return files


def site_link(href: str) -> str:
    """A local link from an about page, as a site path."""
    return site_href(href) if not has_scheme(href) else href


def page_image(page: Post) -> str:
    """The about picture's path relative to the page, to publish it beside the page."""
    about = about_options(page)
    image = (about.image if about else "") or page.image
    return "" if not image or has_scheme(image) else posixpath.normpath(image)
