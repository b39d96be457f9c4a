"""Settings: `_quarto.yml`, `[tool.coursenotes]`, the environment and the command line, typed and checked once.

Public names: SiteConfig, ToolSettings, GatewaySettings, BuildOptions, Settings, NavLink,
load_config (the site alone), load_settings (everything a build needs), QUARTO_FILE, load_yaml,
and Quarto's HTML page and cell options (html.py: page_options, metadata_args, attributes, ...).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from coursenotes.errors import ConfigError
from coursenotes.settings.execute import DEFAULT_TIMEOUT, check_execute
from coursenotes.settings.gateway import resolve_gateway
from coursenotes.settings.gateways import LOCAL, with_tokens
from coursenotes.settings.html import (
    CELL_OPTIONS,
    CODE_OPTIONS,
    attributes,
    metadata_args,
    page_options,
    unsupported_options,
)
from coursenotes.settings.model import BuildOptions, GatewaySettings, NavLink, Settings, SiteConfig, ToolSettings
from coursenotes.settings.site import QUARTO_FILE, jupyter_kernel, load_site, load_yaml
from coursenotes.settings.tool import load_tool_settings

__all__ = [
    "CELL_OPTIONS",
    "CODE_OPTIONS",
    "DEFAULT_TIMEOUT",
    "LOCAL",
    "QUARTO_FILE",
    "BuildOptions",
    "GatewaySettings",
    "NavLink",
    "Settings",
    "SiteConfig",
    "ToolSettings",
    "attributes",
    "check_execute",
    "jupyter_kernel",
    "load_config",
    "load_settings",
    "load_yaml",
    "metadata_args",
    "page_options",
    "resolve_gateway",
    "unsupported_options",
]


def load_config(root: Path | str) -> SiteConfig:
    """The site's settings from `_quarto.yml` and `[tool.coursenotes]`."""
    root = Path(root).resolve()
    return load_site(root, load_tool_settings(root))


def check_site(root: Path) -> None:
    """A ConfigError when `root` holds no site: building it would publish an empty one."""
    if not root.is_dir():
        raise ConfigError("no such folder: pass --root the folder holding _quarto.yml and posts/", root)
    if not (root / QUARTO_FILE).is_file() and not (root / "posts").is_dir():
        raise ConfigError(f"not a site: no {QUARTO_FILE} and no posts/ here; pass --root the site's folder", root)


def check_options(options: BuildOptions) -> None:
    """A ConfigError for command-line values no build can use."""
    if options.jobs is not None and options.jobs < 1:
        raise ConfigError(f"--jobs must be 1 or more (posts run at once), not {options.jobs}")


def load_settings(
    root: Path | str, options: BuildOptions | None = None, environ: Mapping[str, str] | None = None
) -> Settings:
    """Everything one build runs with: site, command line, and the gateway they name."""
    site, options = load_config(root), options or BuildOptions()
    check_site(site.root)
    check_options(options)
    gateway = resolve_gateway(
        options.gateway_url, options.gateway_token, site.tool, environ, where=str(site.root / "pyproject.toml")
    )
    return Settings(site, options, gateway, with_tokens(site.tool.gateways, environ))
