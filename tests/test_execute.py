"""Executing posts on real ipykernel kernels: cache, prose edits, code edits, frozen builds, failures."""

from __future__ import annotations

import json
import platform
from pathlib import Path

import nbformat
import pytest
from tests.test_build import tree_digest

from coursenotes.build import BuildOptions, build
from coursenotes.cli import main
from coursenotes.execution.cache import ExecutionCache
from coursenotes.execution.kernels import local as execute

A = """\
---
title: A
date: 2024-01-01
---

First version of the prose.

```{python}
print(open("data.txt").read().strip())
```

```{python}
#| eval: false
import os; os._exit(3)
```
"""

B = """\
---
title: B
date: 2024-01-02
---

```{python}
print(2 + 2)
```
"""

C = """\
---
title: C
date: 2024-01-03
jupyter: python3
---

```{python}
print("markdown with a kernel ran")
```
"""

PLAIN = """\
---
title: Plain
date: 2024-01-04
---

A plain .md post never runs its code:

```{python}
import os; os._exit(3)
```
"""


def notebook_post(enabled: bool, code: str) -> str:
    """An .ipynb post with one stored output."""
    front = "---\ntitle: Notebook\n" + ("execute:\n  enabled: true\n" if enabled else "") + "---"
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_raw_cell(front), nbformat.v4.new_code_cell(code)])
    nb.cells[1].outputs = [nbformat.v4.new_output("stream", name="stdout", text="stored output\n")]
    return nbformat.writes(nb)


@pytest.fixture
def kernels(monkeypatch) -> list[str]:
    """The folders of the posts each started kernel ran in (every kernel starts in execute.new_client)."""
    started, real = [], execute.new_client

    def counting(nb, kernel, cwd, timeout):
        started.append(Path(cwd).name)
        return real(nb, kernel, cwd, timeout)

    monkeypatch.setattr(execute, "new_client", counting)
    return started


def statuses(result) -> dict[str, str]:
    """Post folder -> how its outputs came about in this build."""
    return {Path(r.source).parent.name: r.status for r in result.report.runs}


def frozen(site, slug: str) -> str:
    """A post's frozen JSON text."""
    return (site.root / "_frozen" / f"{slug}.json").read_text()


def test_builds_execute_only_what_changed_and_frozen_builds_start_no_kernel(site, kernels, monkeypatch, capsys):
    site.post("a/index.qmd", A)
    (site.root / "posts/a/data.txt").write_text("read from the post's folder\n")
    site.post("b/index.qmd", B)
    site.post("c/index.md", C)
    site.post("plain/index.md", PLAIN)
    site.post("stored/index.ipynb", notebook_post(False, "import os; os._exit(3)"))
    site.post("nb/index.ipynb", notebook_post(True, "print('notebook ran')"))

    first = build(site.root)
    assert first.ok, first.errors
    assert statuses(first) == {"a": "executed", "b": "executed", "c": "executed", "nb": "executed"}
    assert sorted(kernels) == ["a", "b", "c", "nb"]
    assert "read from the post's folder" in frozen(site, "a") and "4\\n" in frozen(site, "b")
    assert "notebook ran" in frozen(site, "nb") and "stored output" not in frozen(site, "nb")
    assert not (site.root / "_frozen/plain.json").exists() and not (site.root / "_frozen/stored.json").exists()
    report = json.loads(site.read("execution/report.json"))
    row = next(r for r in report["posts"] if r["source"] == "posts/a/index.qmd")
    assert row["status"] == "executed" and row["device"] == "cpu" and row["python"] == platform.python_version()
    assert row["kernel"] == "python3" and len(row["cache_key"]) == 32 and row["seconds"] > 0
    assert "posts/b/index.qmd" in site.read("execution/index.html")

    kernels.clear()
    assert statuses(build(site.root)) == dict.fromkeys(["a", "b", "c", "nb"], "cached") and kernels == []

    site.post("a/index.qmd", A.replace("First version of the prose.", "Second version, with\n\nanother paragraph."))
    again = build(site.root)
    assert statuses(again)["a"] == "cached" and kernels == []
    assert "another paragraph" in site.read("posts/a/index.html")

    site.post("b/index.qmd", B.replace("2 + 2", "3 + 3"))
    edited = build(site.root)
    assert statuses(edited) == {"a": "cached", "b": "executed", "c": "cached", "nb": "cached"} and kernels == ["b"]
    assert "6\\n" in frozen(site, "b")

    kernels.clear()
    monkeypatch.chdir(site.root)
    assert main(["build", "--refresh", "posts/c/index.md"]) == 0
    assert kernels == ["c"]
    err = capsys.readouterr().err
    assert (
        "executed  posts/c/index.qmd" not in err
        and "executed  posts/c/index.md" in err
        and "cached    posts/a/index.qmd" in err
    )

    def refuse(*args):
        raise AssertionError("--frozen started a kernel")

    monkeypatch.setattr(execute, "new_client", refuse)
    frozen_build = build(site.root, BuildOptions(frozen=True))
    assert frozen_build.ok and statuses(frozen_build) == dict.fromkeys(["a", "b", "c", "nb"], "frozen")
    assert "another paragraph" in site.read("posts/a/index.html")

    before = tree_digest(site.root / "_site")
    site.post("c/index.md", C.replace("ran", "ran again"))
    assert main(["build", "--frozen"]) == 1
    err = capsys.readouterr().err
    assert (
        "error: posts/c/index.md: code changed since it was frozen; "
        "run `coursenotes build --refresh c` where its kernel is available"
    ) in err
    assert "posts/a" not in err.split("error:", 1)[1] and tree_digest(site.root / "_site") == before


