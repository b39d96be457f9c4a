"""Site settings from `_quarto.yml`: Quarto's own keys, read and checked once."""

from __future__ import annotations

from pathlib import Path

import yaml

from coursenotes.errors import ConfigError
from coursenotes.files import read_text
from coursenotes.settings.execute import check_execute
from coursenotes.settings.html import page_options, unsupported_options
from coursenotes.settings.model import NavLink, SiteConfig, ToolSettings
from coursenotes.urls import site_href

QUARTO_FILE = "_quarto.yml"
URL_STYLES = ("slug", "path")  # `coursenotes: urls:` (docs/site.md)


def load_yaml(path: Path) -> dict:
    """A YAML mapping from path, with a ConfigError naming the line on failure."""
    try:
        data = yaml.safe_load(read_text(path))
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        raise ConfigError(f"invalid YAML: {getattr(e, 'problem', e)}", path, mark.line + 1 if mark else None) from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigError("must be a YAML mapping", path, 1)
    return data


def line_of(path: Path, value: str) -> int | None:
    """The first line of the file that mentions value (YAML loaders keep no lines for nested items)."""
    if not path.is_file():
        return None
    return next((i for i, line in enumerate(read_text(path).splitlines(), 1) if value in line), None)


def navbar_links(website: dict, path: Path) -> tuple[NavLink, ...]:
    """Navbar entries from Quarto's `website.navbar.left/right` lists."""
    nav = website.get("navbar") or {}
    if not isinstance(nav, dict):
        raise ConfigError("website.navbar must be a mapping", path)
    links = []
    for side in ("left", "right"):
        if not isinstance(nav.get(side) or [], list):
            raise ConfigError(f"website.navbar.{side} must be a list of items (`- href: about.qmd`)", path)
    for item in (nav.get("left") or []) + (nav.get("right") or []):
        if isinstance(item, str):
            links.append(NavLink(Path(item).stem.replace("-", " ").title(), site_href(item), line_of(path, item)))
        elif isinstance(item, dict) and item.get("href"):
            href = str(item["href"])
            links.append(NavLink(str(item.get("text") or href), site_href(href), line_of(path, href)))
    return tuple(links)


def jupyter_kernel(jupyter, error: type[Exception], path: Path, line: int | None = None):
    """The kernel a `jupyter:` value names: a name, or Quarto's `{kernelspec: {name: ...}}` mapping."""
    if not isinstance(jupyter, dict):
        return jupyter
    spec = jupyter.get("kernelspec")
    if spec is not None and not isinstance(spec, dict):
        raise error("`jupyter: kernelspec` must be a mapping with a name, or write `jupyter: python3`", path, line)
    return jupyter.get("kernel") or (spec or {}).get("name")


def site_kernel(data: dict, path: Path) -> str | None:
    """The site-wide kernel from `jupyter:` (a name, or Quarto's mapping form)."""
    jupyter = jupyter_kernel(data.get("jupyter"), ConfigError, path)
    return str(jupyter) if jupyter else None


def our_settings(data: dict, path: Path) -> dict:
    """The `coursenotes:` mapping of `_quarto.yml` (our own key; Quarto ignores it), checked."""
    ours = data.get("coursenotes") or {}
    if not isinstance(ours, dict):
        raise ConfigError(
            "`coursenotes` must be a mapping, e.g. `coursenotes: {urls: path}`", path, line_of(path, "coursenotes:")
        )
    urls = ours.get("urls", "slug")
    if urls not in URL_STYLES:
        raise ConfigError(
            f"`coursenotes: urls:` must be one of {', '.join(URL_STYLES)}, not {urls!r}", path, line_of(path, "urls:")
        )
    return ours


def load_site(root: Path, tool: ToolSettings | None = None) -> SiteConfig:
    """Read `_quarto.yml` under root; a site without one gets defaults."""
    path = root / QUARTO_FILE
    data = load_yaml(path) if path.exists() else {}
    website = data.get("website") or {}
    if not isinstance(website, dict):
        raise ConfigError("`website` must be a mapping", path)
    execute = data.get("execute") or {}
    if not isinstance(execute, dict):
        raise ConfigError("`execute` must be a mapping", path)
    check_execute(execute, ConfigError, path, None)
    author = data.get("author") or website.get("author") or ""
    ours, project = our_settings(data, path), data.get("project") or {}
    render = project.get("render") if isinstance(project, dict) else None
    return SiteConfig(
        root=root,
        title=str(website.get("title") or "Course notes"),
        site_url=str(website.get("site-url") or ""),
        description=str(website.get("description") or ""),
        lang=str(data.get("lang") or "en"),
        author=str(author),
        navbar=navbar_links(website, path),
        execute=execute,
        jupyter=site_kernel(data, path),
        url_style=str(ours.get("urls", "slug")),
        render=tuple(str(r) for r in render) if isinstance(render, list) else (),
        tool=tool or ToolSettings(),
        html=page_options(data, {}),
        notes=tuple(f"{QUARTO_FILE}: `{key}` {why}" for key, why in unsupported_options(data)),
        search=website.get("search") is not False,
    )
