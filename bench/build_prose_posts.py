"""Benchmark: build a site of N prose posts (default 100) and report seconds and pandoc processes.

Usage: .venv/bin/python bench/build_prose_posts.py [N]
"""

from __future__ import annotations

import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from unittest import mock

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "lib"))

from coursenotes import render  # noqa: E402
from coursenotes.build import build  # noqa: E402

WORDS = ["model", "data", "learner", "batch", "epoch", "loss", "weights", "gradient", "layer"]
WORDS += ["image", "label", "tensor", "metric", "the", "a", "of", "to", "and"]


def prose(rng: random.Random, paragraphs: int) -> str:
    """Paragraphs of filler text with a heading, a table, a code fence and a diagram."""
    parts = [
        "## Notes",
        *(" ".join(rng.choices(WORDS, k=120)) + "." for _ in range(paragraphs)),
        "| a | b |\n|---|---|\n| 1 | 2 |",
        "```python\nprint('hello')\n```",
        "```mermaid\nflowchart LR\n  A --> B\n```",
    ]
    return "\n\n".join(parts)


def make_site(root: Path, n: int) -> None:
    """A site with n posts across a handful of tags."""
    rng = random.Random(0)
    (root / "posts").mkdir(parents=True)
    shutil.copy(REPO / "_quarto.yml", root / "_quarto.yml")
    (root / "_extensions").symlink_to(REPO / "_extensions")
    (root / "node_modules").symlink_to(REPO / "node_modules")
    for i in range(n):
        tags = rng.sample(["python", "fast.ai", "courses", "math", "notes"], 2)
        (root / "posts" / f"2024-01-{1 + i % 28:02d}-post-{i}.md").write_text(
            f"---\ntitle: Post {i}\ntags: {tags}\ndescription: Number {i}\n---\n\n{prose(rng, 8)}\n"
        )


def main(n: int) -> None:
    """Build once (timed) and count pandoc processes: one-post runs and long-lived drivers (render/server.py)."""
    calls, binary = [], render.pandoc_path()  # found before Popen is counted: finding it runs pandoc

    class CountingPopen(subprocess.Popen):
        def __init__(self, args, *a, **kw):
            if args and args[0] == binary:
                calls.append("driver" if args[1:2] == ["lua"] else "run")
            super().__init__(args, *a, **kw)

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        make_site(root, n)
        with mock.patch("subprocess.Popen", CountingPopen):
            start = time.perf_counter()
            result = build(root)
            seconds = time.perf_counter() - start
        assert result.ok, result.errors
    runs, drivers = calls.count("run"), calls.count("driver")
    print(
        f"{n} prose posts built in {seconds:.2f} s on {os.cpu_count()} cores "
        f"({seconds / n * 1000:.0f} ms a post); pandoc processes: {runs} runs, {drivers} drivers"
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100)
