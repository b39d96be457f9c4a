"""Settings: `_quarto.yml`, `[tool.coursenotes]`, the environment and the command line, typed and checked once.

Public names: SiteConfig, ToolSettings, GatewaySettings, BuildOptions, Settings, NavLink,
load_config (the site alone), load_settings (everything a build needs), QUARTO_FILE, load_yaml.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from coursenotes.settings.execute import check_execute
from coursenotes.settings.gateway import resolve_gateway
from coursenotes.settings.gateways import LOCAL, with_tokens
from coursenotes.settings.model import BuildOptions, GatewaySettings, NavLink, Settings, SiteConfig, ToolSettings
from coursenotes.settings.site import QUARTO_FILE, load_site, load_yaml
from coursenotes.settings.tool import load_tool_settings

__all__ = [
    "LOCAL",
    "QUARTO_FILE",
    "BuildOptions",
    "GatewaySettings",
    "NavLink",
    "Settings",
    "SiteConfig",
    "ToolSettings",
    "check_execute",
    "load_config",
    "load_settings",
    "load_yaml",
    "resolve_gateway",
]


def load_config(root: Path | str) -> SiteConfig:
    """The site's settings from `_quarto.yml` and `[tool.coursenotes]`."""
    root = Path(root).resolve()
    return load_site(root, load_tool_settings(root))


def load_settings(
    root: Path | str, options: BuildOptions | None = None, environ: Mapping[str, str] | None = None
) -> Settings:
    """Everything one build runs with: site, command line, and the gateway they name."""
    site, options = load_config(root), options or BuildOptions()
    gateway = resolve_gateway(
        options.gateway_url, options.gateway_token, site.tool, environ, where=str(site.root / "pyproject.toml")
    )
    return Settings(site, options, gateway, with_tokens(site.tool.gateways, environ))
