"""The whole site: read every post, render it, lay out pages, tags, feeds and assets, publish to _site/."""
from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from coursenotes import __version__, search
from coursenotes.assets import mermaid_js, package_assets
from coursenotes.config import SiteConfig, kQuartoFile, load_config, load_yaml
from coursenotes.errors import CoursenotesError
from coursenotes.feeds import atom_feed, sitemap
from coursenotes.htmlopts import page_options
from coursenotes.images import fill_alt, first_image
from coursenotes.posts import Post, discover
from coursenotes.prepare import prepare
from coursenotes.quarto_notes import post_notes, site_notes
from coursenotes.render import Fragment, render_all
from coursenotes.slugs import slugify
from coursenotes.taxonomy import Tag, by_year, newest_first, tags_of
from coursenotes.writer import publish

kLocalRef = re.compile(r'''(?:src|href|poster)=["']([^"'#?]+)["']''')
kScheme = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|//)", re.I)          # another host or protocol
kExternal = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|//|/)", re.I)       # ... or a site path: not a file beside the post


@dataclass
class BuildOptions:
    """What the author asked for on the command line."""
    drafts: bool = False
    out: Path | None = None
    jobs: int | None = None
    frozen: bool = False
    refresh: tuple[str, ...] | None = None      # None: no refresh; (): every post; else these posts
    search: bool = True                          # index with pagefind (skipped, with a note, when not installed)
    extra: dict = field(default_factory=dict)   # options later stages read (gateway, ...)
    progress: object = None                      # called with a line per executing post as it finishes


@dataclass
class BuildResult:
    """What a build did: the posts it published, the problems it found, where it wrote."""
    posts: list[Post]
    errors: list[CoursenotesError]
    out: Path
    files: dict[str, bytes | Path] = field(default_factory=dict)
    report: object = None
    notes: list[str] = field(default_factory=list)   # things the author should know that are not errors

    @property
    def ok(self) -> bool: return not self.errors


def page_path(url: str) -> str:
    """The file behind a site URL: `/tags/x/` -> `tags/x/index.html`."""
    return url.lstrip("/") + "index.html" if url.endswith("/") else url.lstrip("/")


def relative_link(from_url: str, to_url: str) -> str:
    """A link from one page to another that works on any host and any subpath."""
    if kScheme.match(to_url): return to_url
    if not to_url.startswith("/"): to_url = "/" + to_url
    base = from_url if from_url.endswith("/") else posixpath.dirname(from_url) + "/"
    rel = posixpath.relpath(to_url, base)
    rel = "./" if rel == "." else rel
    return rel + "/" if to_url.endswith("/") and not rel.endswith("/") else rel


def templates() -> jinja2.Environment:
    """The Jinja2 environment over the package's templates."""
    return jinja2.Environment(loader=jinja2.PackageLoader("coursenotes", "templates"),
                              autoescape=jinja2.select_autoescape(["html", "xml"]),
                              undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)


class Pages:
    """Renders templates for one site, with links relative to each page."""

    def __init__(self, config: SiteConfig, search: bool = False):
        self.config, self.env, self.search = config, templates(), search

    def render(self, template: str, url: str, **context) -> bytes:
        """One page at `url`."""
        link = (lambda to: to if kScheme.match(to) else "/" + to.lstrip("/")) \
            if url == "/404.html" else (lambda to: relative_link(url, to))   # 404 is served at any depth
        html = self.env.get_template(template).render(
            site=self.config, version=__version__, link=link, absolute=self.config.absolute, search=self.search,
            tag_url=lambda name: f"/tags/{slugify(name)}/", **context)
        return html.encode()


def post_assets(post: Post, html: str) -> dict[str, Path]:
    """Files in the post's folder that its page references, to copy beside the page."""
    if post.folder is None: return {}
    found, folder = {}, post.folder.resolve()
    for ref in set(kLocalRef.findall(html)):
        if kExternal.match(ref): continue
        path = (folder / ref).resolve()
        if path.is_file() and path.is_relative_to(folder) and path.suffix not in (".qmd", ".ipynb"):
            found[posixpath.join(page_path(post.url).rsplit("/", 1)[0], path.relative_to(folder).as_posix())] = path
    return found


def absolutize(html: str, base: str) -> str:
    """Make relative src/href absolute so feed readers can follow them."""
    def fix(m):
        attr, ref = m.group(1), m.group(2)
        return m.group(0) if kExternal.match(ref) or ref.startswith("#") else f'{attr}="{base}{ref}"'
    return re.sub(r'(src|href)="([^"]*)"', fix, html)


def post_pages(pages: Pages, posts: list[Post], bodies: dict[Post, Fragment], extra_files: dict) -> dict:
    """Each post's page with its outputs and assets."""
    files, ordered = {}, newest_first(posts)
    for i, post in enumerate(ordered):
        body, shown = bodies[post], post.image or first_image(bodies[post].html)
        image = shown and (shown if kScheme.match(shown) else pages.config.absolute(posixpath.join(post.url, shown)))
        files[page_path(post.url)] = pages.render(
            "post.html", post.url, post=post, body=fill_alt(body.html), toc=body.toc, image=image,
            newer=ordered[i - 1] if i > 0 else None, older=ordered[i + 1] if i + 1 < len(ordered) else None,
            has_diagrams='class="mermaid"' in body.html)
        files.update(post_assets(post, body.html))
        files.update(extra_files.get(post, {}))
    return files