ZERO = """\
---
title: Zero
date: 2024-01-01
---

```{python}
x = 1
```

```{python}
x / 0
```
"""

SLOW = """\
---
title: Slow
date: 2024-01-01
execute:
  timeout: 1
---

```{python}
import time
time.sleep(30)
```
"""

DIES = """\
---
title: Dies
date: 2024-01-01
---

```{python}
import os
os._exit(1)
```
"""

TOLERANT = """\
---
title: Tolerant
date: 2024-01-01
---

```{python}
#| error: true
1 / 0
```

```{python}
print("still ran")
```
"""


def test_failures_name_post_line_and_cell_and_nothing_failed_is_kept(site, kernels, monkeypatch, capsys):
    site.post("ok.md", "---\ntitle: Ok\ndate: 2024-01-01\n---\n\nProse.\n")
    assert build(site.root).ok
    before = tree_digest(site.root / "_site")
    for slug, text in (("zero", ZERO), ("slow", SLOW), ("dies", DIES), ("tolerant", TOLERANT)):
        site.post(f"{slug}/index.qmd", text)
    monkeypatch.chdir(site.root)
    assert main(["build"]) == 1
    err = capsys.readouterr().err
    assert "error: posts/zero/index.qmd:10: cell 2: ZeroDivisionError: division by zero" in err
    assert "error: posts/slow/index.qmd:8: cell 1: timed out after 1 s" in err
    assert "error: posts/dies/index.qmd:6: cell 1: kernel died (exit 1)" in err
    assert "error: posts/tolerant" not in err and "executed  posts/tolerant/index.qmd" in err
    assert "Traceback" not in err and tree_digest(site.root / "_site") == before
    assert sorted(p.name for p in (site.root / "_frozen").iterdir()) == ["tolerant.json"]
    assert [r.uri for r in ExecutionCache(site.root).db.list_cache_records()] == ["posts/tolerant/index.qmd"]
    assert "ZeroDivisionError" in frozen(site, "tolerant") and "still ran" in frozen(site, "tolerant")

    for slug in ("zero", "slow", "dies"):
        (site.root / f"posts/{slug}/index.qmd").unlink()
    kernels.clear()
    result = build(site.root)
    assert result.ok and statuses(result) == {"tolerant": "cached"} and kernels == []
    page = site.read("posts/tolerant/index.html")
    assert "ZeroDivisionError" in page and "still ran" in page


FIVE = """\
---
title: Five kinds of output
date: 2024-01-01
---

```{python}
print("printed to stdout")
```

```{python}
import warnings
warnings.warn("careful with that")
```

```{python}
import matplotlib.pyplot as plt
plt.plot([1, 3, 2])
plt.show()
```

```{python}
import pandas as pd
pd.DataFrame({"digit": [0, 1], "count": [178, 182]})
```

```{python}
from IPython.display import Markdown
Markdown("Some **bold** words")
```
"""


def test_one_post_shows_print_warning_figure_dataframe_and_markdown(site):
    site.post("five/index.qmd", FIVE)
    result = build(site.root)
    assert result.ok, result.errors
    page = site.read("posts/five/index.html")
    assert "printed to stdout" in page
    assert "careful with that" in page and "UserWarning" in page
    images = [p for p in (site.root / "_site/posts/five").iterdir() if p.suffix == ".png"]
    assert len(images) == 1 and f'src="{images[0].name}"' in page and images[0].read_bytes()[:4] == b"\x89PNG"
    assert "<table" in page and "<th>digit</th>" in page.replace(' style="text-align: right;"', "") and "182" in page
    assert "<strong>bold</strong>" in page
    assert len(list((site.root / "_frozen/five").iterdir())) == 1  # the figure, as a file beside the JSON
