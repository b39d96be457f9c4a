"""`coursenotes preview`: build with drafts, serve on 127.0.0.1, rebuild on change, reload the open page."""

from __future__ import annotations

import asyncio
import errno
import functools
import html
import http.server
import json
import shutil
import signal
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from coursenotes.errors import CoursenotesError, InternalError
from coursenotes.settings import QUARTO_FILE, load_config
from coursenotes.site import check_out
from coursenotes.sources import find_pages

VERSION_PATH = "/__coursenotes/version"
WATCHED = ("posts", QUARTO_FILE, "_extensions", "_variables.yml")  # the last feeds {{< var >}}
STEP_MS = 30
WAIT_SECONDS = 20  # a long poll's longest wait: well under browsers' and proxies' idle limits
IGNORED_PARTS = {"__pycache__", ".ipynb_checkpoints", "_freeze", ".jupyter_cache"}
RELOAD_PATH = "/__coursenotes/reload.js"
# Injected into every HTML page the preview serves (never into the built files): a script file
# (authoring/reload.js) that long-polls the build version (`?since=<serial>` is answered as soon
# as a build finishes, or after WAIT_SECONDS), reloads when it changes, and shows the last
# build's errors in a banner. A file, not inline code, so pages keep working under the site's CSP.
RELOAD_TAG = (
    '<script src="%(src)s" data-version="%(version)d" data-serial="%(serial)d" data-poll="%(path)s"></script>\n'
)
RELOAD_JS = Path(__file__).with_name("reload.js")
NO_SITE = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Preview: build failed</title></head>
<body><h1>The site has not built yet</h1><p>Fix the problems below; the page reloads when the build succeeds.</p>
<pre>%s</pre></body></html>"""


@dataclass
class PreviewState:
    """What the server tells open pages: the build version (bumped on every good build) and the last errors."""

    version: int = 0
    errors: list[str] = field(default_factory=list)
    serial: int = 0  # bumped when any build finishes, good or not: what waiting pages wait for
    changed: threading.Condition = field(default_factory=threading.Condition, repr=False, compare=False)

    def finished(self, errors: list[str]) -> None:
        """Record a build's outcome and wake every waiting page."""
        with self.changed:
            self.errors = errors
            self.version += 0 if errors else 1
            self.serial += 1
            self.changed.notify_all()

    def wait(self, since: int) -> dict:
        """The state once a build after `since` finished (or WAIT_SECONDS passed)."""
        with self.changed:
            self.changed.wait_for(lambda: self.serial != since, timeout=WAIT_SECONDS)
            return {"version": self.version, "errors": self.errors, "serial": self.serial}


