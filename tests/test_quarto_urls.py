"""The Quarto post-render step on a tree shaped like `quarto render`'s output, tested without Quarto."""

import hashlib
import json
import posixpath
import re
from pathlib import Path

import pytest
from tests.conftest import simple_post

from coursenotes.cli import main
from coursenotes.quarto.urls import Move, apply, fix_url, map_path, plan
from coursenotes.sources.posts import discover
from coursenotes.urls import page_path

SITE = "https://notes.example.org/"
LESSON, WELCOME, DRAFT = "posts/2024-09-21-fastai-lesson-1", "posts/2024-07-01-welcome", "posts/2024-10-01-unfinished"

# Pages as Quarto writes them: relative links everywhere, `quarto:offset` back to the root, absolute
# URLs only in social metadata, feeds and the sitemap.
QUARTO_FILES = {
    "index.html": f"""<html><head><meta name="quarto:offset" content="./">
<link href="site_libs/bootstrap/bootstrap.min.css" rel="stylesheet"><link rel="alternate" href="index.xml"></head><body>
<a href="./index.html">Posts</a><a href="./tags/index.html">Tags</a>
<div class="quarto-post"><a href="./{LESSON}/index.html" class="no-external">Lesson 1</a>
<img src="./{WELCOME}_files/figure-html/cell-2-output-1.png"><a href="./{WELCOME}.html">Welcome</a></div></body></html>""",
    "tags/index.html": """<meta name="quarto:offset" content="../"><a href="../tags/python/index.html">python</a>""",
    "tags/python/index.html": f"""<meta name="quarto:offset" content="../../"><script src="../../site_libs/quarto-nav/quarto-nav.js"></script>
<a href="../../{LESSON}/index.html">Lesson 1</a><a href="../../{LESSON}/">Lesson 1 (folder)</a>""",
    f"{LESSON}/index.html": f"""<meta name="quarto:offset" content="../../">
<meta property="og:url" content="{SITE}{LESSON}/index.html"><meta property="og:description" content="{LESSON} in words">
<script src="../../site_libs/quarto-nav/quarto-nav.js"></script><a href="../../index.html">home</a>
<img src="index_files/figure-html/cell-3-output-1.png"><a href="../2024-07-01-welcome.html#why">welcome</a>
<a href="#images-are-numbers">¶</a><a href="https://docs.fast.ai">docs</a><p>I keep notes in {LESSON}/index.qmd.</p>""",
    f"{LESSON}/index_files/figure-html/cell-3-output-1.png": "PNG",
    f"{WELCOME}.html": f"""<meta name="quarto:offset" content="../"><link href="../site_libs/bootstrap/bootstrap.min.css" rel="stylesheet">
<meta property="og:image" content="{SITE}{WELCOME}_files/figure-html/cell-2-output-1.png">
<a href="../index.html">home</a><a href="../tags/python/index.html">python</a>
<img src="2024-07-01-welcome_files/figure-html/cell-2-output-1.png"><a href="#why">why</a>
<a href="2024-09-21-fastai-lesson-1/index.html">next</a>""",
    f"{WELCOME}_files/figure-html/cell-2-output-1.png": "PNG",
    f"{DRAFT}/index.html": "<html><body></body></html>",
    "site_libs/bootstrap/bootstrap.min.css": "body{}",
    "site_libs/quarto-nav/quarto-nav.js": "// nav",
    "sitemap.xml": f"""<?xml version="1.0"?><urlset><url><loc>{SITE}{LESSON}/index.html</loc></url>
<url><loc>{SITE}{WELCOME}.html</loc></url><url><loc>{SITE}index.html</loc></url></urlset>""",
    "index.xml": f"""<rss><channel><link>{SITE}index.html</link><item><title>Welcome</title><link>{SITE}{WELCOME}.html</link>
<guid>{SITE}{WELCOME}.html</guid><description><![CDATA[ <img src="{SITE}{WELCOME}_files/figure-html/cell-2-output-1.png"> ]]></description>
</item></channel></rss>""",
    "search.json": json.dumps(
        [
            {
                "objectID": f"{WELCOME}.html",
                "href": f"{WELCOME}.html#why",
                "title": "Welcome",
                "text": f"see {WELCOME}.html",
            }
        ]
    ),
    "listings.json": json.dumps([{"listing": "/index.html", "items": [f"/{LESSON}/index.html", f"/{WELCOME}.html"]}]),
}


