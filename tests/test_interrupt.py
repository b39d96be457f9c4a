"""Ctrl-C during `coursenotes build`: the build stops, says so, exits 130, and keeps nothing half-done."""

import signal
import subprocess
import sys
import time

from tests.conftest import REPO


def test_ctrl_c_while_a_cell_runs_stops_the_build(site):
    site.post(
        "slow/index.qmd",
        """
        ---
        title: Slow
        ---

        ```{python}
        import pathlib, time
        pathlib.Path("started").write_text("yes")
        time.sleep(60)
        ```
        """,
    )
    proc = subprocess.Popen(
        [sys.executable, "-m", "coursenotes", "build"],
        cwd=site.root,
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env={"PYTHONPATH": str(REPO / "lib"), "PATH": "/usr/bin:/bin"},
    )
    started = site.root / "posts/slow/started"
    deadline = time.monotonic() + 60
    while not started.exists() and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.2)
    assert started.exists(), proc.communicate()[0]
    proc.send_signal(signal.SIGINT)
    out, _ = proc.communicate(timeout=30)
    assert proc.returncode == 130 and "interrupted" in out and "AssertionError" not in out
    assert not (site.root / "_site").exists() and not (site.root / "_frozen").exists()
