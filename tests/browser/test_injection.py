"""Script injection in Chromium: a tag written as markup on /search/, and the site under the CSP the build generates."""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest
from tests.browser.conftest import serve, site_headers
from tests.conftest import simple_post

from coursenotes.build import build

pytestmark = pytest.mark.slow

ATTACK = "<img src=x onerror=alert(1)>"


@contextlib.contextmanager
def serve_with_policy(folder: Path):
    """Serve the built site on 127.0.0.1 under the CSP the build wrote (plain http: no upgrade to https)."""
    policy = site_headers(folder)["Content-Security-Policy"].replace("; upgrade-insecure-requests", "")
    with serve(folder, {"Content-Security-Policy": policy}) as base:
        yield base


def test_a_tag_written_as_markup_never_runs_on_the_search_page(site, visit):
    site.post("a/index.md", simple_post("Attack", f"['{ATTACK}', 'R&D', '&lt;img src=y onerror=alert(2)&gt;']",
                                        body="Searchable words about onerror."))  # fmt: skip
    result = build(site.root)
    assert result.ok and not result.notes, (result.errors, result.notes)
    with serve_with_policy(site.root / "_site") as base:
        v = visit()
        dialogs: list[str] = []
        v.page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        v.page.goto(base + "search/?q=onerror")
        v.page.wait_for_selector(".search-result-link", timeout=15000)
        v.page.wait_for_timeout(500)
        options = v.page.locator("#search-tag option").all_inner_texts()
        assert f"{ATTACK} (1)" in options and "&lt;img src=y onerror=alert(2)&gt; (1)" in options, options
        meta = v.page.locator(".search-result .post-meta").inner_text()
        assert ATTACK in meta and "R&D" in meta, meta  # shown as the text it is
        v.page.select_option("#search-tag", ATTACK)
        v.page.wait_for_selector("text=tagged <img", timeout=5000)
        assert v.page.locator(".search-page img").count() == 0 and dialogs == []
        assert not [e for e in v.errors if "Content Security Policy" in e], v.errors


def test_pages_work_under_the_policy_without_inline_script(site, visit):
    site.post("a/index.md", simple_post("A", "[python]"))
    assert build(site.root).ok
    with serve_with_policy(site.root / "_site") as base:
        v = visit(scheme="light")
        v.page.add_init_script("localStorage.setItem('theme', 'dark')")
        v.page.goto(base + "posts/a/")
        assert v.page.evaluate("document.documentElement.dataset.theme") == "dark"  # theme.js ran before paint
        assert not [e for e in v.errors if "Content Security Policy" in e], v.errors