class PreviewHandler(http.server.SimpleHTTPRequestHandler):
    """Static files from the preview folder, never cached, with the reload script in every HTML page."""

    def __init__(self, *args, state: PreviewState, **kwargs):
        self.state, self.etag = state, ""
        super().__init__(*args, **kwargs)

    def log_message(self, format, *args):
        pass  # one line per request drowns the build messages

    def end_headers(self):
        # Pages are never cached (each carries the reload script); other files are revalidated by ETag,
        # so a reload after a save fetches the new page and gets "304 Not Modified" for its CSS and JS.
        self.send_header("Cache-Control", "no-cache" if self.etag else "no-store")
        if self.etag:
            self.send_header("ETag", self.etag)
        super().end_headers()

    def not_modified(self, path: Path) -> bool:
        """Answer 304 when the browser's copy of this file is current; else mark the file revalidatable."""
        try:
            st = path.stat()
        except OSError:
            return False
        self.etag = f'"{st.st_ino:x}-{st.st_size:x}-{st.st_mtime_ns:x}"'
        if self.etag not in (self.headers.get("If-None-Match") or ""):
            return False
        self.send_response(304)
        self.end_headers()
        return True

    def send_bytes(self, status: int, data: bytes, kind: str) -> None:
        """A whole response from bytes."""
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def reload_tag(self) -> str:
        """The reload script's tag for this build version."""
        values = {"src": RELOAD_PATH, "version": self.state.version, "serial": self.state.serial}
        return RELOAD_TAG % {**values, "path": VERSION_PATH}

    def html_page(self, path: Path, status: int = 200) -> None:
        """An HTML file with the reload script before </body>."""
        text = path.read_text(encoding="utf-8")
        script = self.reload_tag()
        text = text.replace("</body>", script + "</body>", 1) if "</body>" in text else text + script
        self.send_bytes(status, text.encode(), "text/html; charset=utf-8")

    def do_GET(self):
        """The version endpoint, HTML pages with the script, the 404 page for anything missing, else files."""
        self.etag = ""  # set only for a file sent as it is on disk
        if not allowed_host(self.headers.get("Host", ""), self.server.server_address[1]):
            # DNS rebinding: a page on evil.example resolving to 127.0.0.1 must not read the drafts.
            return self.send_bytes(421, b"unknown host: open the preview at http://127.0.0.1:<port>/\n", "text/plain")
        route = self.path.split("?", 1)[0].split("#", 1)[0]
        if route == RELOAD_PATH:
            return self.send_bytes(200, RELOAD_JS.read_bytes(), "text/javascript; charset=utf-8")
        if route == VERSION_PATH:
            since = parse_qs(urlsplit(self.path).query).get("since")
            state = {"version": self.state.version, "errors": self.state.errors}
            if since and since[0].lstrip("-").isdigit():
                state = self.state.wait(int(since[0]))
            return self.send_bytes(200, json.dumps(state).encode(), "application/json")
        site = Path(self.directory)
        if not site.is_dir():
            page = NO_SITE % html.escape("\n".join(self.state.errors) or "building...")
            return self.send_bytes(503, page.replace("</body>", self.reload_tag() + "</body>").encode(), "text/html")
        path = Path(self.translate_path(self.path))
        if path.is_dir() and route.endswith("/"):
            path = path / "index.html"
        if path.suffix == ".html" and path.is_file():
            return self.html_page(path)
        if not path.exists() and (site / "404.html").is_file():
            return self.html_page(site / "404.html", 404)
        if path.is_file() and self.not_modified(path):
            return None
        return super().do_HEAD() if self.command == "HEAD" else super().do_GET()

    do_HEAD = do_GET  # noqa: N815 - http.server calls do_<METHOD>


def allowed_host(host: str, port: int) -> bool:
    """Whether a request's Host header names this server by loopback address or `localhost`."""
    return host.lower() in {f"127.0.0.1:{port}", f"localhost:{port}", "127.0.0.1", "localhost"}


def serve(folder: Path, port: int, state: PreviewState, host: str = "127.0.0.1") -> http.server.ThreadingHTTPServer:
    """A started server for `folder` (which may be replaced while it runs); CoursenotesError when the port is taken."""
    handler = functools.partial(PreviewHandler, directory=str(folder), state=state)
    try:
        server = http.server.ThreadingHTTPServer((host, port), handler)
    except OSError as e:
        if e.errno == errno.EADDRINUSE:
            raise CoursenotesError(f"port {port} is in use: try --port {port + 1}") from None
        raise CoursenotesError(f"cannot serve on {host}:{port}: {e.strerror}") from None
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, name="coursenotes-preview", daemon=True).start()
    return server


def watched_paths(root: Path) -> list[Path]:
    """posts/, _quarto.yml, _extensions/ and _variables.yml where they exist, index.qmd (its listing), the pages."""
    pages = [root / "index.qmd", *find_pages(root)]
    return [root / name for name in WATCHED if (root / name).exists()] + [p for p in pages if p.is_file()]


def relevant(change, path: str) -> bool:
    """Ignore editor temp files, caches and checkpoints: only sources and config trigger a build."""
    parts = Path(path).parts
    name = parts[-1] if parts else ""
    return not (name.startswith((".", "#")) or name.endswith(("~", ".swp", ".tmp")) or IGNORED_PARTS & set(parts))


def changed(changes, root: Path) -> str:
    """The changed files in a few words: existing ones first (editors' short-lived temp files vanish)."""
    paths = sorted({Path(p) for _, p in changes}, key=lambda p: (not p.exists(), str(p)))
    names = [p.relative_to(root).as_posix() if p.is_relative_to(root) else str(p) for p in paths]
    return ", ".join(names[:2]) + (f" and {len(names) - 2} more" if len(names) > 2 else "")


