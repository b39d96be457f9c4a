"""Pandoc markdown (with outputs) to an HTML fragment, through the shared Lua filters."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from coursenotes.errors import RenderError
from coursenotes.render.pandoc_meta import PandocMeta
from coursenotes.render.warnings import parsed

READER = "markdown+emoji-yaml_metadata_block"  # front matter was already split off
TOC_MARKER = "<!--coursenotes:toc-->"
TEMPLATE = Path(__file__).parent.parent / "templates" / "fragment.html"
CACHE_DIR = Path(".coursenotes-cache") / "pandoc"  # git-ignored; safe to delete at any time


@dataclass(frozen=True)
class Fragment:
    """A post body as HTML, its table of contents (empty when too short to need one), and what pandoc warned about."""

    html: str
    toc: str
    warnings: tuple = ()  # (needle, message) pairs; render_warnings finds their lines


@cache
def pandoc_path() -> str:
    """The pandoc binary pypandoc picks: one on PATH, else the one its wheel ships."""
    import importlib.util
    import shutil

    spec = importlib.util.find_spec("pypandoc")
    shipped = Path(os.path.realpath(Path(spec.origin).parent), "files", "pandoc") if spec and spec.origin else None
    if shutil.which("pandoc") is None and shipped is not None and shipped.is_file():
        return str(shipped)  # what pypandoc would answer, without its 20 ms import (urllib, ssl, email)
    import pypandoc

    return pypandoc.get_pandoc_path()


def filters(root: Path) -> list[Path]:
    """The Lua filters of the site's `_extensions/coursenotes/`, in order."""
    ext = root / "_extensions" / "coursenotes"
    return sorted(ext.glob("*.lua")) if ext.is_dir() else []


def pandoc_env() -> dict[str, str]:
    """The environment for a pandoc run: a 16 MB starting heap unless the user set GHCRTS themselves.

    The binary asks for 64 MB (`-with-rtsopts=-H64m`); zeroing that costs 0.04 s of system time per
    run, a third of each post's pandoc run (the outputs are the same)."""
    return {**os.environ, "GHCRTS": os.environ.get("GHCRTS", "-H16m")}


def pandoc_args(root: Path) -> list[str]:
    """Arguments for one post: our reader, MathML (no CDN), highlighting classes, the filters."""
    args = [
        pandoc_path(),
        "-f",
        READER,
        "-t",
        "html5",
        "--mathml",
        "--wrap=none",
        "--toc",
        "--toc-depth=3",
        f"--template={TEMPLATE}",
        "--syntax-highlighting=pygments",
    ]
    return args + [f"--lua-filter={f}" for f in filters(root)]


def split_toc(output: str, warnings: tuple = ()) -> Fragment:
    """Separate the body from the table of contents our template appends."""
    body, _, toc = output.partition(TOC_MARKER)
    return Fragment(body.strip() + "\n", toc.strip() if toc.count("<li") >= 3 else "", warnings)


NO_META = PandocMeta()


def render_markdown(markdown: str, root: Path, source: Path, meta: PandocMeta = NO_META) -> Fragment:
    """One pandoc run: markdown in, fragment out; a RenderError naming the post on failure."""
    args = pandoc_args(root) + list(meta.args)
    try:
        proc = subprocess.run(
            args, input=markdown.encode(), capture_output=True, cwd=root, timeout=120, env=pandoc_env()
        )
    except subprocess.TimeoutExpired:
        raise RenderError("pandoc took over 120 s", source) from None
    if proc.returncode != 0:
        msg = proc.stderr.decode(errors="replace").strip().splitlines() or [f"pandoc exited {proc.returncode}"]
        raise RenderError(f"pandoc: {msg[0]}", source)
    return split_toc(proc.stdout.decode(), tuple(parsed(proc.stderr.decode(errors="replace"))) + meta.warnings)


def render_key(markdown: str, root: Path, meta: PandocMeta = NO_META) -> str:
    """Hash of everything pandoc's output depends on: arguments, filters, template, input and the files it names."""
    h = hashlib.sha256("\0".join(pandoc_args(root) + list(meta.args) + [m for w in meta.warnings for m in w]).encode())
    for path in [TEMPLATE, Path(pandoc_path()), *filters(root), *meta.files]:
        stat = path.stat()  # the binary by size and time: hashing 200 MB each build is slow
        h.update(
            path.read_bytes()
            if path.suffix in (".lua", ".html") or path in meta.files
            else f"{stat.st_size}:{stat.st_mtime_ns}".encode()
        )
    h.update(markdown.encode())
    return h.hexdigest()


def cached(root: Path, key: str) -> Fragment | None:
    """A fragment rendered earlier from the same input, if any."""
    try:
        data = json.loads((root / CACHE_DIR / f"{key}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("html"), str) or not isinstance(data.get("toc"), str):
        return None  # a damaged entry is a miss: pandoc runs again and the entry is rewritten
    return Fragment(data["html"], data["toc"], tuple(tuple(w) for w in data.get("warnings", ())))


def remember(root: Path, key: str, fragment: Fragment) -> None:
    """Keep a fragment for the next build; a failed write only costs speed."""
    path = root / CACHE_DIR / f"{key}.json"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps({"html": fragment.html, "toc": fragment.toc, "warnings": fragment.warnings}))
        os.replace(tmp, path)  # atomic: a concurrent build never reads half a file
    except OSError:
        pass


def render_all(items: list[tuple], root: Path, jobs: int | None = None) -> list[Fragment | RenderError]:
    """Render (markdown, source[, PandocMeta]) items, cached ones from the cache; errors are returned.

    The rest go to long-lived pandoc processes that render many posts each (batch.py), or
    through one pandoc run each where those cannot reproduce the command line exactly."""
    from coursenotes.render.batch import render_many  # it imports this module

    keys = [render_key(item[0], root, item[2] if len(item) > 2 else NO_META) for item in items]
    results: list[Fragment | RenderError | None] = [cached(root, key) for key in keys]
    misses = [i for i, hit in enumerate(results) if hit is None]
    for i, fragment in zip(misses, render_many([items[i] for i in misses], root, jobs or os.cpu_count() or 2)):
        if isinstance(fragment, Fragment):
            remember(root, keys[i], fragment)
        results[i] = fragment
    return results  # type: ignore[return-value]  # every None was filled
