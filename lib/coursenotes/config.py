"""Site settings: Quarto's own keys from `_quarto.yml`, ours from `[tool.coursenotes]` in pyproject.toml."""
from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from coursenotes.errors import ConfigError
from coursenotes.frontmatter import read_text
from coursenotes.htmlopts import page_options

kQuartoFile = "_quarto.yml"


@dataclass(frozen=True)
class NavLink:
    """One navbar entry."""
    text: str
    href: str


@dataclass(frozen=True)
class SiteConfig:
    """Everything the build needs to know about the site as a whole."""
    root: Path
    title: str = "Course notes"
    site_url: str = ""
    description: str = ""
    lang: str = "en"
    author: str = ""
    navbar: tuple[NavLink, ...] = ()
    execute: dict = field(default_factory=dict)     # site-wide `execute:` options
    jupyter: str | None = None                      # site-wide kernel name
    tool: dict = field(default_factory=dict)        # [tool.coursenotes]
    html: dict = field(default_factory=dict)        # site-wide `format: html:` options the Lua filters read (code-fold, ...)

    @property
    def posts_dir(self) -> Path: return self.root / "posts"

    def absolute(self, url_path: str) -> str:
        """An absolute URL for a site path, from `website.site-url`."""
        return self.site_url.rstrip("/") + "/" + url_path.lstrip("/")


def load_yaml(path: Path) -> dict:
    """A YAML mapping from path, with a ConfigError naming the line on failure."""
    try: data = yaml.safe_load(read_text(path))
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        raise ConfigError(f"invalid YAML: {getattr(e, 'problem', e)}", path, mark.line + 1 if mark else None) from None
    if data is None: return {}
    if not isinstance(data, dict): raise ConfigError("must be a YAML mapping", path, 1)
    return data


def site_href(href: str) -> str:
    """A navbar href as a site URL: Quarto names source files (`tags/index.qmd`), we link pages (`/tags/`)."""
    if "://" in href or href.startswith(("mailto:", "#")): return href
    stem, dot, ext = href.lstrip("./").rpartition(".")
    if not dot or ext not in ("qmd", "md", "ipynb", "html"): return "/" + href.lstrip("./")
    stem = stem.removesuffix("index").rstrip("/")
    return f"/{stem}/" if stem else "/"


def navbar_links(website: dict, path: Path) -> tuple[NavLink, ...]:
    """Navbar entries from Quarto's `website.navbar.left/right` lists."""
    nav = website.get("navbar") or {}
    if not isinstance(nav, dict): raise ConfigError("website.navbar must be a mapping", path)
    links = []
    for item in (nav.get("left") or []) + (nav.get("right") or []):
        if isinstance(item, str): links.append(NavLink(Path(item).stem.replace("-", " ").title(), site_href(item)))
        elif isinstance(item, dict) and item.get("href"):
            links.append(NavLink(str(item.get("text") or item["href"]), site_href(str(item["href"]))))
    return tuple(links)


def load_tool_settings(root: Path) -> dict:
    """`[tool.coursenotes]` from pyproject.toml, or {}."""
    path = root / "pyproject.toml"
    if not path.exists(): return {}
    try: data = tomllib.loads(read_text(path))
    except tomllib.TOMLDecodeError as e: raise ConfigError(f"invalid TOML: {e}", path) from None
    return data.get("tool", {}).get("coursenotes", {}) or {}


def load_config(root: Path) -> SiteConfig:
    """Read the site's settings; a site with no `_quarto.yml` gets defaults."""
    root = Path(root).resolve()
    path = root / kQuartoFile
    data = load_yaml(path) if path.exists() else {}
    website = data.get("website") or {}
    if not isinstance(website, dict): raise ConfigError("`website` must be a mapping", path)
    execute = data.get("execute") or {}
    if not isinstance(execute, dict): raise ConfigError("`execute` must be a mapping", path)
    jupyter = data.get("jupyter")
    if isinstance(jupyter, dict): jupyter = jupyter.get("kernel") or jupyter.get("kernelspec", {}).get("name")
    author = data.get("author") or website.get("author") or ""
    return SiteConfig(
        root=root, title=str(website.get("title") or "Course notes"), site_url=str(website.get("site-url") or ""),
        description=str(website.get("description") or ""), lang=str(data.get("lang") or "en"),
        author=str(author), navbar=navbar_links(website, path), execute=execute,
        jupyter=str(jupyter) if jupyter else None, tool=load_tool_settings(root), html=page_options(data, {}))
