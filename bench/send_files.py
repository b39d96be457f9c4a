"""Benchmark: what sending a post's files to a gateway kernel costs, against a shared folder.

Usage: .venv/bin/python bench/send_files.py [--posts 4] [--mb 20]
Starts a Jupyter Enterprise Gateway from .venv-eg on 127.0.0.1 (scripts/setup installs it), then
builds `--posts` posts, each beside `--mb` MB of random bytes it reads, twice on fresh copies of
the site: with `files = "shared"` (the kernel reads the folder in place: same machine) and with
`files = "send"` (the folder travels through the kernel's channel). Prints both and the cost per
post and per MB. Loopback only: over a network, add the transfer time of the link.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "lib"))
sys.path.insert(0, str(REPO / "tests"))

from coursenotes.build import BuildOptions, build  # noqa: E402
from enterprise_gateway import EnterpriseGateway  # noqa: E402

POST = '---\ntitle: Reads {i}\n---\n\n```{{python}}\nprint(len(open("data.bin", "rb").read()))\n```\n'


def make_site(root: Path, posts: int, mb: float, url: str, files: str) -> None:
    """A site whose posts each read a data file beside them, run on the one named gateway."""
    (root / "posts").mkdir(parents=True)
    (root / "_quarto.yml").write_text("project:\n  type: website\nwebsite:\n  title: Bench\n")
    (root / "_extensions").symlink_to(REPO / "_extensions")
    table = f'[tool.coursenotes]\ngateway = "eg"\n\n[tool.coursenotes.gateways.eg]\nurl = "{url}"\n'
    (root / "pyproject.toml").write_text(
        table + f'token-env = "EG_TOKEN"\nfiles = "{files}"\nsend-limit-mb = {mb * 2}\n'
    )
    for i in range(posts):
        folder = root / "posts" / f"2024-01-{i + 1:02d}-reads-{i}"
        folder.mkdir()
        (folder / "index.qmd").write_text(POST.format(i=i))
        (folder / "data.bin").write_bytes(os.urandom(int(mb * 1024 * 1024)))


def timed(work: Path, name: str, args, url: str, files: str) -> float:
    """Seconds for one build (jobs 1) of a fresh site."""
    root = work / name
    make_site(root, args.posts, args.mb, url, files)
    start = time.perf_counter()
    result = build(root, BuildOptions(jobs=1, out=root / "_site", search=False))
    seconds = time.perf_counter() - start
    if not result.ok or result.report.counts() != {"executed": args.posts}:
        sys.exit(f"build failed: {result.errors} {result.report.counts()}")
    return seconds


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--posts", type=int, default=4)
    p.add_argument("--mb", type=float, default=20.0)
    args = p.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        eg = EnterpriseGateway(work / "eg")
        os.environ["EG_TOKEN"] = eg.token
        try:
            shared = timed(work, "shared", args, eg.url, "shared")
            sent = timed(work, "send", args, eg.url, "send")
        finally:
            eg.stop()
    extra = (sent - shared) / args.posts
    print(f"{args.posts} posts, each reading {args.mb:g} MB beside it, Enterprise Gateway on 127.0.0.1")
    print(f'files = "shared": {shared:.1f} s')
    print(f'files = "send":   {sent:.1f} s')
    print(f"sending costs {extra:.2f} s per post, {extra / args.mb * 1000:.0f} ms per MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
