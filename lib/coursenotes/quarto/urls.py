"""After `quarto render`: give each post our URL, /posts/<slug>/, and fix every link to it.

Quarto writes `posts/2024-09-21-fastai-lesson-1/index.qmd` to `posts/2024-09-21-fastai-lesson-1/index.html`
and `posts/2024-07-01-welcome.md` to `posts/2024-07-01-welcome.html`; our build drops the date prefix and
gives every post a folder. A post-render script (https://quarto.org/docs/projects/scripts.html#pre-and-post-render)
runs after Quarto has written every page, feed, sitemap and search index, so moving the outputs then and
rewriting the links in those files gives the same URLs as `coursenotes build`. Planning is pure; `apply`
does the file work. See docs/quarto.md.
"""

from __future__ import annotations

import json
import os
import posixpath
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from coursenotes.sources import Post
from coursenotes.urls import has_scheme, page_folder

ATTR = re.compile(r"""(\s(?:href|src|poster|data|action)=)(["'])(.*?)\2""", re.S)
CONTENT_ATTR = re.compile(r"""(\scontent=)(["'])(.*?)\2""", re.S)
OFFSET = re.compile(r"""(<meta\s+name=["']quarto:offset["']\s+content=["'])([^"']*)(["'])""")
JSON_URL_KEYS = {"href", "objectID", "listing", "path", "url", "items"}
TEXT = (".html", ".xml", ".json")


@dataclass(frozen=True)
class Move:
    """One post's output: where Quarto put it and the folder our build gives it, as paths under the output folder."""

    source: str  # posts/<name> (a folder post) or posts/<stem>.html (a single-file post's page)
    home: str  # posts/<slug>
    files: str | None = None  # posts/<stem>_files: a single-file post's figures, moved into its new folder
    draft: bool = False

    @property
    def folder(self) -> bool:
        return self.files is None

    @property
    def target(self) -> str:
        return self.home if self.folder else self.home + "/index.html"

    def parts(self) -> list[tuple[str, str]]:
        """(from, to) for each thing that moves."""
        if self.files is None:
            return [(self.source, self.home)]
        return [(self.source, self.target), (self.files, posixpath.join(self.home, posixpath.basename(self.files)))]


def quarto_folder(post: Post) -> str:
    """Where Quarto writes the post's source folder: `posts/...` as under the project (the last `posts` on its path)."""
    parts = post.source.parent.parts
    at = len(parts) - 1 - parts[::-1].index("posts") if "posts" in parts else len(parts) - 1
    return "/".join(parts[at:])


def plan(posts: list[Post]) -> list[Move]:
    """The moves that give every post our URL; a folder post already at its URL stays put."""
    moves = []
    for post in posts:
        home = page_folder(post.url)  # posts/<slug>, or posts/<path> with `coursenotes: {urls: path}`
        if post.folder is not None:
            if quarto_folder(post) != home or post.draft:
                moves.append(Move(quarto_folder(post), home, None, post.draft))
        else:
            stem = f"{quarto_folder(post)}/{post.source.stem}"
            moves.append(Move(f"{stem}.html", home, f"{stem}_files", post.draft))
    return moves


def map_path(path: str, moves: list[Move]) -> str:
    """A site path (no leading slash) after the moves."""
    for m in moves:
        if m.folder:
            if path == m.source or path.startswith(m.source + "/"):
                return m.target + path[len(m.source) :]
        elif path == m.source:
            return m.target
        elif m.files and (path == m.files or path.startswith(m.files + "/")):
            return posixpath.join(m.home, posixpath.basename(m.files)) + path[len(m.files) :]
    return path


def split_url(url: str) -> tuple[str, str]:
    """(path, `?query#fragment`)."""
    cut = min([i for i in (url.find("?"), url.find("#")) if i >= 0], default=len(url))
    return url[:cut], url[cut:]


def fix_url(url: str, old_dir: str, new_dir: str, moves: list[Move], site_url: str = "") -> str:
    """A URL found in a page that was in `old_dir` and is now in `new_dir` (site paths), after the moves."""
    if site_url and url.startswith(site_url):
        path, rest = split_url(url[len(site_url) :])
        return site_url + map_path(path, moves) + rest
    path, rest = split_url(url)
    if not path or has_scheme(url):
        return url
    if path.startswith("/"):
        return "/" + map_path(path[1:], moves) + rest
    resolved = posixpath.normpath(posixpath.join(old_dir, path))
    if resolved == ".." or resolved.startswith("../"):
        return url  # outside the site: not ours
    resolved = "" if resolved == "." else resolved
    mapped = map_path(resolved, moves)
    if mapped == resolved and old_dir == new_dir:
        return url
    rel = posixpath.relpath(mapped or ".", new_dir or ".")
    if rel == ".":
        return "./" + rest
    return rel + ("/" if path.endswith("/") else "") + rest


