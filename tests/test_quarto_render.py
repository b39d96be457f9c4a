"""`quarto render` against `coursenotes build` on a copy of this repo's site: the same post URLs, titles,
tag sets and output images. Needs the Quarto CLI (not installable from PyPI), so it skips without it;
the helpers that read both sites are tested on our own build always."""

import html
import os
import re
import shutil
import struct
import subprocess
import sys
from pathlib import Path

import pytest
from tests.conftest import REPO, simple_post

from coursenotes.build import BuildOptions, build

QUARTO_SOURCES = (
    "posts",
    "_extensions",
    "_freeze",
    "_frozen",
    "index.qmd",
    "404.qmd",
    "tags/index.qmd",
    "archive/index.qmd",
    "_quarto.yml",
    "pyproject.toml",
    "package.json",
)
IMAGE = re.compile(r"\.(png|jpe?g|gif|svg|webp)$", re.I)


def text_of(fragment: str) -> str:
    """Visible text of an HTML fragment, whitespace collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def post_pages(out: Path) -> dict[str, str]:
    """{`posts/<slug>/index.html`: html} for every post page (redirects from old URLs are not posts)."""
    pages = {p.relative_to(out).as_posix(): p.read_text() for p in sorted(out.glob("posts/*/index.html"))}
    return {path: html for path, html in pages.items() if 'http-equiv="refresh"' not in html}


def title(page: str) -> str:
    """The post's heading: ours is `h1.post-title`, Quarto's `h1.title`."""
    m = re.search(r'<h1 class="(?:post-title|title)[^"]*"[^>]*>(.*?)</h1>', page, re.S)
    return text_of(m.group(1)) if m else ""


def tags(page: str) -> set[str]:
    """The tags shown under a post's title: our `ul.tags` links, Quarto's `.quarto-category` chips."""
    ours = re.search(r'<ul class="tags"[^>]*>(.*?)</ul>', page, re.S)
    if ours:
        return {text_of(t) for t in re.findall(r"<a[^>]*>(.*?)</a>", ours.group(1), re.S)}
    return {text_of(t) for t in re.findall(r'<div class="quarto-category">(.*?)</div>', page, re.S)}


def tag_pages(out: Path) -> dict[str, set[str]]:
    """{tag slug: slugs of the posts its page links to}."""
    found = {}
    for page in out.glob("tags/*/index.html"):
        links = re.findall(r'href="(?:\.\./)+posts/([^/"]+)/', page.read_text())
        found[page.parent.name] = set(links)
    return found


def png_size(path: Path) -> tuple[int, int] | None:
    """(width, height) from a PNG's header, else None."""
    head = path.read_bytes()[:24]
    return struct.unpack(">II", head[16:24]) if head[:8] == b"\x89PNG\r\n\x1a\n" else None


def output_images(out: Path, page_rel: str, page: str) -> list:
    """Sizes (or names, for non-PNG) of the local images a post page shows, sorted."""
    here, found = (out / page_rel).parent, []
    for src in re.findall(r'<img[^>]*\ssrc="([^"#?]+)"', page):
        path = (here / src).resolve()
        if re.match(r"^[a-z]+:|^//", src) or not IMAGE.search(src) or not path.is_file():
            continue
        found.append(png_size(path) or path.suffix)
    return sorted(found, key=str)


def xrefs(page: str) -> list[tuple[str, str]]:
    """(target, text) of each cross-reference link (`a.quarto-xref`, in both renderers), in page order."""
    links = re.findall(r'<a href="(#[^"]+)" class="quarto-xref"[^>]*>(.*?)</a>', page, re.S)
    return [(href, text_of(text)) for href, text in links]


def cited(page: str) -> list[str]:
    """Ids of the bibliography entries a page lists (`div.csl-entry`, pandoc's citeproc in both)."""
    return sorted(set(re.findall(r'<div id="(ref-[^"]+)" class="csl-entry', page)))


def blocks(page: str) -> dict:
    """Quarto's block features a page shows, in markup both renderers share (Quarto's class names)."""
    body = page.split("<main", 1)[-1]
    return {
        "callouts": sorted(re.findall(r'class="(?:[^"]* )?callout callout-style-(\w+) callout-(\w+)', body)),
        "tabs": len(re.findall(r'role="tab"', body)),
        "folds": [bool(a or b) for a, b in re.findall(r'<details( open)? class="code-fold"( open)?>', body)],
        "videos": len(re.findall(r'class="quarto-video', body)),
    }


