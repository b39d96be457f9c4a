"""Make a drawn SVG safe to inline and give its ids a per-page prefix, so two diagrams on one page never collide."""

from __future__ import annotations

import re

# mermaid (securityLevel 'strict') already sanitises labels; this is the second line of defence
# for what lands in the page, since the store's JSON is a committed file anyone can edit.
DANGEROUS_ELEMENTS = re.compile(
    r"<(script|iframe|object|embed)\b.*?</\1\s*>|<(?:script|iframe|object|embed|base|meta|link)\b[^>]*>", re.I | re.S
)
EVENT_ATTR = re.compile(r"""\s+on[a-z]+\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+)""", re.I)
SCRIPT_URL = re.compile(r"""\s+(?:xlink:)?href\s*=\s*(["'])\s*(?:javascript|data|vbscript):.*?\1""", re.I | re.S)
ID_ATTR = re.compile(r'\bid="([^"]+)"')
ID_REF = re.compile(r'(\bid="|#|\b(?:aria-labelledby|aria-describedby)="(?:[^"]*\s)?)([A-Za-z_][\w.:-]*)')


def sanitize(svg: str) -> str:
    """The SVG without scripts, embedded documents, event handlers or script URLs."""
    svg = DANGEROUS_ELEMENTS.sub("", svg)
    svg = EVENT_ATTR.sub("", svg)
    return SCRIPT_URL.sub("", svg)


def namespace(svg: str, prefix: str) -> str:
    """Every id the SVG defines, and every reference to one (`#id`, `url(#id)`, aria), prefixed with `prefix`-."""
    ids = set(ID_ATTR.findall(svg))

    def rename(m: re.Match) -> str:
        name = m.group(2)
        return m.group(1) + (f"{prefix}-{name}" if name in ids else name)

    svg = ID_REF.sub(rename, svg)
    # aria lists can name several ids: rename the rest of each list too
    return re.sub(
        r'(\baria-(?:labelledby|describedby)=")([^"]*)"',
        lambda m: m.group(1) + " ".join(n if n.startswith(prefix) or n not in ids else f"{prefix}-{n}"
                                        for n in m.group(2).split()) + '"',
        svg,
    )  # fmt: skip
