"""Swap each `<pre class="mermaid">` in rendered posts for its drawn SVGs, drawing what the store lacks."""

from __future__ import annotations

import html
import re
from dataclasses import replace
from functools import lru_cache
from pathlib import Path

from coursenotes.render.diagrams.browser import RENDER_ID, draw, prerender_enabled
from coursenotes.render.diagrams.store import DiagramStore
from coursenotes.render.diagrams.svg import namespace, sanitize
from coursenotes.render.diagrams.themes import compact, merge
from coursenotes.render.pandoc import Fragment

OPEN = '<pre class="mermaid">'
PRE = re.compile(OPEN + r"(.*?)</pre>", re.S)
MERMAID_JS = Path("node_modules", "mermaid", "dist", "mermaid.min.js")
ONE = '<div class="diagram-svg" role="img" aria-label="{label}">{svg}</div>'
TWO = (
    '<div class="diagram-svg diagram-light" role="img" aria-label="{label}">{light}</div>'
    '<div class="diagram-svg diagram-dark" role="img" aria-label="{label}">{dark}</div>'
)
SOURCE = '<details class="diagram-source"><summary>Diagram source</summary><pre><code>{source}</code></pre></details>'

LABEL = "Diagram; its source follows"


def sources_in(html_text: str) -> list[str]:
    """The mermaid sources of a rendered body, in order."""
    if OPEN not in html_text:  # most bodies: a substring test is far cheaper than the pattern's scan
        return []
    return [html.unescape(m) for m in PRE.findall(html_text)]


@lru_cache(maxsize=256)
def cleaned(light: str, dark: str) -> tuple[str, str, str | None]:
    """A stored drawing sanitized and compacted, and its two themes merged into one SVG when they can be.

    Remembered per process: a diagram repeated across posts, or kept across the preview's rebuilds,
    is cleaned once (about 20 ms each)."""
    light, dark = compact(sanitize(light)), compact(sanitize(dark))
    return light, dark, merge(light, dark, RENDER_ID)


def inline(fragment: Fragment, store: DiagramStore, page: str) -> Fragment:
    """The fragment with every diagram the store has inlined; ids prefixed per page and diagram.

    The prefix comes from the diagram's key (and its repeat on the page), not its position, so a
    diagram inlined in a later build (once drawn) gets the ids a clean build would give it."""
    if OPEN not in fragment.html:
        return fragment
    seen: dict[str, int] = {}

    def swap(m: re.Match) -> str:
        source = html.unescape(m.group(1))
        drawn = store.read(source)
        if drawn is None:
            return m.group(0)  # drawn in the reader's browser instead
        key = store.key(source)[:10]
        seen[key] = seen.get(key, 0) + 1
        prefix = f"{page}-{key}" + (f"-{seen[key]}" if seen[key] > 1 else "")
        light, dark, both = cleaned(drawn["light"], drawn["dark"])
        if both is not None:
            svgs = ONE.format(label=LABEL, svg=namespace(both, prefix))
        else:
            light, dark = namespace(light, f"{prefix}l"), namespace(dark, f"{prefix}d")
            svgs = TWO.format(label=LABEL, light=light, dark=dark)
        return svgs + SOURCE.format(source=m.group(1))

    body = PRE.sub(swap, fragment.html)
    return fragment if body == fragment.html else replace(fragment, html=body)


def inline_diagrams(bodies: dict, root: Path, allow_browser: bool = True) -> tuple[dict, int]:
    """{post: fragment} with diagrams inlined (drawing missing ones when a browser may run), and how many distinct
    diagrams were left undrawn for want of a browser (not counting those mermaid rejected)."""
    store = DiagramStore(root)
    missing = sorted({s for f in bodies.values() for s in sources_in(f.html) if store.read(s) is None})
    missing = [s for s in missing if store.key(s) not in store.failed]  # mermaid rejected it: no browser per build
    if missing and allow_browser and prerender_enabled() and (root / MERMAID_JS).is_file():
        for source, svgs in draw(missing, root / MERMAID_JS).items():
            if svgs is None:
                store.fail(source)
            else:
                store.write(source, compact(svgs["light"]), compact(svgs["dark"]))  # smaller commits too
    inlined = {post: inline(fragment, store, post.slug) for post, fragment in bodies.items()}
    undrawn = {s for f in inlined.values() for s in sources_in(f.html) if store.key(s) not in store.failed}
    return inlined, len(undrawn)
