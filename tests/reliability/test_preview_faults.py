"""The preview server: DNS rebinding, its reload script under a CSP, and SIGTERM."""

from __future__ import annotations

import http.client
import os
import signal
import subprocess
import sys
import threading
import time

import pytest

from coursenotes.authoring.preview import RELOAD_PATH, PreviewState, serve


@pytest.fixture
def server(tmp_path):
    """The preview server over a one-page site."""
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "index.html").write_text("<html><body><p>draft</p></body></html>")
    srv = serve(tmp_path / "site", 0, PreviewState())
    yield srv.server_address[1]
    srv.shutdown()
    srv.server_close()


def get(port: int, path: str, host: str) -> tuple[int, str]:
    """A GET with this Host header."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.putrequest("GET", path, skip_host=True)
    conn.putheader("Host", host)
    conn.endheaders()
    response = conn.getresponse()
    return response.status, response.read().decode()


@pytest.mark.parametrize("host", ["evil.example", "evil.example:{port}", "127.0.0.1.nip.io:{port}", "", "localhost:1"])
def test_preview_refuses_foreign_host_headers(server, host):
    status, body = get(server, "/", host.format(port=server))
    assert status == 421 and "draft" not in body


@pytest.mark.parametrize("host", ["127.0.0.1:{port}", "localhost:{port}", "LOCALHOST:{port}"])
def test_preview_answers_its_own_names(server, host):
    status, body = get(server, "/", host.format(port=server))
    assert status == 200 and "draft" in body


def test_preview_pages_have_no_inline_script(server):
    status, page = get(server, "/", f"127.0.0.1:{server}")
    assert status == 200 and f'<script src="{RELOAD_PATH}"' in page
    assert "<script>" not in page
    status, script = get(server, RELOAD_PATH, f"127.0.0.1:{server}")
    assert status == 200 and "window.location.reload()" in script


def test_sigterm_stops_the_preview_and_removes_its_folder(site, tmp_path):
    site.post("a.md", "---\ntitle: A\n---\n\nWords.\n")
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    env = dict(os.environ, TMPDIR=str(scratch))
    proc = subprocess.Popen(
        [sys.executable, "-m", "coursenotes", "preview", "--port", "0", "--root", str(site.root)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env,
    )  # fmt: skip
    lines: list[str] = []
    threading.Thread(target=lambda: lines.extend(proc.stdout or []), daemon=True).start()
    end = time.monotonic() + 60
    while not any("previewing" in line for line in lines) and time.monotonic() < end:
        time.sleep(0.1)
    assert [p.name for p in scratch.iterdir() if p.name.startswith("coursenotes-preview-")], "".join(lines)
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=30) == 0
    assert not [p for p in scratch.iterdir() if p.name.startswith("coursenotes-preview-")]
    assert "Traceback" not in "".join(lines)
