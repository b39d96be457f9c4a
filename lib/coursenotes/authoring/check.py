"""`coursenotes check`: every problem in the posts, without building: front matter, dates, tags, images, links."""

from __future__ import annotations

import json
import posixpath
import re
from collections import Counter, defaultdict
from pathlib import Path
from urllib.parse import unquote

from coursenotes.authoring.check_render import render_problems
from coursenotes.authoring.scaffold import DESCRIPTION
from coursenotes.errors import CoursenotesError
from coursenotes.settings import QUARTO_FILE, SiteConfig, load_config
from coursenotes.site import ALT, IMG, SRC, blocked, listing_problems, tags_of
from coursenotes.sources import (
    Post,
    cell_text,
    discover,
    discover_pages,
    fence_blocks,
    post_name,
    slugify,
    split_date_prefix,
)
from coursenotes.urls import has_scheme

INLINE_CODE = re.compile(r"(`+)(?:(?!\1).)+?\1")
IMAGE = re.compile(r"!\[(?P<alt>[^\]]*)\]\(\s*<?(?P<target>[^\s)>]+)>?(?:\s+[\"'(].*?[\"')])?\s*\)")
LINK = re.compile(r"(?<!!)\[[^\]]*\]\(\s*<?(?P<target>[^\s)>]+)>?(?:\s+[\"'(].*?[\"')])?\s*\)")
REF_DEF = re.compile(r"^\s{0,3}\[(?!\^)[^\]]+\]:\s*<?(?P<target>[^\s>]+)>?")
HREF = re.compile(r"<a\b[^>]*\bhref\s*=\s*[\"'](?P<target>[^\"']*)[\"']", re.I)
SITE_PAGES = ("/", "/tags/", "/archive/", "/search/", "/index.xml", "/sitemap.xml", "/404.html")


class CheckProblem(CoursenotesError):  # noqa: N818 - a finding to list, never raised
    """One thing `coursenotes check` found wrong, with the file and line it is about."""


def tag_key(tag: str) -> str:
    """What near-duplicate tags share: letters and digits only, lower-case (`fast.ai`, `FastAI` -> `fastai`)."""
    return re.sub(r"[^0-9a-z]", "", tag.lower()) or tag


def tag_problems(posts: list[Post]) -> list[CheckProblem]:
    """Tags spelled two ways (`fastai` vs `fast.ai`): a problem for each post using the less common spelling."""
    uses = Counter(tag for post in posts for tag in set(post.tags))
    spellings = defaultdict(set)
    for tag in uses:
        spellings[tag_key(tag)].add(tag)
    problems = []
    for post in posts:
        for tag in post.tags:
            group = spellings[tag_key(tag)]
            if len(group) < 2:
                continue
            best = sorted(group, key=lambda t: (-uses[t], t != t.lower(), t))[0]  # most used, then lower-case
            if tag == best:
                continue
            line = post.raw.key_lines.get("tags") or post.raw.key_lines.get("categories")
            problems.append(
                CheckProblem(
                    f"tag {tag!r} is a near-duplicate of {best!r} (used by {uses[best]} post(s)): use one spelling",
                    post.source,
                    line,
                )
            )
    return problems


def date_problems(post: Post) -> list[CheckProblem]:
    """A front-matter date that contradicts the name's YYYY-MM-DD prefix: which one is right?"""
    prefix, _ = split_date_prefix(post_name(post.source))
    if not prefix or post.meta.get("date") is None or str(post.date.date()) == prefix:
        return []
    return [
        CheckProblem(
            f"date {post.date.date()} does not match the name's date prefix {prefix}: change one of them",
            post.source,
            post.raw.key_lines.get("date"),
        )
    ]


def meta_problems(post: Post) -> list[CheckProblem]:
    """Front matter left as `coursenotes new` wrote it on a published post."""
    if post.draft or post.description != DESCRIPTION:
        return []
    return [
        CheckProblem(
            "`description` is still the placeholder: say what the post covers",
            post.source,
            post.raw.key_lines.get("description"),
        )
    ]