def site_summary(out: Path) -> dict:
    """What both renderers must agree on."""
    pages = post_pages(out)
    return {
        "urls": sorted(pages),
        "titles": {p: title(h) for p, h in pages.items()},
        "xrefs": {p: xrefs(h) for p, h in pages.items()},
        "cited": {p: cited(h) for p, h in pages.items()},
        "tags": {p: tags(h) for p, h in pages.items()},
        "tag_pages": tag_pages(out),
        "images": {p: output_images(out, p, h) for p, h in pages.items()},
        "blocks": {p: blocks(h) for p, h in pages.items()},
        "feeds": sorted(p.relative_to(out).as_posix() for p in out.glob("**/index.xml")),
    }


def test_summary_reads_our_build(site):
    site.post(
        "2024-09-21-lesson/index.md",
        simple_post(
            "Lesson & more",
            "[python, fast.ai]",
            extra="bibliography: refs.bib\n",
            body="![](x.png)\n\n![Cap](x.png){#fig-a}\n\nSee @fig-a, @knuth1984.",
        ),
    )
    shutil.copy(REPO / "tests" / "lua" / "references.bib", site.root / "posts/2024-09-21-lesson/refs.bib")
    (site.root / "posts/2024-09-21-lesson/x.png").write_bytes(
        b"\x89PNG\r\n\x1a\n" + b"\0\0\0\rIHDR" + struct.pack(">II", 3, 2)
    )
    assert build(site.root).ok
    summary = site_summary(site.root / "_site")
    page = "posts/lesson/index.html"
    assert summary["urls"] == [page] and summary["titles"][page] == "Lesson & more"
    assert summary["tags"][page] == {"python", "fast.ai"}
    assert summary["tag_pages"] == {"python": {"lesson"}, "fast.ai": {"lesson"}}
    assert summary["images"][page] == [(3, 2), (3, 2)]
    assert summary["xrefs"][page] == [("#fig-a", "Figure 1")] and summary["cited"][page] == ["ref-knuth1984"]
    assert summary["feeds"] == ["index.xml", "tags/fast.ai/index.xml", "tags/python/index.xml"]
    assert summary["blocks"][page] == {"callouts": [], "tabs": 0, "folds": [], "videos": 0}


def test_summary_reads_quarto_blocks_in_our_build(tmp_path):
    assert build(REPO, BuildOptions(frozen=True, out=tmp_path / "site", search=False)).ok
    found = site_summary(tmp_path / "site")["blocks"]["posts/quarto-features/index.html"]
    assert ("default", "caution") in found["callouts"] and ("simple", "note") in found["callouts"]
    assert found["tabs"] == 4 and found["folds"] == [False, True] and found["videos"] == 1


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("quarto") is None, reason="the Quarto CLI is not on PATH")
def test_quarto_render_matches_coursenotes_build(tmp_path):
    project = tmp_path / "site"
    for name in QUARTO_SOURCES:
        src, dest = REPO / name, project / name
        if not src.exists():
            continue
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copytree(src, dest) if src.is_dir() else shutil.copy(src, dest)
    if (REPO / "node_modules").exists():
        (project / "node_modules").symlink_to(REPO / "node_modules")
    # `python -m coursenotes` in _quarto.yml's scripts, and the Jupyter kernel, are this virtualenv's.
    env = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        "QUARTO_PYTHON": sys.executable,
    }
    quarto = subprocess.run(["quarto", "render"], cwd=project, env=env, capture_output=True, text=True, timeout=1800)
    assert quarto.returncode == 0, quarto.stdout[-3000:] + quarto.stderr[-3000:]
    ours = subprocess.run(
        [sys.executable, "-m", "coursenotes", "build", "--out", str(tmp_path / "ours")],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=1800,
    )
    assert ours.returncode == 0, ours.stdout[-3000:] + ours.stderr[-3000:]
    theirs, mine = site_summary(project / "_site"), site_summary(tmp_path / "ours")
    assert theirs["urls"] == mine["urls"]
    assert theirs["titles"] == mine["titles"]
    assert theirs["xrefs"] == mine["xrefs"]
    assert theirs["cited"] == mine["cited"]
    assert theirs["tags"] == mine["tags"]
    assert theirs["tag_pages"] == mine["tag_pages"]
    assert {p: len(v) for p, v in theirs["images"].items()} == {p: len(v) for p, v in mine["images"].items()}
    assert theirs["images"] == mine["images"]
    assert theirs["blocks"] == mine["blocks"]  # callouts, tabs, folds, videos
    assert set(mine["feeds"]) <= set(theirs["feeds"])
    assert not list((project / "_site" / "posts").glob("2*"))  # no dated folder left behind
