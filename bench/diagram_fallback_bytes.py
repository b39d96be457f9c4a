"""Benchmark: the JavaScript a reader's browser downloads for a diagram the build could not draw.

Usage: .venv/bin/python bench/diagram_fallback_bytes.py

Builds, with `COURSENOTES_PRERENDER=0` (no build-time drawing, so every diagram is left to the
reader's browser), one post per diagram type: a flowchart, a sequence diagram, and both. Each
page is opened in Debian's Chromium under the build's Content-Security-Policy, twice:

- after: the page as built, where diagrams.js imports mermaid's ES module build (assets/mermaid/);
- before: the same page as the old template wrote it, `mermaid.min.js` in a classic `<script>`
  before diagrams.js (which then uses its window.mermaid, as it did).

Prints, per page and variant, the bytes of every JS response (the test server sends no
compression, so bytes on the wire = file bytes), how many JS files, and the mermaid part.
Exit status 1 when a diagram was not drawn, the console shows an error, or the CSP was violated.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import shutil
import sys
import tempfile
import threading
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "lib"))

from coursenotes.build import BuildOptions, build  # noqa: E402
from coursenotes.render.diagrams.browser import ARGS, CHROMIUM  # noqa: E402

DIAGRAMS = {
    "flowchart": "```mermaid\nflowchart LR\n  inputs --> program --> results\n```",
    "sequence": "```mermaid\nsequenceDiagram\n  Reader->>Site: page\n  Site-->>Reader: diagram\n```",
}
PAGES = {"flowchart": ["flowchart"], "sequence": ["sequence"], "both": ["flowchart", "sequence"]}
MODULE = '<link rel="modulepreload" href="../../assets/mermaid/mermaid.esm.min.mjs">'
CLASSIC = '<script src="../../assets/mermaid.min.js" defer></script>'  # the old template's line
VIOLATIONS = "window.__csp = []; addEventListener('securitypolicyviolation', e => __csp.push(e.violatedDirective));"


def make_site(root: Path) -> Path:
    """Build one post per entry of PAGES, no diagram drawn at build time; returns the output folder."""
    (root / "posts").mkdir(parents=True)
    (root / "_quarto.yml").write_text("project:\n  type: website\nwebsite:\n  title: Bench\n")
    (root / "_extensions").symlink_to(REPO / "_extensions")
    (root / "node_modules").symlink_to(REPO / "node_modules")
    for name, kinds in PAGES.items():
        body = "\n\n".join(DIAGRAMS[k] for k in kinds)
        (root / "posts" / f"2024-05-01-{name}.md").write_text(f"---\ntitle: {name}\n---\n\n{body}\n")
    os.environ["COURSENOTES_PRERENDER"] = "0"
    result = build(root, BuildOptions(search=False))
    assert result.ok, [str(e) for e in result.errors]
    out = root / "_site"
    # The "before" page: the old template's classic bundle in place of the module preload.
    shutil.copy(REPO / "node_modules/mermaid/dist/mermaid.min.js", out / "assets/mermaid.min.js")
    for name in PAGES:
        page = (out / "posts" / name / "index.html").read_text()
        assert MODULE in page, f"{name}: no module preload in the built page"
        (out / "posts" / name / "before.html").write_text(page.replace(MODULE, CLASSIC))
    return out


def policy(out: Path) -> str:
    """The build's Content-Security-Policy, as `_headers` gives it (no https upgrade on 127.0.0.1)."""
    line = next(x for x in (out / "_headers").read_text().splitlines() if "Content-Security-Policy:" in x)
    return line.split(": ", 1)[1].replace("; upgrade-insecure-requests", "")


@contextlib.contextmanager
def serve(folder: Path, headers: dict[str, str]):
    """Serve `folder` on 127.0.0.1 with `headers` on every response; yields the base URL."""

    class Handler(http.server.SimpleHTTPRequestHandler):
        def end_headers(self):
            for name, value in headers.items():
                self.send_header(name, value)
            super().end_headers()

        def log_message(self, format, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def measure(browser, url: str, diagrams: int) -> dict:
    """Open `url` in a fresh context; the JS it downloaded once its diagrams are drawn, and what went wrong."""
    context = browser.new_context(service_workers="block")
    page = context.new_page()
    js: dict[str, int] = {}
    errors: list[str] = []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("response", lambda r: r.url.endswith((".js", ".mjs")) and js.setdefault(r.url, len(r.body())))
    page.add_init_script(VIOLATIONS)
    try:
        page.goto(url)
        # page.evaluate, not wait_for_function: Playwright's polling evaluates a string, which the CSP forbids.
        for _ in range(300):
            if page.evaluate("document.querySelectorAll('figure.diagram pre svg').length") == diagrams:
                break
            page.wait_for_timeout(100)
        else:
            errors.append(f"{diagrams} diagram(s) not drawn in 30 s")
        page.wait_for_load_state("networkidle")
        errors += [f"CSP: {d}" for d in page.evaluate("window.__csp")]
    finally:
        context.close()
    mermaid = {u: n for u, n in js.items() if "mermaid" in u}
    return {"js": sum(js.values()), "files": len(js), "mermaid": sum(mermaid.values()), "errors": errors}


def main() -> int:
    from playwright import sync_api

    failed = False
    with tempfile.TemporaryDirectory() as tmp:
        out = make_site(Path(tmp) / "site")
        with serve(out, {"Content-Security-Policy": policy(out)}) as base, sync_api.sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
            print(f"{'page':<10} {'variant':<7} {'JS bytes':>10} {'files':>5} {'mermaid bytes':>13}")
            for name, kinds in PAGES.items():
                for variant, file in (("before", "before.html"), ("after", "")):
                    got = measure(browser, f"{base}posts/{name}/{file}", len(kinds))
                    print(f"{name:<10} {variant:<7} {got['js']:>10,} {got['files']:>5} {got['mermaid']:>13,}")
                    for error in got["errors"]:
                        print(f"  error: {error}")
                        failed = True
            browser.close()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
