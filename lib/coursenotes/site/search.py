"""The search index: pagefind (the binary ships in the `pagefind[extended]` wheel) run over a built tree."""

from __future__ import annotations

import shutil
import subprocess
from functools import cache
from pathlib import Path

from coursenotes.errors import CoursenotesError

BUNDLE = "pagefind"  # folder pagefind writes into the site: index, pagefind-ui.js/css
MISSING = "search disabled: pagefind is not installed (pip install 'pagefind[extended]')"


class SearchError(CoursenotesError):
    """pagefind failed on the built site."""


@cache
def pagefind_binary() -> str | None:
    """The pagefind executable from the wheel (extended first), else one on PATH, else None."""
    for module in ("pagefind_bin_extended", "pagefind_bin"):
        try:
            return str(__import__(module).get_executable())
        except (ImportError, FileNotFoundError):
            continue
    return shutil.which("pagefind_extended") or shutil.which("pagefind")


def available() -> bool:
    """True when the site can have search."""
    return pagefind_binary() is not None


def index(site: Path, into: Path | None = None) -> None:
    """Write the search bundle into `site/pagefind/` (or `into`); only pages with `data-pagefind-body` (posts)
    are indexed."""
    binary = pagefind_binary()
    if binary is None:
        raise SearchError(MISSING)
    output = ["--output-path", str(into)] if into else ["--output-subdir", BUNDLE]
    args = [binary, "--site", str(site), *output, "--quiet"]
    try:
        proc = subprocess.run(args, capture_output=True, timeout=300)
    except subprocess.TimeoutExpired:
        raise SearchError("pagefind took over 300 s", site) from None
    if proc.returncode != 0 or not ((into or site / BUNDLE) / "pagefind.js").is_file():
        lines = (proc.stderr or proc.stdout).decode(errors="replace").strip().splitlines()
        raise SearchError(f"pagefind failed: {lines[-1] if lines else f'exit {proc.returncode}'}", site)
