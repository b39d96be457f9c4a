"""Benchmark: prose sites of growing size: cold build, no-op, one prose edit, as fresh `coursenotes build` processes.

Usage: .venv/bin/python bench/prose_scale.py [--sizes 250,500,1000,2000] [--no-search]

Each site is bench/build_prose_posts.py's (posts with headings, a table, a code fence and a
diagram, five tags). Targets at 500 posts: no-op <= 0.3 s, one prose edit <= 0.6 s, cold <= 20 s;
the curve should grow linearly (the last column is seconds per 1,000 posts). Diagrams are drawn
without a browser here (COURSENOTES_PRERENDER=0) so the cold figure measures the build, not
Chromium's start. Exit status 1 when a 500-post target is missed.
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
sys.path.insert(0, str(REPO / "bench"))

from build_prose_posts import make_site  # noqa: E402

TARGETS = {"cold": 20.0, "no-op": 0.3, "prose edit": 0.6}


def timed(root: Path, search: bool) -> float:
    """Seconds one `coursenotes build` process takes; exits when it fails."""
    env = {**os.environ, "PYTHONPATH": str(REPO / "lib"), "COURSENOTES_PRERENDER": "0"}
    args = [sys.executable, "-m", "coursenotes", "build", "--root", str(root), *([] if search else ["--no-search"])]
    start = time.perf_counter()
    proc = subprocess.run(args, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"build failed:\n{proc.stderr[-2000:]}")
    return seconds


def measure(n: int, search: bool) -> dict[str, float]:
    """Cold, no-op (best of 3) and one prose edit (best of 3) for an n-post site."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "site"
        make_site(root, n)
        found = {"cold": timed(root, search)}
        found["no-op"] = min(timed(root, search) for _ in range(3))
        post, edits = sorted((root / "posts").glob("*.md"))[n // 2], []
        for i in range(3):
            post.write_text(post.read_text().replace("## Notes", f"## Notes\n\nEdit {i}.", 1))
            edits.append(timed(root, search))
        found["prose edit"] = min(edits)
    return found


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sizes", default="250,500,1000,2000")
    p.add_argument("--no-search", action="store_true", help="build with --no-search (no search page or index)")
    args = p.parse_args()
    search = not args.no_search
    sizes = [int(s) for s in args.sizes.split(",")]
    print(f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}; search {'on' if search else 'off'}")
    print(f"{'posts':>6} {'cold s':>8} {'no-op s':>8} {'edit s':>8} {'cold s/1000 posts':>18}")
    ok = True
    for n in sizes:
        found = measure(n, search)
        print(f"{n:>6} {found['cold']:>8.2f} {found['no-op']:>8.3f} {found['prose edit']:>8.3f} "
              f"{found['cold'] / n * 1000:>18.1f}", flush=True)  # fmt: skip
        if n == 500:
            ok = all(found[k] <= limit for k, limit in TARGETS.items())
    print(f"targets at 500 posts: {', '.join(f'{k} <= {v:g} s' for k, v in TARGETS.items())}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
