"""Benchmark: build 20 executed posts once, then time a no-op rebuild, which must start no kernel and take < 1 s.

Usage: .venv/bin/python bench/noop_rebuild.py [--posts 20] [--freeze auto]

Times the rebuild three times with `build()` in this process (the best is the figure the limit
applies to; the machine is shared, so all three are printed), then once as a fresh
`coursenotes build` process (adds Python start-up and imports). Exit status 1 when a rebuild
starts a kernel or executes anything, or the best one takes 1 s or more.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "lib"))

from coursenotes.build import build  # noqa: E402
from coursenotes.execution.kernels import local as execute  # noqa: E402

LIMIT = 1.0


def make_site(root: Path, posts: int, freeze: str) -> None:
    """A site of `posts` .qmd posts, each with prose and two small code cells."""
    (root / "posts").mkdir(parents=True)
    execute_opts = f"execute:\n  freeze: {freeze}\n" if freeze else ""
    (root / "_quarto.yml").write_text(f"project:\n  type: website\nwebsite:\n  title: Bench\n{execute_opts}")
    (root / "_extensions").symlink_to(REPO / "_extensions")
    if (REPO / "node_modules").exists():
        (root / "node_modules").symlink_to(REPO / "node_modules")
    for i in range(posts):
        (root / "posts" / f"2024-01-{i % 28 + 1:02d}-post-{i}.qmd").write_text(
            f"---\ntitle: Post {i}\ntags: [bench]\n---\n\nA paragraph of prose about post {i}.\n\n"
            f"```{{python}}\nsquares = [n * n for n in range({i + 3})]\nprint(sum(squares))\n```\n\n"
            f"More prose.\n\n```{{python}}\n{{'post': {i}, 'max': max(squares)}}\n```\n"
        )


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--posts", type=int, default=20)
    p.add_argument("--freeze", default="", help="site-wide `execute: freeze` (default: unset, i.e. the cache decides)")
    args = p.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "site"
        make_site(root, args.posts, args.freeze)
        start = time.perf_counter()
        first = build(root)
        if not first.ok:
            sys.exit("first build failed:\n" + "\n".join(map(str, first.errors)))
        print(f"first build: {first.report.summary()} in {time.perf_counter() - start:.1f} s")

        started = []
        real = execute.new_client
        execute.new_client = lambda *a: started.append(a) or real(*a)
        times, runs = [], []
        for _ in range(3):
            start = time.perf_counter()
            runs.append(build(root))
            times.append(time.perf_counter() - start)
        execute.new_client = real
        again, seconds = runs[-1], min(times)
        cli_start = time.perf_counter()
        proc = subprocess.run(
            [sys.executable, "-m", "coursenotes", "build", "--root", str(root)],
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONPATH": str(REPO / "lib")},
        )
        cli = time.perf_counter() - cli_start
    print(
        f"no-op rebuild of {args.posts} executed posts: {seconds:.2f} s in-process, best of "
        f"{', '.join(f'{t:.2f}' for t in times)} ({again.report.summary()}, {len(started)} kernel(s) started; "
        f"limit {LIMIT:g} s)"
    )
    print(f"same rebuild as a fresh `coursenotes build` process: {cli:.2f} s (exit {proc.returncode})")
    ok = all(r.ok and not r.report.counts().get("executed") for r in runs) and not started and seconds < LIMIT
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