class Previewer:
    """Builds the site with drafts into a folder and records the outcome for the server."""

    def __init__(self, root: Path, out: Path, say=print):
        self.root, self.out, self.say = root, out, say
        self.state, self.noted = PreviewState(), set[str]()
        self.stopping = False  # set on Ctrl-C: a build cut short then is not the author's error

    def build(self, why: str = "") -> bool:
        """One build; on success the version goes up (open pages reload), on failure the last good site stays."""
        from coursenotes.build import BuildOptions, build
        from coursenotes.render import warm

        warm(self.root)  # a pandoc driver kept ready for the next save's post (none when one is idle)
        start = time.monotonic()
        try:
            result = build(self.root, BuildOptions(drafts=True, out=self.out))
        except CoursenotesError as e:
            errors, result = [str(e)], None
        except Exception as e:  # a bug, not the author's error: one line, and the preview stays alive
            errors, result = [str(InternalError(e, self.root))], None
        else:
            errors = [str(e) for e in result.errors] if result else []
        if self.stopping:
            return False
        for note in result.notes if result else []:
            if note not in self.noted:
                self.noted.add(note)
                self.say(f"note: {note}")
        for warning in result.warnings if result else []:
            self.say(str(warning))
        took = f"{time.monotonic() - start:.1f} s"
        if errors:
            for line in errors:
                self.say(f"error: {line}")
            self.say(f"build failed ({took}){why}; still serving the last good build")
            self.state.finished(errors)
            return False
        self.state.finished([])
        self.say(f"built {len(result.posts) if result else 0} post(s) in {took}{why}")
        return True

    def build_aside(self, why: str = "") -> None:
        """`build` in a worker thread. In the main thread nbclient takes SIGINT over while a cell runs (and can
        leave it ignored), so Ctrl-C would be lost; here it always reaches us, and the kernel is shut down at exit."""
        worker = threading.Thread(target=self.build, args=(why,), name="coursenotes-build", daemon=True)
        worker.start()
        while worker.is_alive():
            worker.join(0.2)


def stop_on_sigterm():
    """Make SIGTERM (a closed terminal, `kill`) stop the preview like Ctrl-C, so its temp folder is removed;
    returns what puts the old handler back."""
    if threading.current_thread() is not threading.main_thread():
        return lambda: None

    def interrupt(signum, frame):
        raise KeyboardInterrupt

    old = signal.signal(signal.SIGTERM, interrupt)
    return lambda: signal.signal(signal.SIGTERM, old)


def preview(
    root: Path, port: int = 4000, out: Path | None = None, stop: threading.Event | None = None, say=print, ready=None
) -> int:
    """Build, serve and rebuild on every change until Ctrl-C (or `stop` is set); 0 when it stopped cleanly."""
    import watchfiles

    root = load_config(root).root
    paths = watched_paths(root)
    if not paths:
        raise CoursenotesError(f"nothing to preview: no posts/ or {QUARTO_FILE}", root)
    scratch: Path | None = None
    if out:
        site_dir = check_out(out, root)  # the build's rule: never the project, a source folder or someone's files
    else:
        scratch = Path(tempfile.mkdtemp(prefix="coursenotes-preview-"))
        site_dir = scratch / "site"
    previewer = Previewer(root, site_dir, say)
    server = None
    restore = stop_on_sigterm()
    try:
        previewer.build_aside()
        server = serve(previewer.out, port, previewer.state)
        url = f"http://127.0.0.1:{server.server_address[1]}/"
        say(f"previewing (drafts included) at {url}  Ctrl-C stops")
        if ready:
            ready(url)
        # step: how long the folder must be quiet before a save is built (watchfiles' default, 50 ms, waits
        # out an editor's write-rename-chmod; 1600 ms debounce only caps a burst of saves).
        for changes in watchfiles.watch(
            *paths, watch_filter=relevant, stop_event=stop, raise_interrupt=True, step=STEP_MS
        ):
            previewer.build_aside(f" after {changed(changes, root)} changed")
    except (KeyboardInterrupt, asyncio.CancelledError):
        pass  # Ctrl-C; nbclient turns it into CancelledError mid-cell
    finally:
        restore()
        previewer.stopping = True
        if server:
            server.shutdown()
            server.server_close()
        if scratch:
            shutil.rmtree(scratch, ignore_errors=True)
    say("preview stopped")
    return 0
