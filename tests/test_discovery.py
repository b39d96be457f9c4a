"""Discovery like Quarto's: which files are posts, their front matter, inherited metadata, URLs, and the policy."""

from __future__ import annotations

import json

from tests.conftest import simple_post

from coursenotes.authoring.check import check
from coursenotes.authoring.explain import explain
from coursenotes.build import BuildOptions, build
from coursenotes.sources import discover, read_post
from coursenotes.sources.discovery import find_sources
from coursenotes.sources.metadata import merge

NO_RUN = BuildOptions(execute=False, search=False)


def notebook(*cells: tuple[str, str]) -> str:
    """A notebook with (cell_type, source) cells."""
    made = [
        {
            "cell_type": t,
            "metadata": {},
            "source": s,
            **({"outputs": [], "execution_count": None} if t == "code" else {}),
        }
        for t, s in cells
    ]
    return json.dumps({"cells": made, "metadata": {}, "nbformat": 4, "nbformat_minor": 5})


def test_every_source_under_posts_is_a_post_unless_hidden(site):
    for rel in ("a.md", "b/index.qmd", "b/more.ipynb", "deep/er/c.qmd", "_draft.md", "_x/d.md", ".hidden/e.md"):
        site.post(rel, simple_post(rel) if not rel.endswith(".ipynb") else notebook(("markdown", "# More")))
    names = [p.relative_to(site.root / "posts").as_posix() for p in find_sources(site.root / "posts")]
    assert names == ["a.md", "b/index.qmd", "b/more.ipynb", "deep/er/c.qmd"]
    lines = explain(site.root)
    assert any(
        x.endswith("posts/_x: skipped: a name starting with `_` or `.` is not rendered (Quarto's rule)") for x in lines
    )
    assert any("b/more.ipynb: post at /posts/more/" in x and "title from its first `# heading`" in x for x in lines)


def test_front_matter_after_blank_lines_or_a_bom(site):
    a = site.post("a.md", "x")
    a.write_text("\n\n" + simple_post("Blank lines first"))
    b = site.post("b.md", "x")
    b.write_bytes("\ufeff".encode() + simple_post("With a BOM").encode())
    assert read_post(a).title == "Blank lines first" and read_post(a).raw.key_lines["date"] == 5
    assert read_post(b).title == "With a BOM"


def test_a_file_without_front_matter_takes_the_first_heading(site):
    md = site.post("plain.md", "# Plain title\n\nBody text.\n")
    post = read_post(md)
    assert post.title == "Plain title" and "Plain title" not in post.raw.body and post.raw.body_line == 1
    nb = site.post("nb.ipynb", notebook(("markdown", "# Notebook title\nIntro."), ("code", "1 + 1")))
    post = read_post(nb)
    assert post.title == "Notebook title" and post.raw.notebook["cells"][0]["source"] == "\nIntro."
    site.post("none.md", "No heading at all.\n")
    _, errors = discover(site.root / "posts")
    assert [str(e).split("posts/")[-1] for e in errors] == [
        "none.md:1: no front matter and no `# heading` to take a title from: start the file with `---`, `title: ...`, `---`"
    ]


def test_metadata_merge_follows_quarto():
    assert merge({"a": 1, "tags": ["x"], "m": {"k": 1, "j": 2}}, {"a": 2, "tags": ["y", "x"], "m": {"k": 3}}) == {
        "a": 2,
        "tags": ["x", "y"],
        "m": {"k": 3, "j": 2},
    }
    assert merge({"categories": "one"}, {"categories": ["two"]}) == {"categories": ["one", "two"]}


def test_path_urls_keep_dates_and_folders(site):
    site.post("2024-01-01-x.md", simple_post("X"))
    site.post("s/2024-02-01-y/index.qmd", simple_post("Y"))
    posts, errors = discover(site.root / "posts", "path")
    assert not errors and sorted(p.url for p in posts) == ["/posts/2024-01-01-x/", "/posts/s/2024-02-01-y/"]
    posts, _ = discover(site.root / "posts")
    assert sorted(p.url for p in posts) == ["/posts/x/", "/posts/y/"]


def test_assets_outside_the_project_are_never_published(site, tmp_path):
    (tmp_path / "secret.png").write_bytes(b"secret")
    site.post("a/index.md", simple_post("A", body="![A secret](../../../secret.png) ![Up](../../../../etc/hostname)"))
    (site.root / ".env").write_text("TOKEN=x")
    site.post("b/index.md", simple_post("B", body="[env](../../.env)"))
    result = build(site.root, NO_RUN)
    assert result.ok and not list((site.root / "_site").rglob("secret.png"))
    assert not [name for name in result.files if name.endswith(".env")]
    assert not any("hostname" in name for name in result.files)


def test_the_policy_allows_embeds_posts_use_and_check_warns_about_what_it_blocks(site):
    site.post(
        "v.md",
        simple_post(
            "Video",
            body='<iframe src="https://www.youtube.com/embed/XfoYk_Z5AkI" title="A video"></iframe>\n\n'
            "![A remote picture](https://images.example.com/p.png)\n",
        ),
    )
    result = build(site.root, NO_RUN)
    assert result.ok
    header = (site.root / "_site/_headers").read_text()
    assert (
        "frame-src https://www.youtube.com;" in header and "img-src 'self' data: https://images.example.com;" in header
    )
    assert "'unsafe-inline'" not in header.split("script-src", 1)[1].split(";")[0]
    site.post(
        "s.md",
        simple_post("Script", body='<script src="https://cdn.example.com/x.js"></script>\n\n<b onclick="x()">b</b>\n'),
    )
    found = [str(p).split("posts/")[-1] for p in check(site.root)[1]]
    assert (
        "s.md:7: the Content-Security-Policy blocks a script from https://cdn.example.com (only the site's own scripts run)"
        in found
    )
    assert any(x.startswith("s.md:9: the Content-Security-Policy blocks an inline event handler") for x in found)
