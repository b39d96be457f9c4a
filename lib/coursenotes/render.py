"""Pandoc markdown (with outputs) to an HTML fragment, through the shared Lua filters."""
from __future__ import annotations

import hashlib
import json
import os
import subprocess
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from coursenotes.errors import RenderError
from coursenotes.htmlopts import metadata_args
from coursenotes.quarto_notes import filter_warnings

kReader = "markdown+emoji-yaml_metadata_block"     # front matter was already split off
kTocMarker = "<!--coursenotes:toc-->"
kTemplate = Path(__file__).parent / "templates" / "fragment.html"
kCacheDir = Path(".coursenotes-cache") / "pandoc"     # git-ignored; safe to delete at any time


@dataclass(frozen=True)
class Fragment:
    """A post body as HTML, its table of contents (empty when too short to need one), and what the filters warned about."""
    html: str
    toc: str
    warnings: tuple[str, ...] = ()


@cache
def pandoc_path() -> str:
    """The pandoc binary shipped by the pypandoc-binary wheel (pandoc is not on PATH)."""
    import pypandoc
    return pypandoc.get_pandoc_path()


def filters(root: Path) -> list[Path]:
    """The Lua filters of the site's `_extensions/coursenotes/`, in order."""
    ext = root / "_extensions" / "coursenotes"
    return sorted(ext.glob("*.lua")) if ext.is_dir() else []


def pandoc_args(root: Path, options: dict | None = None) -> list[str]:
    """Arguments for one post: our reader, MathML (no CDN), highlighting classes, page options as metadata, the filters."""
    args = [pandoc_path(), "-f", kReader, "-t", "html5", "--mathml", "--wrap=none", "--toc", "--toc-depth=3",
            f"--template={kTemplate}", "--syntax-highlighting=pygments", *metadata_args(options or {})]
    return args + [f"--lua-filter={f}" for f in filters(root)]


def split_toc(output: str) -> Fragment:
    """Separate the body from the table of contents our template appends."""
    body, _, toc = output.partition(kTocMarker)
    return Fragment(body.strip() + "\n", toc.strip() if toc.count("<li") >= 3 else "")


def render_markdown(markdown: str, root: Path, source: Path, options: dict | None = None) -> Fragment:
    """One pandoc run: markdown in, fragment out; a RenderError naming the post on failure."""
    try: proc = subprocess.run(pandoc_args(root, options), input=markdown.encode(), capture_output=True, cwd=root, timeout=120)
    except subprocess.TimeoutExpired: raise RenderError("pandoc took over 120 s", source) from None
    if proc.returncode != 0:
        msg = proc.stderr.decode(errors="replace").strip().splitlines() or [f"pandoc exited {proc.returncode}"]
        raise RenderError(f"pandoc: {msg[0]}", source)
    fragment = split_toc(proc.stdout.decode())
    return Fragment(fragment.html, fragment.toc, filter_warnings(proc.stderr.decode(errors="replace")))


def render_key(markdown: str, root: Path, options: dict | None = None) -> str:
    """Hash of everything pandoc's output depends on: its arguments, filters, template and the input."""
    h = hashlib.sha256("\0".join(pandoc_args(root, options)).encode())
    for path in [kTemplate, Path(pandoc_path()), *filters(root)]:
        stat = path.stat()                    # the binary by size and time: hashing 200 MB each build is slow
        h.update(path.read_bytes() if path.suffix in (".lua", ".html") else f"{stat.st_size}:{stat.st_mtime_ns}".encode())
    h.update(markdown.encode())
    return h.hexdigest()


def cached(root: Path, key: str) -> Fragment | None:
    """A fragment rendered earlier from the same input, if any."""
    try: data = json.loads((root / kCacheDir / f"{key}.json").read_text())
    except (OSError, ValueError): return None
    return Fragment(data["html"], data["toc"], tuple(data.get("warnings", ())))


def remember(root: Path, key: str, fragment: Fragment) -> None:
    """Keep a fragment for the next build; a failed write only costs speed."""
    path = root / kCacheDir / f"{key}.json"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps({"html": fragment.html, "toc": fragment.toc, "warnings": list(fragment.warnings)}))
        os.replace(tmp, path)               # atomic: a concurrent build never reads half a file
    except OSError: pass


def render_all(items: list[tuple], root: Path, jobs: int | None = None) -> list[Fragment | RenderError]:
    """Render many (markdown, source[, page options]) posts in parallel (pandoc is a process, so threads suffice); errors are returned, not raised."""
    def one(item):
        markdown, source, options = (*item, None)[:3]
        key = render_key(markdown, root, options)
        hit = cached(root, key)
        if hit: return hit
        try: fragment = render_markdown(markdown, root, source, options)
        except RenderError as e: return e
        remember(root, key, fragment)
        return fragment
    with ThreadPoolExecutor(max_workers=jobs or os.cpu_count() or 2) as pool:
        return list(pool.map(one, items))
