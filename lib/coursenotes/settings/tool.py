"""`[tool.coursenotes]` in pyproject.toml, read into ToolSettings and checked key by key."""

from __future__ import annotations

import tomllib
from pathlib import Path

from coursenotes.errors import ConfigError
from coursenotes.files import read_text
from coursenotes.settings.gateways import default_gateway, named_gateways
from coursenotes.settings.model import DEFAULT_PACKAGES, ToolSettings

STRING_KEYS = ("gateway-url", "gateway-token", "gateway-root")
KNOWN_KEYS = ("fingerprint-packages", *STRING_KEYS, "gateways", "gateway")


def key_line(text: str, key: str | None, table: str = "tool.coursenotes") -> int | None:
    """The line of `key =` in a `[tool.coursenotes...]` table; of its header when key is None (tomllib keeps none)."""
    inside = False
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if stripped.startswith("["):
            inside = stripped.replace(" ", "") == f"[{table}]"
            if inside and key is None:
                return number
        elif inside and stripped.split("=", 1)[0].strip().strip("\"'") == key:
            return number
    return None


def tool_settings(table: dict, text: str, path: Path) -> ToolSettings:
    """ToolSettings from the parsed table, or a ConfigError naming the key's line."""
    for key in table:
        if key not in KNOWN_KEYS:
            raise ConfigError(
                f"unknown setting `{key}` in [tool.coursenotes] (known: {', '.join(KNOWN_KEYS)})",
                path,
                key_line(text, key),
            )
    packages = table.get("fingerprint-packages", list(DEFAULT_PACKAGES))
    if not isinstance(packages, list) or not all(isinstance(p, str) for p in packages):
        raise ConfigError(
            "`fingerprint-packages` must be a list of package names", path, key_line(text, "fingerprint-packages")
        )
    for key in STRING_KEYS:
        if key in table and not isinstance(table[key], str):
            raise ConfigError(f"`{key}` must be a string", path, key_line(text, key))
    gateways = named_gateways(table.get("gateways", {}), path, lambda key, table: key_line(text, key, table))
    return ToolSettings(
        gateways=gateways,
        default_gateway=default_gateway(table.get("gateway"), gateways, path, key_line(text, "gateway")),
        fingerprint_packages=tuple(packages),
        gateway_url=table.get("gateway-url", ""),
        gateway_token=table.get("gateway-token", ""),
        gateway_root=table.get("gateway-root", ""),
    )


def load_tool_settings(root: Path) -> ToolSettings:
    """`[tool.coursenotes]` from pyproject.toml, or the defaults."""
    path = root / "pyproject.toml"
    if not path.exists():
        return ToolSettings()
    text = read_text(path)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(f"invalid TOML: {e}", path) from None
    table = data.get("tool", {}).get("coursenotes", {}) or {}
    if not isinstance(table, dict):
        raise ConfigError("[tool.coursenotes] must be a table", path)
    return tool_settings(table, text, path)
