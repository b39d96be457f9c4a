"""Named gateways: `[tool.coursenotes.gateways.<name>]` tables and the `gateway =` default, checked key by key."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from dataclasses import replace
from pathlib import Path

from coursenotes.errors import ConfigError
from coursenotes.settings.gateway import normal_url
from coursenotes.settings.model import FILES_MODES, GatewaySettings

GATEWAY_KEYS = ("url", "token", "token-env", "root", "files", "send-limit-mb")
NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")
LOCAL = "local"  # the name of this machine's kernels, in `gateway =` and a post's `coursenotes: gateway:`


def named_gateway(name: str, table, path: Path, line: Callable[[str | None, str], int | None]) -> GatewaySettings:
    """One `[tool.coursenotes.gateways.<name>]` table, or a ConfigError naming its line."""
    where = f"tool.coursenotes.gateways.{name}"
    if not isinstance(table, dict):
        raise ConfigError(
            f"[{where}] must be a table (url = ..., token-env = ...)", path, line(name, "tool.coursenotes.gateways")
        )
    if not NAME.match(name) or name == LOCAL:
        raise ConfigError(
            f"gateway name `{name}` must be letters, digits, - or _ (and not `local`)", path, line(None, where)
        )
    for key, value in table.items():
        if key not in GATEWAY_KEYS:
            raise ConfigError(
                f"unknown setting `{key}` in [{where}] (known: {', '.join(GATEWAY_KEYS)})", path, line(key, where)
            )
        wanted = (int, float) if key == "send-limit-mb" else str
        if not isinstance(value, wanted) or isinstance(value, bool):
            raise ConfigError(
                f"`{key}` in [{where}] must be a {'number' if key == 'send-limit-mb' else 'string'}",
                path,
                line(key, where),
            )
    if "url" not in table:
        raise ConfigError(f'[{where}] needs a url (e.g. url = "http://127.0.0.1:8888")', path, line(None, where))
    files = table.get("files", "auto")
    if files not in FILES_MODES:
        raise ConfigError(
            f"`files` in [{where}] must be one of {', '.join(FILES_MODES)}, not {files!r}", path, line("files", where)
        )
    limit = table.get("send-limit-mb", 50.0)
    if limit <= 0:
        raise ConfigError(f"`send-limit-mb` in [{where}] must be positive", path, line("send-limit-mb", where))
    return GatewaySettings(
        url=normal_url(table["url"], str(path)),
        token=table.get("token", ""),
        root=table.get("root", ""),
        name=name,
        files=files,
        send_limit_mb=float(limit),
        token_env=table.get("token-env", ""),
    )  # fmt: skip


def named_gateways(tables, path: Path, line: Callable[[str | None, str], int | None]) -> tuple[GatewaySettings, ...]:
    """Every named gateway, in the file's order."""
    if not isinstance(tables, dict):
        raise ConfigError(
            "`gateways` must be tables: [tool.coursenotes.gateways.<name>]", path, line("gateways", "tool.coursenotes")
        )
    return tuple(named_gateway(name, table, path, line) for name, table in tables.items())


def default_gateway(value, gateways: tuple[GatewaySettings, ...], path: Path, line: int | None) -> tuple[str, ...]:
    """`gateway = "gpu"` or `["gpu", "cpu"]`: where posts that name none run (spread when several)."""
    if value is None:
        return ()
    names = [value] if isinstance(value, str) else value
    if not isinstance(names, list) or not names or not all(isinstance(n, str) for n in names):
        raise ConfigError("`gateway` must name a gateway, or a list of them", path, line)
    known = [LOCAL, *(g.name for g in gateways)]
    for name in names:
        if name not in known:
            raise ConfigError(f"`gateway` names `{name}`, which is not defined (known: {', '.join(known)})", path, line)
    return tuple(names)


def with_tokens(
    gateways: tuple[GatewaySettings, ...], environ: Mapping[str, str] | None
) -> tuple[GatewaySettings, ...]:
    """The named gateways with each `token-env` read from the environment (over a `token` in the file)."""
    env = os.environ if environ is None else environ
    return tuple(replace(g, token=env.get(g.token_env, g.token)) if g.token_env else g for g in gateways)