@pytest.fixture
def rendered(site):
    """Posts like the repo's (a dated folder, a dated single file, a draft) and Quarto's output for them."""
    site.post("2024-09-21-fastai-lesson-1/index.qmd", simple_post("Lesson 1", "[python]", "2024-09-21"))
    site.post("2024-07-01-welcome.md", simple_post("Welcome", "[meta]", "2024-07-01"))
    site.post("2024-10-01-unfinished/index.md", simple_post("Unfinished", "[python]", extra="published: false\n"))
    for rel, text in QUARTO_FILES.items():
        path = site.root / "_site" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return site


def moves_of(site) -> list[Move]:
    return plan(discover(site.root / "posts")[0])


def files_under(out: Path) -> set[str]:
    return {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()}


def digest(out: Path) -> dict:
    return {p: hashlib.sha256((out / p).read_bytes()).hexdigest() for p in files_under(out)}


def test_plan_moves_dated_folders_and_single_files_but_not_slug_named_folders(rendered):
    rendered.post("already-a-slug/index.md", simple_post("Plain", "[]"))
    moves = {m.source: m for m in moves_of(rendered)}
    assert moves[LESSON] == Move(LESSON, "posts/fastai-lesson-1")
    assert moves[f"{WELCOME}.html"] == Move(f"{WELCOME}.html", "posts/welcome", f"{WELCOME}_files")
    assert moves[DRAFT].draft and "posts/already-a-slug" not in moves


def test_outputs_move_to_our_urls_with_their_figures_and_drafts_go(rendered):
    out = rendered.root / "_site"
    apply(out, moves_of(rendered), SITE)
    files = files_under(out)
    assert {
        "posts/fastai-lesson-1/index.html",
        "posts/fastai-lesson-1/index_files/figure-html/cell-3-output-1.png",
        "posts/welcome/index.html",
        "posts/welcome/2024-07-01-welcome_files/figure-html/cell-2-output-1.png",
    } <= files
    assert not any(f.startswith(("posts/2024-", "posts/.")) for f in files)  # no dated paths, no leftovers


def local_links(html: str) -> list[str]:
    return [u for u in re.findall(r'(?:href|src)="([^"]*)"', html) if u and not re.match(r"^(?:[a-z]+:|//|#)", u)]


def test_every_link_in_every_page_still_resolves(rendered):
    out = rendered.root / "_site"
    apply(out, moves_of(rendered), SITE)
    for page in out.rglob("*.html"):
        here = page.relative_to(out).parent.as_posix()
        for url in local_links(page.read_text()):
            target = posixpath.normpath(posixpath.join(here, url.split("#")[0]))
            target = out / target / "index.html" if (out / target).is_dir() else out / target
            assert target.is_file(), f"{page.relative_to(out)}: {url}"


def test_links_are_rewritten_in_pages_feeds_sitemap_and_search(rendered):
    out = rendered.root / "_site"
    apply(out, moves_of(rendered), SITE)
    index = (out / "index.html").read_text()
    assert 'href="posts/fastai-lesson-1/index.html"' in index and 'href="posts/welcome/index.html"' in index
    welcome = (out / "posts/welcome/index.html").read_text()
    assert '<meta name="quarto:offset" content="../../">' in welcome  # one folder deeper now
    assert 'href="../../site_libs/bootstrap/bootstrap.min.css"' in welcome and 'href="../../index.html"' in welcome
    assert 'src="2024-07-01-welcome_files/figure-html/cell-2-output-1.png"' in welcome and 'href="#why"' in welcome
    assert 'href="../fastai-lesson-1/index.html"' in welcome
    assert f'content="{SITE}posts/welcome/2024-07-01-welcome_files/figure-html/cell-2-output-1.png"' in welcome
    lesson = (out / "posts/fastai-lesson-1/index.html").read_text()
    assert (
        'href="../welcome/index.html#why"' in lesson and 'src="index_files/figure-html/cell-3-output-1.png"' in lesson
    )
    assert f'content="{SITE}posts/fastai-lesson-1/index.html"' in lesson
    assert f"I keep notes in {LESSON}/index.qmd." in lesson and f'content="{LESSON} in words"' in lesson  # prose kept
    assert 'href="../../posts/fastai-lesson-1/"' in (out / "tags/python/index.html").read_text()
    feed, sitemap = (out / "index.xml").read_text(), (out / "sitemap.xml").read_text()
    assert "posts/2024-" not in feed and "posts/2024-" not in sitemap
    assert (
        f"<guid>{SITE}posts/welcome/index.html</guid>" in feed
        and f"<loc>{SITE}posts/fastai-lesson-1/index.html</loc>" in sitemap
    )
    search = json.loads((out / "search.json").read_text())[0]
    assert search["href"] == "posts/welcome/index.html#why" and search["text"] == f"see {WELCOME}.html"
    assert json.loads((out / "listings.json").read_text())[0]["items"] == [
        "/posts/fastai-lesson-1/index.html",
        "/posts/welcome/index.html",
    ]


