"""`coursenotes preview`: serves the drafts build, rebuilds on edit, keeps the last good site, stops on Ctrl-C."""

import json
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

import pytest
from tests.conftest import simple_post

from coursenotes.authoring.preview import VERSION_PATH, Previewer, PreviewState, preview, serve


def fetch(url: str) -> tuple[int, str]:
    """(status, body) of a GET, 4xx/5xx included."""
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()


def wait_for(predicate, timeout: float = 30, what: str = "condition"):
    """Poll until predicate() is truthy; its value."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    pytest.fail(f"timed out waiting for {what}")


def test_preview_rebuilds_on_edit_keeps_last_good_site_and_stops_on_ctrl_c(site):
    post = site.post("draft.md", simple_post("Draft", body="First version.", extra="published: false\n"))
    proc = subprocess.Popen(
        [sys.executable, "-m", "coursenotes", "preview", "--port", "0", "--root", str(site.root)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines = []
    reader = threading.Thread(target=lambda: lines.extend(proc.stdout), daemon=True)
    reader.start()
    try:
        line = wait_for(lambda: next((line for line in lines if "previewing" in line), None), what="the preview URL")
        base = line.split(" at ")[1].split()[0]
        assert base.startswith("http://127.0.0.1:")
        status, page = fetch(base + "posts/draft/")
        assert status == 200 and "First version." in page and VERSION_PATH in page  # drafts, with live reload
        assert json.loads(fetch(base + VERSION_PATH[1:])[1]) == {"version": 1, "errors": []}

        post.write_text(simple_post("Draft", body="Second version.", extra="published: false\n"))
        # The version goes up after the new site is in place, so a page that sees it reloads into new content.
        wait_for(lambda: json.loads(fetch(base + VERSION_PATH[1:])[1])["version"] == 2, what="the rebuild")
        assert "Second version." in fetch(base + "posts/draft/")[1]

        post.write_text("---\ntitle: [unclosed\n---\n")
        state = wait_for(
            lambda: (
                json.loads(fetch(base + VERSION_PATH[1:])[1])["errors"]
                and json.loads(fetch(base + VERSION_PATH[1:])[1])
            ),
            what="the build error",
        )
        assert state["version"] == 2 and "draft.md:3: invalid YAML front matter" in state["errors"][0]
        assert "Second version." in fetch(base + "posts/draft/")[1]  # the last good site stays
        assert fetch(base + "no/such/page/")[0] == 404
    finally:
        proc.send_signal(signal.SIGINT)
        code = proc.wait(timeout=30)
        reader.join(5)
    output = "".join(lines)
    assert code == 0, output
    assert "preview stopped" in output and "Traceback" not in output
    assert "build failed" in output and "still serving the last good build" in output


def test_preview_in_process_stops_and_removes_its_folder(site, monkeypatch):
    site.post("a.md", simple_post("A"))
    stop, urls, said = threading.Event(), [], []
    folders = []
    real_build = Previewer.build
    monkeypatch.setattr(Previewer, "build", lambda self, why="": folders.append(self.out) or real_build(self, why))
    thread = threading.Thread(target=lambda: preview(site.root, 0, stop=stop, say=said.append, ready=urls.append))
    thread.start()
    wait_for(lambda: urls, what="the server")
    status, page = fetch(urls[0])
    assert status == 200 and '<h2 class="post-item-title"><a href="posts/a/">A</a></h2>' in page
    stop.set()
    thread.join(30)
    assert not thread.is_alive() and said[-1] == "preview stopped"
    assert not folders[0].exists() and not folders[0].parent.exists()


def test_server_without_a_site_shows_the_errors(tmp_path):
    state = PreviewState(errors=["posts/a.md:2: bad"])
    server = serve(tmp_path / "missing", 0, state)
    try:
        status, page = fetch(f"http://127.0.0.1:{server.server_address[1]}/")
        assert status == 503 and "posts/a.md:2: bad" in page and VERSION_PATH in page
    finally:
        server.shutdown()
        server.server_close()


def test_a_taken_port_is_a_one_line_error(tmp_path):
    from coursenotes.errors import CoursenotesError

    server = serve(tmp_path, 0, PreviewState())
    try:
        with pytest.raises(CoursenotesError, match=r"port \d+ is in use: try --port"):
            serve(tmp_path, server.server_address[1], PreviewState())
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.slow
def test_ctrl_c_while_a_cell_runs_stops_the_preview(site):
    post = site.post("a.qmd", simple_post("A", body="```{python}\n1 + 1\n```"))
    proc = subprocess.Popen(
        [sys.executable, "-m", "coursenotes", "preview", "--port", "0", "--root", str(site.root)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines = []
    threading.Thread(target=lambda: lines.extend(proc.stdout), daemon=True).start()
    try:
        wait_for(lambda: any("previewing" in line for line in lines), timeout=120, what="the first build")
        post.write_text(simple_post("A", body="```{python}\nimport time\ntime.sleep(120)\n```"))
        time.sleep(4)  # the rebuild is now inside the sleeping cell
    finally:
        proc.send_signal(signal.SIGINT)
        code = proc.wait(timeout=60)
    output = "".join(lines)
    assert code == 0 and "preview stopped" in output and "Traceback" not in output, output
    assert "error:" not in output.split("preview stopped", 1)[1], output  # a build cut short by Ctrl-C is no error


def test_files_are_revalidated_by_etag_and_pages_are_never_cached(tmp_path):
    (tmp_path / "assets").mkdir()
    css = tmp_path / "assets" / "site.css"
    css.write_text("body { color: black }")
    (tmp_path / "index.html").write_text("<html><body>Hi</body></html>")
    server = serve(tmp_path, 0, PreviewState())
    base = f"http://127.0.0.1:{server.server_address[1]}"

    def get(path: str, etag: str = ""):
        request = urllib.request.Request(base + path, headers={"If-None-Match": etag} if etag else {})
        try:
            with urllib.request.urlopen(request, timeout=10) as r:
                return r.status, r.headers, r.read()
        except urllib.error.HTTPError as e:
            return e.code, e.headers, e.read()

    try:
        status, headers, body = get("/assets/site.css")
        assert status == 200 and body == b"body { color: black }" and headers["Cache-Control"] == "no-cache"
        etag = headers["ETag"]
        status, headers, body = get("/assets/site.css", etag)
        assert status == 304 and body == b"" and headers["ETag"] == etag  # a reload refetches nothing
        css.write_text("body { color: navy }")  # changed during the preview: the browser gets it
        status, headers, body = get("/assets/site.css", etag)
        assert status == 200 and body == b"body { color: navy }" and headers["ETag"] != etag
        status, headers, body = get("/")
        assert status == 200 and headers["Cache-Control"] == "no-store" and "ETag" not in headers
    finally:
        server.shutdown()
        server.server_close()
