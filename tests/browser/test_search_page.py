"""The search page in Chromium: words by their beginning, every script, the tag menu, a sub-path, no errors."""

from __future__ import annotations

import shutil

import pytest
from playwright.sync_api import expect
from tests.browser.conftest import serve
from tests.conftest import simple_post

from coursenotes.build import build

pytestmark = pytest.mark.slow


def results(page) -> list[str]:
    """The titles of the results shown now."""
    return page.locator(".search-result-link").all_inner_texts()


def test_search_finds_words_in_every_script_under_a_sub_path(site, visit, tmp_path):
    site.post("a.md", simple_post("Training loops", "[fast.ai]", body="A learner fits with momentum."))
    site.post("b.md", simple_post("Data blocks", "[fast.ai, data]", body="Blocks split the data."))
    site.post("c.md", simple_post("机器学习笔记", "[中文]", body="今天学习了梯度下降。"))
    site.post("d.md", simple_post("हिंदी नोट्स", "[hindi]", body="यह मशीन लर्निंग है।"))
    assert build(site.root).ok
    shutil.copytree(site.root / "_site", tmp_path / "www/notes")  # published under /notes/
    with serve(tmp_path / "www") as base:
        v = visit()
        v.page.goto(base + "notes/search/?q=mom")
        expect(v.page.locator("#search-status")).to_have_text("1 result for “mom”")
        assert results(v.page) == ["Training loops"]
        v.page.locator(".search-result-link").click()
        v.page.wait_for_url(base + "notes/posts/a/")
        v.page.go_back()
        # The page back from history has run its script (which fills the box from ?q=) before we type.
        expect(v.page.locator("#search-status")).to_have_text("1 result for “mom”")
        for query, found in [("data", ["Data blocks"]), ("梯度", ["机器学习笔记"]), ("学习", ["机器学习笔记"]),
                             ("मशीन", ["हिंदी नोट्स"]), ("FAST.AI learner", ["Training loops"])]:  # fmt: skip
            v.page.fill("#search-query", query)
            expect(v.page.locator(".search-result-link")).to_have_text(found)
        v.page.fill("#search-query", "blocks")
        expect(v.page.locator(".search-result-link")).to_have_text(["Data blocks"])
        assert v.page.locator("#search-tag option").all_inner_texts() == [
            "All tags", "data (1)", "fast.ai (2)", "hindi (1)", "中文 (1)"
        ]  # fmt: skip
        v.page.fill("#search-query", "a")  # one letter: every word that begins with it
        expect(v.page.locator("#search-status")).to_contain_text("result")
        v.page.select_option("#search-tag", "data")
        expect(v.page.locator(".search-result-link")).to_have_text(["Data blocks"])
        assert "tag=data" in v.page.url and "q=a" in v.page.url
        assert v.errors == [] and v.external == []
