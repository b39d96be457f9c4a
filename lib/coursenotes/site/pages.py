"""Page templates: Jinja2 over the package's templates, with links relative to each page."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import jinja2

from coursenotes import __version__
from coursenotes.settings import SiteConfig
from coursenotes.site.csp import page_text, sources
from coursenotes.sources import slugify
from coursenotes.urls import has_scheme, relative_link


@cache
def templates() -> jinja2.Environment:
    """The Jinja2 environment over the package's templates (compiled once per process)."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("coursenotes", "templates"),
        autoescape=jinja2.select_autoescape(["html", "xml"]),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env


def compiled_templates(root) -> jinja2.BytecodeCache | None:
    """Compiled templates kept under the project's cache folder: compiling them was a tenth of a prose rebuild."""
    folder = root / ".coursenotes-cache" / "templates"  # git-ignored with the rest of the cache
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None  # a read-only project: compile every build
    return jinja2.FileSystemBytecodeCache(str(folder))


def tag_url(name: str) -> str:
    """The URL of a tag's page."""
    return f"/tags/{slugify(name)}/"


class Pages:
    """Renders templates for one site, with links relative to each page."""

    def __init__(self, config: SiteConfig, search: bool = False):
        self.config, self.env, self.search = config, templates(), search
        if self.env.bytecode_cache is None:
            self.env.bytecode_cache = compiled_templates(config.root)

    def link_from(self, url: str):
        """How a page at `url` links to a site path (404 is served at any depth, so its links are absolute)."""
        if url == "/404.html":
            return lambda to: to if has_scheme(to) else "/" + to.lstrip("/")
        return lambda to: relative_link(url, to)

    def page_sources(self, path: str, data) -> dict[str, set[str]]:
        """What one output page loads from other hosts, and its inline scripts' hashes (for the CSP)."""
        return sources(page_text(data))

    def made(self, url: str, make, **context) -> bytes | Path:
        """A file at `url` that is not a template's (a feed): `make()`'s text; `context` is what it depends on."""
        return make().encode()

    def render(self, template: str, url: str, **context) -> bytes | Path:
        """One page at `url` (a subclass may hand back a file that already holds it)."""
        html = self.env.get_template(template).render(
            site=self.config,
            version=__version__,
            link=self.link_from(url),
            absolute=self.config.absolute,
            search=self.search,
            tag_url=tag_url,
            **context,
        )
        return html.encode()