def test_running_it_twice_changes_nothing(rendered):
    out, moves = rendered.root / "_site", moves_of(rendered)
    apply(out, moves, SITE)
    once = digest(out)
    apply(out, moves, SITE)
    assert digest(out) == once


def test_a_previous_renders_copy_is_replaced(rendered):
    out = rendered.root / "_site"
    (out / "posts/fastai-lesson-1").mkdir(parents=True)
    (out / "posts/fastai-lesson-1/stale.png").write_text("old")
    apply(out, moves_of(rendered), SITE)
    assert not (out / "posts/fastai-lesson-1/stale.png").exists()


def test_drafts_stay_when_quarto_is_told_to_publish_them(rendered):
    out = rendered.root / "_site"
    apply(out, moves_of(rendered), SITE, drop_drafts=False)
    assert (out / "posts/unfinished/index.html").exists()


def test_same_urls_as_our_build_for_every_repo_post():
    """Where Quarto writes each post of this repo, after the moves, is where `coursenotes build` writes it."""
    posts, errors = discover(Path(__file__).resolve().parents[1] / "posts")
    assert not errors and posts
    moves = plan(posts)
    for post in posts:
        rel = post.source.relative_to(post.source.parents[2 if post.folder else 1]).as_posix()
        quarto_page = re.sub(r"\.(qmd|md|ipynb)$", ".html", rel)
        assert map_path(quarto_page, moves) == page_path(post.url), post.source


@pytest.mark.parametrize(
    "url, old, new, want",
    [
        ("../../site_libs/a.js", LESSON, "posts/fastai-lesson-1", "../../site_libs/a.js"),
        ("./", "posts", "posts/welcome", "../"),
        ("?q=1", "posts", "posts/welcome", "?q=1"),
        ("mailto:me@example.org", "posts", "posts/welcome", "mailto:me@example.org"),
        ("../../../outside.html", "posts", "posts/welcome", "../../../outside.html"),
        (f"/{WELCOME}.html#a", "", "", "/posts/welcome/index.html#a"),
        (f"{SITE}{LESSON}/", "", "", f"{SITE}posts/fastai-lesson-1/"),
    ],
)
def test_fix_url(url, old, new, want):
    moves = [Move(LESSON, "posts/fastai-lesson-1"), Move(f"{WELCOME}.html", "posts/welcome", f"{WELCOME}_files")]
    assert fix_url(url, old, new, moves, SITE) == want


def test_cli_skips_partial_renders_and_previews(rendered, monkeypatch, capsys):
    monkeypatch.chdir(rendered.root)
    monkeypatch.setenv("QUARTO_PROJECT_OUTPUT_DIR", "_site")
    monkeypatch.delenv("QUARTO_PROJECT_RENDER_ALL", raising=False)
    assert main(["quarto-postrender"]) == 0
    assert "left as Quarto wrote them" in capsys.readouterr().err
    assert (rendered.root / "_site" / LESSON / "index.html").exists()


def test_cli_moves_after_a_full_render(rendered, monkeypatch, capsys):
    monkeypatch.chdir(rendered.root)
    monkeypatch.setenv("QUARTO_PROJECT_OUTPUT_DIR", "_site")
    monkeypatch.setenv("QUARTO_PROJECT_RENDER_ALL", "1")
    assert main(["quarto-postrender"]) == 0
    assert "2 post(s) moved" in capsys.readouterr().out
    assert (rendered.root / "_site/posts/welcome/index.html").exists()
    assert not (rendered.root / "_site" / DRAFT).exists()  # draft-mode `gone` (the default)
