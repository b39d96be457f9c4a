"""Benchmark: `--jobs 2` against `--jobs 1` on 6 posts whose one cell sleeps 2 s; the ratio must be <= 0.75.

Usage: .venv/bin/python bench/jobs_parallel.py [--posts 6] [--sleep 2] [--jobs 2] [--limit 0.75]
                                              [--gateway-url URL --gateway-token TOKEN | --enterprise-gateway]
`--enterprise-gateway` starts a Jupyter Enterprise Gateway from .venv-eg on 127.0.0.1 for the run
(scripts/setup installs it), as the tests do. Each build gets a fresh copy of the site, so nothing
is cached. Exit status 1 when the ratio is over the limit.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "lib"))

from coursenotes.build import BuildOptions, build  # noqa: E402

LIMIT = 0.75


def make_site(root: Path, posts: int, sleep: float) -> None:
    """A site of `posts` .qmd posts, each with one cell that sleeps."""
    (root / "posts").mkdir(parents=True)
    (root / "_quarto.yml").write_text("project:\n  type: website\nwebsite:\n  title: Bench\n")
    (root / "_extensions").symlink_to(REPO / "_extensions")
    if (REPO / "node_modules").exists():
        (root / "node_modules").symlink_to(REPO / "node_modules")
    for i in range(posts):
        (root / "posts" / f"2024-01-{i + 1:02d}-sleep-{i}.qmd").write_text(
            f"---\ntitle: Sleep {i}\n---\n\n```{{python}}\nimport time\ntime.sleep({sleep})\nprint({i})\n```\n"
        )


def timed_build(work: Path, name: str, args, jobs: int) -> float:
    """Seconds for one build of a fresh copy of the site."""
    root = work / name
    make_site(root, args.posts, args.sleep)
    start = time.perf_counter()
    options = BuildOptions(
        jobs=jobs,
        out=root / "_site",
        search=False,  # time execution, not indexing
        gateway_url=args.gateway_url,
        gateway_token=args.gateway_token,
    )
    result = build(root, options)
    seconds = time.perf_counter() - start
    if not result.ok:
        sys.exit("build failed:\n" + "\n".join(map(str, result.errors)))
    if result.report.counts() != {"executed": args.posts}:
        sys.exit(f"expected every post executed: {result.report.counts()}")
    return seconds


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--posts", type=int, default=6)
    p.add_argument("--sleep", type=float, default=2.0)
    p.add_argument("--jobs", type=int, default=2)
    p.add_argument("--gateway-url")
    p.add_argument("--gateway-token")
    p.add_argument("--enterprise-gateway", action="store_true", help="start one on 127.0.0.1 for the run")
    p.add_argument("--limit", type=float, default=LIMIT)
    args = p.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work, eg = Path(tmp), None
        if args.enterprise_gateway:
            sys.path.insert(0, str(REPO / "tests"))
            from enterprise_gateway import EnterpriseGateway

            eg = EnterpriseGateway(work / "eg")
            args.gateway_url, args.gateway_token = eg.url, eg.token
        try:
            serial = timed_build(work, "serial", args, 1)
            parallel = timed_build(work, "parallel", args, args.jobs)
        finally:
            if eg:
                eg.stop()
        shutil.rmtree(work, ignore_errors=True)
    ratio = parallel / serial
    kind = "Enterprise Gateway" if eg else "gateway"
    where = f"{kind} {args.gateway_url}" if args.gateway_url else "local kernels"
    print(f"{args.posts} posts x {args.sleep:g} s sleep on {where}, {os.cpu_count()} cores")
    print(f"--jobs 1: {serial:.1f} s")
    print(f"--jobs {args.jobs}: {parallel:.1f} s")
    print(f"ratio: {ratio:.2f} (limit {args.limit})")
    return 0 if ratio <= args.limit else 1


if __name__ == "__main__":
    sys.exit(main())
