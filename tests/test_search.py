"""Search: pagefind indexes the staged site before the swap; without pagefind the site builds without search."""

import json
import os

from tests.conftest import simple_post

from coursenotes.build import BuildOptions, build
from coursenotes.cli import main
from coursenotes.site import search


def two_posts(site):
    site.post("a.md", simple_post("Alpha", "[python]", body="Gradient descent with a learner."))
    site.post("b.md", simple_post("Beta", "[fast.ai]", "2024-02-01", body="Data blocks."))


def test_build_writes_the_index_and_a_search_page(site):
    two_posts(site)
    result = build(site.root)
    assert result.ok and result.notes == []
    bundle = site.root / "_site" / "pagefind"
    for name in ("pagefind.js", "pagefind-ui.js", "pagefind-ui.css", "pagefind-entry.json"):
        assert (bundle / name).is_file(), name
    entry = json.loads((bundle / "pagefind-entry.json").read_text())
    assert entry["languages"]["en"]["page_count"] == 2  # posts only: listings have no data-pagefind-body
    page = site.read("search/index.html")
    assert 'src="../pagefind/pagefind-ui.js"' in page and 'href="../pagefind/pagefind-ui.css"' in page
    assert 'src="../assets/search.js"' in page
    assert '<form class="search-form" role="search" action="search/">' in site.read("index.html")
    post = site.read("posts/a/index.html")
    assert "data-pagefind-body" in post and 'data-pagefind-filter="tag[data-tag]"' in post
    assert not list(site.root.glob(".*_site*")), "staging folders are cleaned up"


def test_without_pagefind_the_site_builds_without_search(site, monkeypatch, capsys):
    two_posts(site)
    monkeypatch.setattr(search, "pagefind_binary", lambda: None)
    result = build(site.root)
    assert result.ok and result.notes == [search.MISSING]
    assert not (site.root / "_site/pagefind").exists() and not (site.root / "_site/search").exists()
    assert "search-form" not in site.read("index.html")
    monkeypatch.chdir(site.root)
    assert main(["build"]) == 0
    assert capsys.readouterr().err.count("search disabled: pagefind is not installed") == 1
    assert build(site.root, BuildOptions(search=False)).notes == []


def test_a_failing_indexer_leaves_the_old_site(site, monkeypatch, tmp_path):
    two_posts(site)
    monkeypatch.setattr(search, "pagefind_binary", lambda: None)
    assert build(site.root).ok
    before = sorted(p.relative_to(site.root) for p in (site.root / "_site").rglob("*"))
    fake = tmp_path / "pagefind"
    fake.write_text("#!/bin/sh\necho 'Error: something broke' >&2\nexit 3\n")
    os.chmod(fake, 0o755)
    monkeypatch.setattr(search, "pagefind_binary", lambda: str(fake))
    site.post("c.md", simple_post("Gamma"))
    result = build(site.root)
    assert not result.ok and "pagefind failed: Error: something broke" in str(result.errors[0])
    assert sorted(p.relative_to(site.root) for p in (site.root / "_site").rglob("*")) == before
    assert not list(site.root.glob(".*_site*")), "the staging folder is removed"
