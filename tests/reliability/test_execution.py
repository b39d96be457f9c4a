"""Running code: cell timeouts (a default one too), output caps, damaged caches, gateway URLs with credentials."""

from __future__ import annotations

import json
import shutil

from coursenotes.execution import runner
from coursenotes.render.pandoc import CACHE_DIR
from coursenotes.settings import DEFAULT_TIMEOUT


def code_post(project, code: str, extra: str = "", name: str = "2024-05-05-code") -> None:
    """A .qmd post with one Python cell."""
    project.post(f"{name}/index.qmd", f"---\ntitle: Code\n{extra}---\n\n```{{python}}\n{code}\n```\n")


def test_default_cell_timeout_stops_an_endless_loop(project, capsys, monkeypatch):
    assert DEFAULT_TIMEOUT == 600
    monkeypatch.setattr(runner, "DEFAULT_TIMEOUT", 2)  # the real default, shortened for the test
    code_post(project, "while True:\n    pass")
    project.refused("build", message="index.qmd:5: cell 1: timed out after 2 s", capsys=capsys)


def test_execute_timeout_from_front_matter(project, capsys):
    code_post(project, "import time\ntime.sleep(30)", extra="execute:\n  timeout: 1\n")
    project.refused("build", message="cell 1: timed out after 1 s", capsys=capsys)


def test_cell_printing_megabytes_is_capped_everywhere(project, capsys):
    code_post(project, "print('x' * 3_000_000)")
    project.built(capsys=capsys)
    page = project.site_text("posts/code/index.html")
    assert "[output truncated: 2.0 MB more not shown (limit 1.0 MB per cell)]" in page and len(page) < 1_200_000
    frozen = (project.root / "_frozen" / "code.json").read_text()
    assert len(frozen) < 1_100_000 and "output truncated" in frozen
    assert len(project.site_text("index.xml")) < 300_000


def test_truncated_jupyter_cache_is_rebuilt_with_a_warning(project, capsys):
    code_post(project, "1 + 1")
    project.built(capsys=capsys)
    db = project.root / ".jupyter_cache" / "global.db"
    db.write_bytes(db.read_bytes()[:1000])
    code_post(project, "2 + 2")  # a code edit: the build has to look in the cache
    result = project.built(capsys=capsys)
    assert "note: .jupyter_cache/ was unreadable (database disk image is malformed)" in result.err
    assert "executed  posts/2024-05-05-code/index.qmd" in result.err  # the post ran again
    assert "cell-output" in project.site_text("posts/code/index.html")
    shutil.rmtree(project.root / ".coursenotes-cache")  # forget the incremental memo: ask the execution cache
    assert project.built(capsys=capsys).err.count("cached") == 1  # the rebuilt cache works


def test_jupyter_cache_that_is_not_a_database(project, capsys):
    code_post(project, "1 + 1")
    (project.root / ".jupyter_cache").mkdir()
    (project.root / ".jupyter_cache" / "global.db").write_bytes(b"not a database at all" * 100)
    result = project.built(capsys=capsys)
    assert "was unreadable" in result.err


def test_corrupt_render_cache_entries_are_misses(project, capsys):
    project.built(capsys=capsys)
    entries = list((project.root / CACHE_DIR).glob("*.json"))
    assert entries
    for i, entry in enumerate(entries):
        entry.write_text(["[]", "{not json", json.dumps({"html": 3, "toc": None}), ""][i % 4])
    project.built(capsys=capsys)
    assert "Fine words." in project.site_text("posts/good/index.html")


def test_gateway_credentials_never_printed_on_a_connection_failure(project, capsys):
    code_post(project, "1 + 1")
    result = project.refused("build", "--gateway-url", "http://alice:s3cret@127.0.0.1:9", message="index.qmd",
                             capsys=capsys)  # fmt: skip
    assert "s3cret" not in result.err and "alice" not in result.err


def test_failing_cell_names_its_line(project, capsys):
    code_post(project, "1 / 0")
    project.refused("build", message="index.qmd:5: cell 1: ZeroDivisionError: division by zero", capsys=capsys)
