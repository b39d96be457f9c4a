"""Browser tests: Debian's Chromium driven by Playwright over a site served on 127.0.0.1.

Reusable pieces for any browser test:
- `serve(folder)`: a context manager serving a built site; yields its base URL.
- `browser`: one headless Chromium for the session (scripts/setup installs /usr/bin/chromium).
- `visit(base)`: a fixture-made function opening a fresh page that records every request and every
  console error, and aborts any request that would leave 127.0.0.1. Check `.requests`,
  `.external` and `.errors` on what it returns.
- `shoot(page, name)`: a full-page screenshot into tests/screenshots/ (git-ignored).
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar
from urllib.parse import urlsplit

import pytest

from coursenotes.render.diagrams.browser import ARGS, CHROMIUM  # the build's own Chromium and flags

SCREENSHOTS = Path(__file__).resolve().parents[1] / "screenshots"
LOCAL_HOSTS = ("127.0.0.1",)


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """A static file handler that does not log every request to stderr, and sends `headers` with each response."""

    headers_sent: ClassVar[dict[str, str]] = {}

    def end_headers(self):
        for name, value in self.headers_sent.items():
            self.send_header(name, value)
        super().end_headers()

    def log_message(self, format, *args):
        pass


def site_headers(site: Path) -> dict[str, str]:
    """The headers the build's `_headers` gives every path (`/*`), as Netlify would send them."""
    lines = (site / "_headers").read_text().splitlines()
    return dict(line.strip().split(": ", 1) for line in lines[1:] if line.startswith("  "))


@contextlib.contextmanager
def serve(folder: Path, headers: dict[str, str] | None = None):
    """Serve `folder` on 127.0.0.1 at a free port, sending `headers` too; yields the base URL (ending in /)."""
    quiet = type("Handler", (QuietHandler,), {"headers_sent": dict(headers or {})})
    handler = functools.partial(quiet, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


@dataclass
class Visit:
    """A page plus what it did: every request URL, the ones that tried to leave, console errors."""

    page: object
    requests: list[str] = field(default_factory=list)
    external: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium for the whole session (scripts/setup installs it)."""
    from playwright import sync_api

    assert CHROMIUM.exists(), "/usr/bin/chromium is missing: run scripts/setup as root (apt-get install chromium)"
    with sync_api.sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def visit(browser):
    """`visit(width=1280, scheme='light')` -> Visit on a fresh context that may only talk to 127.0.0.1."""
    contexts = []

    def open_page(width: int = 1280, height: int = 900, scheme: str = "light") -> Visit:
        context = browser.new_context(
            viewport={"width": width, "height": height}, color_scheme=scheme, service_workers="block"
        )
        contexts.append(context)
        visit = Visit(context.new_page())

        def route(r):
            url = r.request.url
            visit.requests.append(url)
            if url.startswith(("data:", "blob:")) or urlsplit(url).hostname in LOCAL_HOSTS:
                r.continue_()
            else:
                visit.external.append(url)
                r.abort()

        context.route("**/*", route)
        visit.page.on(
            "console", lambda m: m.type == "error" and visit.errors.append(f"console: {m.text} ({m.location})")
        )
        visit.page.on("pageerror", lambda e: visit.errors.append(f"page error: {e}"))
        # ERR_ABORTED is the browser cancelling a request it no longer needs (the test navigated on, or
        # resized the viewport while a lazy image loaded): not a broken page. Every other failure counts.
        visit.page.on(
            "requestfailed",
            lambda r: "ERR_ABORTED" in (r.failure or "") or visit.errors.append(f"request failed: {r.url} {r.failure}"),
        )
        return visit

    yield open_page
    for context in contexts:
        context.close()


def shoot(page, name: str) -> Path:
    """Save a full-page screenshot as tests/screenshots/<name>.png."""
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