def listing_pages(pages: Pages, posts: list[Post], tags: list[Tag], bodies: dict[Post, Fragment]) -> dict:
    """Index, tag pages, archive, feeds, 404 and sitemap."""
    config, ordered = pages.config, newest_first(posts)
    contents = {p.url: absolutize(bodies[p].html, config.absolute(p.url)) for p in ordered}
    files = {"index.html": pages.render("index.html", "/", posts=ordered),
             "tags/index.html": pages.render("tags.html", "/tags/", tags=tags),
             "archive/index.html": pages.render("archive.html", "/archive/", years=by_year(ordered)),
             "404.html": pages.render("404.html", "/404.html"),
             **({"search/index.html": pages.render("search.html", "/search/")} if pages.search else {}),
             "index.xml": atom_feed(config, config.title, "/index.xml", "/", ordered, contents).encode()}
    for tag in tags:
        files[page_path(tag.url)] = pages.render("tag.html", tag.url, tag=tag)
        files[tag.url.lstrip("/") + "index.xml"] = atom_feed(
            config, f"{config.title}: {tag.name}", tag.url + "index.xml", tag.url, list(tag.posts), contents).encode()
    newest = ordered[0].date if ordered else None
    urls = [("/", newest), ("/tags/", newest), ("/archive/", newest)] + [(p.url, p.date) for p in ordered] \
        + [(t.url, t.posts[0].date) for t in tags]
    files["sitemap.xml"] = sitemap(config, urls).encode()
    return files


def asset_files(config: SiteConfig, need_mermaid: bool) -> dict[str, Path]:
    """CSS/JS from the package, and the pinned mermaid.js when any page draws a diagram."""
    folder = package_assets()
    files = {f"assets/{p.relative_to(folder).as_posix()}": p for p in folder.rglob("*") if p.is_file()}
    if need_mermaid: files["assets/mermaid.min.js"] = mermaid_js(config.root)
    return files


def render_posts(posts: list[Post], config: SiteConfig, options: BuildOptions):
    """Prepare then render every post: (fragments, extra files, errors, execution report)."""
    sources, report = prepare(posts, config, options)
    ready = [p for p in posts if not isinstance(sources[p], CoursenotesError)]
    errors = [sources[p] for p in posts if isinstance(sources[p], CoursenotesError)]
    rendered = render_all([(sources[p].markdown, p.source, page_options(config.html, p.meta)) for p in ready],
                          config.root, options.jobs)
    bodies, extra = {}, {}
    for post, result in zip(ready, rendered):
        if isinstance(result, CoursenotesError): errors.append(result); continue
        bodies[post] = result
        prefix = page_path(post.url).rsplit("/", 1)[0]
        extra[post] = {f"{prefix}/{name}": data for name, data in sources[post].files.items()}
    return bodies, extra, errors, report


def site_files(config: SiteConfig, posts: list[Post], bodies: dict, extra: dict, search: bool = False) -> dict[str, bytes | Path]:
    """Every file of the site, keyed by its path under the output folder."""
    pages, tags = Pages(config, search), tags_of(posts)
    files = post_pages(pages, posts, bodies, extra)
    files.update(listing_pages(pages, posts, tags, bodies))
    files.update(asset_files(config, any('class="mermaid"' in b.html for b in bodies.values())))
    return files


def quarto_option_notes(config: SiteConfig, posts: list[Post], bodies: dict) -> list[str]:
    """Notes for the Quarto options the site and its posts use that this build ignores."""
    path = config.root / kQuartoFile
    notes = site_notes(path, load_yaml(path)) if path.exists() else []
    return notes + [note for post in posts for note in post_notes(post, bodies[post].warnings)]


def build(root: Path, options: BuildOptions | None = None) -> BuildResult:
    """Build the site under `root`; publish only when every post succeeded."""
    options = options or BuildOptions()
    config = load_config(root)
    out = Path(options.out).resolve() if options.out else config.root / "_site"
    posts, errors = discover(config.posts_dir)
    visible = [p for p in posts if options.drafts or not p.draft]
    bodies, extra, render_errors, report = render_posts(visible, config, options)
    errors += render_errors
    if errors: return BuildResult(visible, errors, out, report=report)
    use_search = options.search and search.available()
    notes = [search.kMissing] if options.search and not use_search else []
    notes += quarto_option_notes(config, visible, bodies)
    try:
        files = site_files(config, visible, bodies, extra, use_search)
        files.update(report.files(Pages(config, use_search)))    # execution/index.html and report.json
        publish(files, out, finish=search.index if use_search else None)   # indexed in staging, before the swap
    except CoursenotesError as e: return BuildResult(visible, [e], out, report=report, notes=notes)
    return BuildResult(newest_first(visible), [], out, files, report=report, notes=notes)
