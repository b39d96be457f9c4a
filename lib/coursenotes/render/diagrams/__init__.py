"""Diagrams at build time: every mermaid diagram as inline SVG, a light and a dark one, switched by CSS.

SVGs come from Debian's Chromium running the pinned mermaid.js (Playwright, no network) and
are kept in `_frozen/diagrams/<key>.json` (committed), so a build without a browser inlines
them too. A diagram with no SVG stays a `<pre class="mermaid">` that mermaid.js draws in the
reader's browser. Public names: inline_diagrams, DiagramStore, prerender_enabled.
"""

from coursenotes.render.diagrams.browser import prerender_enabled
from coursenotes.render.diagrams.inline import inline_diagrams
from coursenotes.render.diagrams.store import DiagramStore

__all__ = ["DiagramStore", "inline_diagrams", "prerender_enabled"]
