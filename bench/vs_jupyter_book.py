"""Benchmark: coursenotes against Jupyter Book 1.x on the same executed posts: cold, no-op, prose edit, code edit.

Usage: .venv/bin/python bench/vs_jupyter_book.py [--posts 20] [--rounds 3] [--venv bench/.venv-jb]

Jupyter Book is installed from PyPI into its own virtualenv (`pip install 'jupyter-book<2' ipykernel`,
once; git-ignored). Both tools get the same posts (prose, then two small code cells each):
coursenotes as .qmd, Jupyter Book as .ipynb with `execute_notebooks: cache`. Every step runs as
a fresh command-line process, the two tools interleaved (cold A, cold B, no-op A, no-op B, ...) so
a busy machine slows both alike; edit steps repeat `--rounds` times and the median is reported.
Targets (coursenotes / Jupyter Book): no-op <= 0.1, prose edit <= 0.2, code edit <= 0.5, cold <= 0.45.
Exit status 1 when a build fails or a target is missed.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
TARGETS = {"cold": 0.45, "no-op": 0.1, "prose edit": 0.2, "code edit": 0.5}


def cells(i: int, version: int = 0) -> list[tuple[str, str]]:
    """One post's cells as (kind, source): prose, code, prose, code."""
    return [
        ("markdown", f"## Post {i}\n\nA paragraph of prose about post {i}, revision {version}."),
        ("code", f"squares = [n * n for n in range({i + 3})]\nprint(sum(squares))"),
        ("markdown", "More prose after the first cell."),
        ("code", f"{{'post': {i}, 'max': max(squares)}}"),
    ]


def qmd(i: int, parts: list[tuple[str, str]]) -> str:
    """A coursenotes post."""
    body = "\n\n".join(f"```{{python}}\n{src}\n```" if kind == "code" else src for kind, src in parts)
    return f"---\ntitle: Post {i}\ndate: 2024-01-{i % 28 + 1:02d}\ntags: [bench]\n---\n\n{body}\n"


def ipynb(i: int, parts: list[tuple[str, str]]) -> str:
    """A Jupyter Book page: the same cells in a notebook, titled by its first heading."""
    nb_cells = [{"cell_type": "markdown", "metadata": {}, "source": f"# Post {i}"}]
    for kind, src in parts:
        cell = {"cell_type": kind, "metadata": {}, "source": src}
        if kind == "code":
            cell.update(outputs=[], execution_count=None)
        nb_cells.append(cell)
    meta = {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}}
    return json.dumps({"nbformat": 4, "nbformat_minor": 5, "metadata": meta, "cells": nb_cells})


def make_sites(base: Path, posts: int) -> tuple[Path, Path]:
    """(coursenotes site, Jupyter Book) with the same posts."""
    cn, jb = base / "coursenotes", base / "jupyter-book"
    (cn / "posts").mkdir(parents=True)
    (cn / "_quarto.yml").write_text("project:\n  type: website\nwebsite:\n  title: Bench\n")
    (cn / "_extensions").symlink_to(REPO / "_extensions")
    jb.mkdir()
    (jb / "_config.yml").write_text(
        "title: Bench\nauthor: bench\nexecute:\n  execute_notebooks: cache\n  timeout: 120\n"
        "only_build_toc_files: true\nsphinx:\n  config:\n    html_theme_options: {}\n"
    )
    (jb / "intro.md").write_text("# Bench\n\nThe same posts as the coursenotes site.\n")
    toc = "format: jb-book\nroot: intro\nchapters:\n" + "".join(f"- file: post-{i}\n" for i in range(posts))
    (jb / "_toc.yml").write_text(toc)
    for i in range(posts):
        write_post(cn, jb, i, cells(i))
    return cn, jb


def write_post(cn: Path, jb: Path, i: int, parts: list[tuple[str, str]]) -> None:
    """Post i in both sites."""
    (cn / "posts" / f"2024-01-{i % 28 + 1:02d}-post-{i}.qmd").write_text(qmd(i, parts))
    (jb / f"post-{i}.ipynb").write_text(ipynb(i, parts))


def ensure_jupyter_book(venv: Path) -> Path:
    """The jupyter-book command in its own virtualenv, installed from PyPI the first time."""
    command = venv / "bin" / "jupyter-book"
    if not command.exists():
        print(f"installing Jupyter Book 1.x into {venv} ...", flush=True)
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet"]
        subprocess.run([*pip, "jupyter-book<2", "ipykernel"], check=True)
    return command


def timed(args: list[str], cwd: Path, env: dict) -> float:
    """Seconds one build command takes; exits when it fails."""
    start = time.perf_counter()
    proc = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"{' '.join(args[:3])} failed:\n{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}")
    return seconds


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--posts", type=int, default=20)
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--venv", type=Path, default=REPO / "bench" / ".venv-jb")
    args = p.parse_args()
    jupyter_book = ensure_jupyter_book(args.venv)
    cn_env = {**os.environ, "PYTHONPATH": str(REPO / "lib")}
    jb_env = {**os.environ, "PATH": f"{args.venv / 'bin'}:{os.environ.get('PATH', '')}"}
    times: dict[str, dict[str, list[float]]] = {step: {"coursenotes": [], "jupyter-book": []} for step in TARGETS}
    with tempfile.TemporaryDirectory() as tmp:
        cn, jb = make_sites(Path(tmp), args.posts)
        builds = {
            "coursenotes": lambda: timed([sys.executable, "-m", "coursenotes", "build"], cn, cn_env),
            "jupyter-book": lambda: timed([str(jupyter_book), "build", "--quiet", "."], jb, jb_env),
        }

        def step(name: str) -> None:
            for tool, run in builds.items():
                times[name][tool].append(run())

        step("cold")
        for r in range(args.rounds):
            step("no-op")
            edited = cells(r % args.posts, version=r + 1)
            write_post(cn, jb, r % args.posts, edited)
            step("prose edit")
            code = [(k, s + f"\nprint('edit {r}')" if k == "code" and n == 1 else s) for n, (k, s) in enumerate(edited)]
            write_post(cn, jb, r % args.posts, code)
            step("code edit")
            step("no-op")
    print(f"{args.posts} executed posts, {os.cpu_count()} cores; median seconds (all runs), interleaved in one run")
    print(f"{'step':<11} {'coursenotes':>12} {'Jupyter Book':>13} {'ratio':>6} {'target':>7}")
    ok = True
    for name, target in TARGETS.items():
        ours, theirs = statistics.median(times[name]["coursenotes"]), statistics.median(times[name]["jupyter-book"])
        ratio = ours / theirs
        ok &= ratio <= target
        runs = ", ".join(f"{a:.2f}/{b:.2f}" for a, b in zip(times[name]["coursenotes"], times[name]["jupyter-book"]))
        print(f"{name:<11} {ours:>12.2f} {theirs:>13.2f} {ratio:>6.2f} {target:>7.2f}   ({runs})")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