def prose_lines(text: str) -> list[str]:
    """Markdown lines with fenced code blocks and inline code blanked out, so only real links remain."""
    out = [""] * len(text.splitlines())
    for piece in fence_blocks(text):
        if piece[0] != "text":
            continue
        for i, line in enumerate(piece[1], piece[2]):
            out[i] = INLINE_CODE.sub(lambda c: " " * len(c.group(0)), line)
    return out


def chunks(post: Post) -> list[tuple[str, int | None, str]]:
    """(markdown, first line in the file, where-prefix) for each part of a post authors write prose in."""
    if post.kind != "ipynb":
        return [(post.raw.body, post.raw.body_line, "")]
    try:
        cells = json.loads(post.source.read_text(encoding="utf-8")).get("cells", [])
    except (OSError, ValueError):
        return []
    return [(cell_text(c), None, f"cell {i + 1}: ") for i, c in enumerate(cells) if c.get("cell_type") == "markdown"]


def references(text: str) -> list[tuple[int, str, str, str | None]]:
    """(line index, kind 'image'|'link', target, alt) for every image and link in markdown prose."""
    found = []
    for i, line in enumerate(prose_lines(text)):
        found += [(i, "image", m.group("target"), m.group("alt")) for m in IMAGE.finditer(line)]
        found += [(i, "link", m.group("target"), None) for m in LINK.finditer(line)]
        found += [(i, "link", m.group("target"), None) for m in REF_DEF.finditer(line)]
        found += [(i, "link", m.group("target"), None) for m in HREF.finditer(line)]
        for tag in IMG.findall(line):
            src, alt = SRC.search(tag), ALT.search(tag)
            if src:
                found.append((i, "image", src.group(2), alt.group(2) if alt else ""))
    return found


class Site:
    """The URLs a build makes, for the audience a post is written for (published posts, or drafts too)."""

    def __init__(self, posts: list[Post], pages: list[Post], root: Path):
        self.posts, self.root = list(posts), root.resolve()
        self.sources = {p.source.resolve() for p in [*posts, *pages]}  # links to a source lead to its page
        self.urls = set(SITE_PAGES) | {p.url for p in [*posts, *pages]}
        for tag in tags_of(posts):
            self.urls |= {tag.url, tag.url + "index.xml"}

    def has(self, url: str) -> bool:
        """True when the URL is a page, or a file published beside a post's page."""
        if url in self.urls or re.match(r"^/page/\d+/$", url):
            return True
        return any(
            url.startswith(p.url) and (p.source.parent / unquote(url[len(p.url) :])).is_file() for p in self.posts
        )


def site_url(url: str) -> str:
    """A site path as the build names pages: `/posts/x/index.html` and `/posts/x` are `/posts/x/`."""
    url = re.sub(r"/index\.html$", "/", url)
    last = url.rsplit("/", 1)[-1]
    return url + "/" if last and "." not in last else url


def suggestion(url: str, site: Site) -> str:
    """`; did you mean /posts/slug/?` when the link names a post by its folder (`2024-09-21-slug`)."""
    m = re.match(r"^/posts/([^/]+)/", url)
    if m is None:
        return ""
    slug = slugify(split_date_prefix(m.group(1))[1])
    return f"; did you mean /posts/{slug}/?" if f"/posts/{slug}/" in site.urls and slug != m.group(1) else ""


