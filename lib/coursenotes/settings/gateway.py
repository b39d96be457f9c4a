"""Which Jupyter gateway runs the posts: the command line, else the environment, else `[tool.coursenotes]`."""

from __future__ import annotations

import os
import urllib.parse
from collections.abc import Mapping

from coursenotes.errors import ConfigError
from coursenotes.settings.model import GatewaySettings, ToolSettings


def normal_url(url: str, where: str) -> str:
    """`http(s)://host[:port][/base]` without a trailing slash, or a ConfigError."""
    url = url.strip().rstrip("/")
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ConfigError(f"gateway URL must look like http://host:port, not {url!r}", where)
    return url


def resolve_gateway(
    url: str | None = None,
    token: str | None = None,
    tool: ToolSettings | None = None,
    environ: Mapping[str, str] | None = None,
    where: str = "pyproject.toml",
) -> GatewaySettings | None:
    """Gateway settings from the command line, else the environment, else `[tool.coursenotes]`; None = local kernels."""
    env, tool = os.environ if environ is None else environ, tool or ToolSettings()
    url = url or env.get("JUPYTER_GATEWAY_URL") or tool.gateway_url
    if not url:
        return None
    token = token if token is not None else env.get("JUPYTER_GATEWAY_AUTH_TOKEN", tool.gateway_token)
    return GatewaySettings(normal_url(str(url), where), str(token or ""), tool.gateway_root)
