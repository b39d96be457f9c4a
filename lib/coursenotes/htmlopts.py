"""Quarto's HTML format options that the Lua filters read: site and post defaults as pandoc metadata, cell options as attributes."""
from __future__ import annotations

import json

# Page-wide defaults the Lua filters read from metadata (_extensions/coursenotes/code.lua, callouts.lua, layout.lua).
CODE_DEFAULTS = ("code-fold", "code-summary", "code-line-numbers", "code-overflow")
PAGE_OPTIONS = (*CODE_DEFAULTS, "callout-appearance", "callout-icon", "fig-align")
# Cell options that travel on the echoed source's fence (code.lua) and on the `.cell` div (layout.lua).
CODE_OPTIONS = (*CODE_DEFAULTS, "filename")
CELL_OPTIONS = ("column", "layout", "layout-ncol", "layout-nrow", "layout-align", "layout-valign", "fig-align")


def format_html(data: dict) -> dict:
    """The `format: html:` mapping of a config or front matter, or {}."""
    fmt = data.get("format") if isinstance(data, dict) else None
    html = fmt.get("html") if isinstance(fmt, dict) else None
    return html if isinstance(html, dict) else {}


def page_options(site: dict, front: dict) -> dict:
    """The page-wide options in Quarto's order: site top level, site `format: html:`, post top level, post `format: html:`."""
    merged = {}
    for layer in (site, format_html(site), front, format_html(front)):
        merged.update({k: layer[k] for k in PAGE_OPTIONS if isinstance(layer, dict) and layer.get(k) is not None})
    return merged


def text(value) -> str:
    """An option value as the text a pandoc attribute or `-M` carries: YAML booleans lower-case, lists as JSON."""
    if isinstance(value, bool): return "true" if value else "false"
    if isinstance(value, (list, dict)): return json.dumps(value, separators=(",", ":"))
    return str(value)


def metadata_args(options: dict) -> list[str]:
    """`-M key=value` arguments for pandoc, in a fixed order (they are part of the render cache key)."""
    return [f"--metadata={k}={text(options[k])}" for k in sorted(options)]


def quoted(value: str) -> str:
    """A value double-quoted for a pandoc attribute, on one line (it sits in a fence's info line)."""
    return '"' + " ".join(value.splitlines()).replace("\\", "\\\\").replace('"', '\\"') + '"'


def attributes(opts: dict, keys: tuple[str, ...]) -> str:
    """Pandoc attributes (` key="value"`) for the cell options among keys."""
    return "".join(f" {k}={quoted(text(opts[k]))}" for k in keys if opts.get(k) is not None)
