"""Quarto's HTML format options: site and post defaults the Lua filters read as metadata, cell options as attributes."""

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
    """Page-wide options in Quarto's order: site, site `format: html:`, post, post `format: html:` (last wins)."""
    merged = {}
    for layer in (site, format_html(site), front, format_html(front)):
        merged.update({k: layer[k] for k in PAGE_OPTIONS if isinstance(layer, dict) and layer.get(k) is not None})
    return merged


def text(value) -> str:
    """An option value as the text a pandoc attribute or `-M` carries: YAML booleans lower-case, lists as JSON."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, dict)):
        return json.dumps(value, separators=(",", ":"))
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


# Page-wide HTML options of Quarto's that this build does not draw, and what happens instead.
UNSUPPORTED_OPTIONS = {
    "code-tools": "is not supported: the page has no code-tools menu",
    "code-link": "is not supported: code is not linked to documentation",
    "code-annotations": "is not supported: annotation markers stay in the code",
    "reference-location": "is not supported: footnotes stay at the end of the post",
    "cap-location": "is not supported: captions stay below their figure or table",
    "fig-cap-location": "is not supported: captions stay below their figure",
    "lightbox": "is not supported: images do not open in a lightbox",
}


def unsupported_options(data: dict) -> list[tuple[str, str]]:
    """(key, why) for each unsupported HTML option set at the top level or under `format: html:`."""
    layers = (data, format_html(data))
    return [(key, why) for key, why in UNSUPPORTED_OPTIONS.items() if any(key in layer for layer in layers)]