def fix_html(text: str, old_dir: str, new_dir: str, moves: list[Move], site_url: str) -> str:
    """Links in a page's attributes; Quarto's `quarto:offset` (the way back to the site root) when it moved."""
    fix = lambda m: m.group(1) + m.group(2) + fix_url(m.group(3), old_dir, new_dir, moves, site_url) + m.group(2)
    text = ATTR.sub(fix, text)
    if site_url:
        text = CONTENT_ATTR.sub(lambda m: fix(m) if m.group(3).startswith(site_url) else m.group(0), text)
    if old_dir != new_dir:
        offset = "../" * len([p for p in new_dir.split("/") if p])
        text = OFFSET.sub(lambda m: m.group(1) + (offset or "./") + m.group(3), text)
    return text


def fix_xml(text: str, moves: list[Move], site_url: str) -> str:
    """Feeds and the sitemap use absolute URLs only (Quarto makes feed content absolute too)."""
    if not site_url:
        return text
    return re.sub(re.escape(site_url) + r"""[^\s"'<>]*""", lambda m: fix_url(m.group(0), "", "", moves, site_url), text)


def fix_json(text: str, moves: list[Move], site_url: str) -> str:
    """search.json and listings.json: their `href`/`objectID`/`items` values are site paths."""

    def walk(value, key=None):
        if isinstance(value, dict):
            return {k: walk(v, k) for k, v in value.items()}
        if isinstance(value, list):
            return [walk(v, key) for v in value]
        if isinstance(value, str) and key in JSON_URL_KEYS:
            return fix_url(value, "", "", moves, site_url)
        return value

    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        return text
    fixed = walk(data)
    return text if fixed == data else json.dumps(fixed, ensure_ascii=False)


def fix_file(rel: str, text: str, moves: list[Move], site_url: str) -> str:
    """One output file's text with its links fixed, given its path under the output folder."""
    if rel.endswith(".html"):
        return fix_html(text, posixpath.dirname(rel), posixpath.dirname(map_path(rel, moves)), moves, site_url)
    if rel.endswith(".xml"):
        return fix_xml(text, moves, site_url)
    return fix_json(text, moves, site_url)


def remove(path: Path) -> None:
    """Delete a file or folder if it is there."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    elif path.exists() or path.is_symlink():
        path.unlink()


def apply(out: Path, moves: list[Move], site_url: str = "", drop_drafts: bool = True) -> list[str]:
    """Rewrite links in every page, feed and index under `out`, then move (or, for drafts, delete) the posts."""
    out = Path(out)
    site_url = site_url.rstrip("/") + "/" if site_url else ""
    live = [m for m in moves if not (m.draft and drop_drafts)]
    for path in sorted(p for p in out.rglob("*") if p.suffix in TEXT and p.is_file()):
        rel = path.relative_to(out).as_posix()
        text = path.read_text(encoding="utf-8", errors="surrogateescape")
        fixed = fix_file(rel, text, live, site_url)
        if fixed != text:
            path.write_text(fixed, encoding="utf-8", errors="surrogateescape")
    for m in moves:
        if m.draft and drop_drafts:
            for p in (m.source, m.files):
                if p:
                    remove(out / p)
    # Two steps through temporary names, so a post's new place never collides with another's old one.
    staged = []
    for i, m in enumerate(live):
        pairs: list[tuple[Path, str]] = []
        for src, target in m.parts():
            if not (out / src).exists():
                continue
            tmp = out / "posts" / f".coursenotes-move-{os.getpid()}-{i}-{len(pairs)}"
            os.rename(out / src, tmp)
            pairs.append((tmp, target))
        staged.append((m, pairs))
    for m, pairs in staged:
        if pairs:
            remove(out / m.home)  # a previous render's copy of this post
        for tmp, target in pairs:
            (out / target).parent.mkdir(parents=True, exist_ok=True)
            os.rename(tmp, out / target)
    return [m.target for m in live]
