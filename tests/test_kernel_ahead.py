"""Kernels started ahead of their post: used by the run when it runs, shut down when it does not, same results."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from tests.conftest import SiteMaker
from tests.test_build import tree_digest

from coursenotes.build import BuildOptions, build
from coursenotes.cli import main
from coursenotes.execution.cache import ExecutionCache
from coursenotes.execution.kernels import Ahead
from coursenotes.execution.kernels import local as execute

POST = """\
---
title: {title}
date: 2024-01-0{day}
---

Some prose.

```{{python}}
print({code})
```
"""


def post(title: str = "A", day: int = 1, code: str = "2 + 2") -> str:
    """A post with one printing cell."""
    return POST.format(title=title, day=day, code=code)


@pytest.fixture
def started(monkeypatch) -> list:
    """Every NotebookClient whose kernel was started ahead, with its kernel's process."""
    clients, real = [], execute.start_kernel

    def recording(kernel, cwd):
        client = real(kernel, cwd)
        process = getattr(getattr(getattr(client, "km", None), "provisioner", None), "process", None)
        clients.append((client, process))
        return client

    monkeypatch.setattr(execute, "start_kernel", recording)
    return clients


def gone(process) -> bool:
    """Whether a kernel's process has ended (and been reaped)."""
    return process is None or process.poll() is not None


def test_a_code_edit_runs_on_the_kernel_started_before_its_cache_lookup(site, started, monkeypatch):
    site.post("a/index.qmd", post())
    assert build(site.root).ok
    events, lookup, client = [], ExecutionCache.lookup, execute.LocalKernels.client
    monkeypatch.setattr(ExecutionCache, "lookup", lambda self, nb: events.append("lookup") or lookup(self, nb))

    def run_client(self, nb, kernel, cwd, timeout, state, started=None):
        events.append("run on the kernel started ahead" if started is not None else "run on a new kernel")
        return client(self, nb, kernel, cwd, timeout, state, started)

    monkeypatch.setattr(execute.LocalKernels, "client", run_client)
    started.clear()
    site.post("a/index.qmd", post(code="3 + 3"))
    result = build(site.root)
    assert result.ok and [r.status for r in result.report.runs] == ["executed"]
    assert len(started) == 1 and events == ["lookup", "run on the kernel started ahead"]
    assert "6" in site.read("posts/a/index.html") and gone(started[0][1])


def test_a_kernel_started_for_a_post_that_turns_out_cached_is_shut_down(site, started):
    site.post("a/index.qmd", post())
    assert build(site.root).ok
    (site.root / "_frozen/a.json").unlink()  # its code now looks new here, but the cache still has it
    started.clear()
    result = build(site.root)
    assert result.ok and [r.status for r in result.report.runs] == ["cached"]
    assert len(started) == 1 and all(gone(process) for _, process in started)
    assert (site.root / "_frozen/a.json").exists()


def test_each_run_starts_the_next_posts_kernel_and_none_is_left(site, started, monkeypatch):
    for i in range(1, 5):
        site.post(f"p{i}/index.qmd", post(f"P{i}", i, f"{i} * 2"))
    taken = []
    monkeypatch.setattr(Ahead, "take", lambda self, key, take=Ahead.take: taken.append(take(self, key)) or taken[-1])
    result = build(site.root, BuildOptions(jobs=2))
    assert result.ok and [r.status for r in result.report.runs] == ["executed"] * 4
    # Two start while the posts are looked up (one per worker); each run starts one more, while the others run.
    assert 2 < len(started) <= 4 and sum(t is not None for t in taken) > 2
    assert all(gone(process) for _, process in started)
    assert [site.read(f"posts/p{i}/index.html").count(f"<code>{i * 2}</code></pre>") for i in range(1, 5)] == [1] * 4


def test_ctrl_c_before_the_run_shuts_the_started_kernel_down_and_exits_130(site, started, monkeypatch, capsys):
    site.post("a/index.qmd", post())

    def interrupt(self, nb):
        raise KeyboardInterrupt

    monkeypatch.setattr(ExecutionCache, "lookup", interrupt)
    monkeypatch.chdir(site.root)
    assert main(["build"]) == 130
    assert "interrupted" in capsys.readouterr().err
    assert len(started) == 1 and gone(started[0][1]) and not (site.root / "_site").exists()


def broken_kernel(tmp_path: Path, monkeypatch, argv: list[str]) -> None:
    """A kernel `broken` run by `argv` (not a Python kernel: no fingerprint process either)."""
    spec = tmp_path / "jupyter" / "kernels" / "broken"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({"argv": argv, "display_name": "Broken", "language": "r"}))
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "jupyter"))


def errors_of(root: Path, capsys, monkeypatch) -> list[str]:
    """The error lines of a command-line build of `root`."""
    monkeypatch.chdir(root)
    assert main(["build"]) == 1
    return [line for line in capsys.readouterr().err.splitlines() if line.startswith("error:")]


@pytest.mark.parametrize(
    "argv, message",
    [
        (["{tmp}/no-such-kernel", "-f", "{{connection_file}}"], "kernel failed: FileNotFoundError: "),
        ([sys.executable, "-c", "raise SystemExit(3)"], "kernel failed: RuntimeError: Kernel died before replying"),
    ],
    ids=["missing-program", "dies-at-start"],
)
def test_a_kernel_that_cannot_start_fails_its_post_with_the_same_line_as_without_starting_ahead(
    tmp_path, site, monkeypatch, capsys, argv, message
):
    broken_kernel(tmp_path, monkeypatch, [a.format(tmp=tmp_path) for a in argv])
    site.post("a/index.qmd", post().replace("date:", "jupyter: broken\ndate:"))
    other = SiteMaker(tmp_path / "other")
    other.post("a/index.qmd", post().replace("date:", "jupyter: broken\ndate:"))
    ahead = errors_of(site.root, capsys, monkeypatch)
    monkeypatch.setattr(Ahead, "start", lambda self, *args: None)
    assert errors_of(other.root, capsys, monkeypatch) == ahead
    assert len(ahead) == 1 and ahead[0].startswith("error: posts/a/index.qmd:") and message in ahead[0], ahead


def test_starting_kernels_ahead_changes_no_published_byte(tmp_path, monkeypatch):
    sites = [SiteMaker(tmp_path / name) for name in ("ahead", "not-ahead")]
    for maker in sites:
        maker.post("a/index.qmd", post())
        maker.post("b/index.qmd", post("B", 2, "'b' * 3"))
    assert build(sites[0].root).ok
    monkeypatch.setattr(Ahead, "start", lambda self, *args: None)
    assert build(sites[1].root).ok
    # The execution report differs in the seconds each post took, as any two builds' do.
    trees = [{k: v for k, v in tree_digest(m.root / "_site").items() if not k.startswith("execution/")} for m in sites]
    assert trees[0] == trees[1]
    cells = [[json.loads((m.root / f"_frozen/{s}.json").read_text())["cells"] for s in "ab"] for m in sites]
    assert cells[0] == cells[1]
