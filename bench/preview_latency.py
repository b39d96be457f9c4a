"""Benchmark: from saving a prose edit to seeing it in the page `coursenotes preview` has open (target <= 0.3 s).

Usage: .venv/bin/python bench/preview_latency.py [--posts 100] [--rounds 5]

Starts the preview server in this process on a site of prose posts, opens one post in headless
Debian Chromium (Playwright, nothing downloaded), then saves an edit to that post `--rounds`
times and measures, each time, how long until the new sentence is in the open page (the page
long-polls the server, which answers when the rebuild is published, and the page reloads).
Exit status 1 when the median is over 0.3 s.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "lib"))
sys.path.insert(0, str(REPO / "bench"))

from build_prose_posts import make_site  # noqa: E402
from coursenotes.authoring.preview import preview  # noqa: E402

LIMIT = 0.3
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]


def shown(page, text: str, timeout: float = 10.0) -> float:
    """Seconds until `text` is in the page's body (across the reload)."""
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        try:
            if page.evaluate("t => document.body && document.body.innerText.includes(t)", text):
                return time.perf_counter() - start
        except Exception:  # the page is reloading: its old document is gone
            pass
        time.sleep(0.02)
    raise SystemExit(f"{text!r} never showed up")


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--posts", type=int, default=100)
    p.add_argument("--rounds", type=int, default=5)
    args = p.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "site"
        make_site(root, args.posts)
        post = sorted((root / "posts").glob("*.md"))[len(list((root / "posts").glob("*.md"))) // 2]
        stop, ready, lines = threading.Event(), threading.Event(), []
        urls: list[str] = []
        server = threading.Thread(
            target=preview,
            args=(root, 0, Path(tmp) / "out", stop),
            kwargs={"say": lines.append, "ready": lambda url: (urls.append(url), ready.set())},
            daemon=True,
        )
        server.start()
        if not ready.wait(300):
            sys.exit("the preview did not start:\n" + "\n".join(lines))
        slug = post.stem.split("-", 3)[-1]
        times = []
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            page = browser.new_page()
            page.goto(f"{urls[0]}posts/{slug}/")
            time.sleep(1)
            for n in range(args.rounds):
                text = f"Saved edit number {n}."
                post.write_text(post.read_text().replace("## Notes", f"## Notes\n\n{text}", 1))
                times.append(shown(page, text))
                time.sleep(0.5)
            browser.close()
        stop.set()
        post.write_text(post.read_text() + "\n")  # wake the watcher so it sees the stop
        server.join(10)
    builds = [line for line in lines if line.startswith("built")]
    median = statistics.median(times)
    print(f"save -> visible in the open page, {args.posts} posts: median {median:.3f} s "
          f"({', '.join(f'{t:.3f}' for t in times)}); limit {LIMIT} s")  # fmt: skip
    print("preview said: " + " | ".join(builds[-args.rounds :]))
    return 0 if median <= LIMIT else 1


if __name__ == "__main__":
    sys.exit(main())