def reference_problem(post: Post, kind: str, target: str, public: Site, preview: Site) -> str | None:
    """What is wrong with one image or link target, or None."""
    target = target.split("#", 1)[0].split("?", 1)[0]
    if not target or has_scheme(target):
        return None
    if not target.startswith("/"):
        # A file beside the source (or in a shared folder like posts/images/) is published where the link lands.
        file = (post.source.parent / unquote(target)).resolve()
        if file.is_file() and file.is_relative_to(public.root) and not target.endswith((".qmd", ".ipynb", ".md")):
            return None
        if file in (preview if post.draft else public).sources:
            return None
        if file in preview.sources:
            return f"{kind} {target!r} goes to a draft, which is not published"
    url = target if target.startswith("/") else posixpath.normpath(posixpath.join(post.url, target))
    url = site_url(url + "/" if target.endswith("/") and not url.endswith("/") else url)
    site = preview if post.draft else public
    if site.has(url):
        return None
    if preview.has(url):
        return f"{kind} {target!r} goes to a draft ({url}), which is not published"
    if not target.startswith("/") and "." in url.rsplit("/", 1)[-1]:
        what = "image" if kind == "image" else "file"
        folder = post.source.parent.resolve().relative_to(public.root).as_posix()
        return f"missing {what} {target!r}: no such file in {folder}/"
    what = "missing image" if kind == "image" else "broken link"
    return f"{what} {target!r}: no post, tag or page at {url}{suggestion(url, preview)}"


def reference_problems(post: Post, public: Site, preview: Site) -> list[CheckProblem]:
    """Missing images, images without alt text, and internal links that lead nowhere."""
    problems = []
    front_image = post.meta.get("image")
    if isinstance(front_image, str) and front_image and not has_scheme(front_image):
        msg = reference_problem(post, "image", front_image, public, preview)
        if msg:
            problems.append(CheckProblem(f"`image`: {msg}", post.source, post.raw.key_lines.get("image")))
    for text, first, where in chunks(post):
        for i, kind, target, alt in references(text):
            line = first + i if first else None
            msg = reference_problem(post, kind, target, public, preview)
            if msg:
                problems.append(CheckProblem(where + msg, post.source, line))
            if kind == "image" and alt is not None and not alt.strip():
                problems.append(
                    CheckProblem(
                        f"{where}image {target!r} has no alt text: say what it shows, ![a plot of the loss]({target})",
                        post.source,
                        line,
                    )
                )
    return problems


def policy_problems(post: Post) -> list[CheckProblem]:
    """HTML in a post that the site's Content-Security-Policy would block in readers' browsers."""
    problems = []
    for text, first, where in chunks(post):
        for i, line in enumerate(prose_lines(text)):
            problems += [
                CheckProblem(
                    f"{where}the Content-Security-Policy blocks {what}", post.source, first + i if first else None
                )
                for what in blocked(line)
            ]
    return problems


def navbar_problems(config: SiteConfig, public: Site) -> list[CoursenotesError]:
    """Navbar entries that name a page of this site the build would not make."""
    problems: list[CoursenotesError] = []
    for item in config.navbar:
        href = item.href.split("#", 1)[0].split("?", 1)[0]
        if href.startswith("/") and not href.startswith("//") and not public.has(site_url(href)):
            problems.append(
                CheckProblem(
                    f"navbar link {item.text!r} goes to {href}, which the site does not have",
                    config.root / QUARTO_FILE,
                    item.line,
                )
            )
    return problems


def check(root: Path) -> tuple[list[Post], list[CoursenotesError]]:
    """Every post and every problem found in them, in file order."""
    config = load_config(root)
    posts, problems = discover(config.posts_dir, config.url_style)
    pages, page_errors = discover_pages(config.root, config.render)
    public, preview = Site([p for p in posts if not p.draft], pages, config.root), Site(posts, pages, config.root)
    problems += page_errors + tag_problems(posts) + listing_problems(config.root) + navbar_problems(config, public)
    for post in [*posts, *pages]:
        problems += date_problems(post) + meta_problems(post) + reference_problems(post, public, preview)
        problems += policy_problems(post)
    problems += render_problems(posts, config.root, config.html)  # cross-references, citations, math
    return posts, sorted(problems, key=lambda e: (str(e.path or ""), e.line or 0))
