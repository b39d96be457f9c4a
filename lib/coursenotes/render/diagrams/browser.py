"""Draw mermaid sources to SVG in headless Debian Chromium with the pinned mermaid.js; nothing is downloaded."""

from __future__ import annotations

import os
import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
SWITCH = "COURSENOTES_PRERENDER"  # "0": never start a browser (diagrams come from the store or the reader's browser)
THEMES = {"light": "default", "dark": "dark"}
BLANK = '<!DOCTYPE html><html><head><meta charset="utf-8"></head><body></body></html>'
# securityLevel 'strict': labels are sanitised by mermaid's DOMPurify and click handlers are off.
# A fixed handDrawnSeed: both themes get the same shapes, so one drawing can serve both (themes.py).
DRAW = """async ([source, theme, id]) => {
  mermaid.initialize({startOnLoad: false, securityLevel: 'strict', theme: theme, handDrawnSeed: 1,
                      suppressErrorRendering: true, logLevel: 'fatal'});
  try { return (await mermaid.render(id, source)).svg; }
  catch (e) {
    for (const x of ['d' + id, id]) { const el = document.getElementById(x); if (el) el.remove(); }
    return null;
  }
}"""
RENDER_ID = "cn-diagram"  # every SVG is drawn under this id; inlining renames it (and every other id) per page


def chromium() -> Path | None:
    """The browser to draw with: Debian's Chromium (or one on PATH), never a downloaded one."""
    if CHROMIUM.exists():
        return CHROMIUM
    found = shutil.which("chromium")
    return Path(found) if found else None


def prerender_enabled() -> bool:
    """True when diagrams can be drawn here: a Chromium, Playwright, and no COURSENOTES_PRERENDER=0."""
    if os.environ.get(SWITCH, "1") == "0" or chromium() is None:
        return False
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return False
    return True


def draw(sources: list[str], mermaid_js: Path) -> dict[str, dict[str, str] | None]:
    """{source: {'light': svg, 'dark': svg}} for each source; None for one mermaid cannot draw."""
    # Its own thread: Playwright's sync API refuses to run where an asyncio loop is running
    # (a caller inside one, or another Playwright session in this thread).
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(draw_here, sources, mermaid_js).result()


def draw_here(sources: list[str], mermaid_js: Path) -> dict[str, dict[str, str] | None]:
    """`draw` in the calling thread."""
    from playwright.sync_api import sync_playwright

    drawn: dict[str, dict[str, str] | None] = {}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(chromium()), args=ARGS)
        try:
            page = browser.new_context(java_script_enabled=True).new_page()
            page.route("**/*", lambda route: route.abort())  # a local page: nothing may load from anywhere
            page.set_content(BLANK)
            page.add_script_tag(content=mermaid_js.read_text(encoding="utf-8"))
            for source in sources:
                svgs = {name: page.evaluate(DRAW, [source, theme, RENDER_ID]) for name, theme in THEMES.items()}
                drawn[source] = svgs if all(svgs.values()) else None
        finally:
            browser.close()
    return drawn
