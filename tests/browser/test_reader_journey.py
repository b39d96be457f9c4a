"""A reader in Chromium: index -> tag -> post (diagrams, images, code) -> search -> dark mode; phone and laptop."""

from __future__ import annotations

import struct
import zlib

import pytest
from tests.browser.conftest import serve, shoot
from tests.conftest import SiteMaker

from coursenotes.build import build

pytestmark = pytest.mark.slow

TRAINING = """\
---
title: "Training a digit classifier"
date: 2024-09-21
description: "A first model, from pixels to predictions."
tags: [fast.ai, courses]
---

Deep learning starts with data. This post mentions zymurgy once, so search has a rare word to find.

## The data

![A small red square standing in for a digit](square.png)

## The pipeline

```mermaid
flowchart LR
  pixels[Pixels] --> model[Model] --> label[Label]
```

## The code

```python
learn = vision_learner(dls, resnet18, metrics=error_rate)
learn.fine_tune(1)
```

## What next

Read the [python post](../python-tricks/) or see every [fast.ai post](/tags/fast.ai/).
"""


def png(width: int = 16, height: int = 16, rgb=(220, 40, 40)) -> bytes:
    """A solid-colour PNG, made here so the test needs no binary files."""

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory):
    """A small built site: three published posts (two tagged fast.ai), a draft, a diagram and an image."""
    maker = SiteMaker(tmp_path_factory.mktemp("browser") / "site")
    maker.post("2024-09-21-training/index.md", TRAINING)
    (maker.root / "posts/2024-09-21-training/square.png").write_bytes(png())
    maker.post(
        "2024-08-10-python-tricks/index.md",
        "---\ntitle: Python tricks\ndate: 2024-08-10\ntags: [python]\n---\n\nComprehensions and generators.\n",
    )
    maker.post(
        "2024-07-01-why-fastai.md",
        "---\ntitle: Why fast.ai\ndate: 2024-07-01\ntags: [fast.ai]\n---\n\nTop-down teaching.\n",
    )
    maker.post(
        "2024-10-01-unfinished.md",
        "---\ntitle: Unfinished\ndate: 2024-10-01\ntags: [fast.ai]\npublished: false\n---\n\nNot yet.\n",
    )
    result = build(maker.root)
    assert result.ok, result.errors
    assert (maker.root / "_site/search/meta.json").is_file(), "the build writes the search index"
    return maker.root / "_site"


@pytest.fixture(scope="session")
def base_url(sample_site):
    """The sample site served on 127.0.0.1."""
    with serve(sample_site) as url:
        yield url


def no_leaks(visit):
    """Nothing left 127.0.0.1 and nothing logged an error."""
    assert visit.external == [], visit.external
    assert visit.errors == [], visit.errors
    assert all(u.startswith(("http://127.0.0.1:", "data:", "blob:")) for u in visit.requests)


def test_reader_journey(visit, base_url):
    from playwright.sync_api import expect

    v = visit(width=1280)
    v.page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page = v.page
    page.goto(base_url)
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator(".post-item-title").all_inner_texts() == [
        "Training a digit classifier",
        "Python tricks",
        "Why fast.ai",
    ]

    page.locator(".post-item").first.get_by_role("link", name="fast.ai").click()
    page.wait_for_url("**/tags/fast.ai/")
    assert page.locator(".post-item-title").all_inner_texts() == ["Training a digit classifier", "Why fast.ai"]

    page.get_by_role("link", name="Training a digit classifier").click()
    page.wait_for_url("**/posts/training/")
    page.wait_for_selector("figure.diagram svg", timeout=20_000)
    assert page.locator("figure.diagram svg").count() == 1
    assert "Pixels" in page.locator("figure.diagram svg").text_content()
    image = page.get_by_alt_text("A small red square standing in for a digit")
    image.scroll_into_view_if_needed()
    page.wait_for_function("img => img.complete && img.naturalWidth === 16", arg=image.element_handle())
    assert page.locator("nav.toc a").count() == 4
    assert page.locator("h2 a.anchor").count() == 4
    assert page.locator(".post-meta .reading-time").inner_text() == "1 min read"
    assert (
        page.locator('meta[property="og:image"]').get_attribute("content")
        == "https://notes.example.org/posts/training/square.png"
    )

    code = page.locator("div.sourceCode").first
    code.hover()
    code.locator("button.copy-code").click()
    expect(code.locator("button.copy-code")).to_have_text("Copied")
    assert page.evaluate("navigator.clipboard.readText()").startswith("learn = vision_learner")

    page.locator('.post-nav a[rel="next"]').click()
    page.wait_for_url("**/posts/python-tricks/")

    page.fill(".search-form input", "zymurgy")
    page.press(".search-form input", "Enter")
    page.wait_for_url("**/search/?q=zymurgy")
    page.wait_for_selector(".search-result-link", timeout=20_000)
    assert page.locator(".search-result-link").all_inner_texts() == ["Training a digit classifier"]
    assert page.locator("#search-query").input_value() == "zymurgy"
    assert page.locator(".search-results mark").first.inner_text().lower() == "zymurgy"
    page.fill("#search-query", "zymu")  # words are found by their beginning, as the reader types
    expect(page.locator("#search-status")).to_have_text("1 result for “zymu”")
    page.fill("#search-query", "zymurgy nosuchword")  # every word must match
    expect(page.locator("#search-status")).to_have_text("No results for “zymurgy nosuchword”")

    background = "getComputedStyle(document.body).backgroundColor"
    assert page.evaluate(background) == "rgb(255, 255, 255)"
    page.click(".theme-toggle")
    assert page.evaluate("document.documentElement.dataset.theme") == "dark"
    assert page.evaluate(background) == "rgb(13, 17, 23)"
    assert page.locator(".theme-toggle").get_attribute("aria-pressed") == "true"
    page.goto(base_url)  # the choice is remembered
    assert page.evaluate(background) == "rgb(13, 17, 23)"
    page.click(".theme-toggle")
    assert page.evaluate(background) == "rgb(255, 255, 255)"
    no_leaks(v)


def test_dark_mode_follows_the_system_and_redraws_diagrams(visit, base_url):
    v = visit(scheme="dark")
    v.page.goto(base_url + "posts/training/")
    assert v.page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(13, 17, 23)"
    v.page.wait_for_selector("figure.diagram svg", timeout=20_000)
    v.page.click(".theme-toggle")
    assert v.page.evaluate("document.documentElement.dataset.theme") == "light"
    v.page.wait_for_selector("figure.diagram svg", timeout=20_000)
    no_leaks(v)


def test_draft_is_not_published(visit, base_url):
    v = visit()
    v.page.goto(base_url + "tags/fast.ai/")
    assert "Unfinished" not in v.page.content()
    response = v.page.goto(base_url + "posts/unfinished/")
    assert response.status == 404
    v.errors.clear()  # the 404 itself is logged by Chromium
    no_leaks(v)


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_pages_fit_the_screen(visit, base_url, width, scheme):
    v = visit(width=width, scheme=scheme)
    for name, path in [
        ("index", ""),
        ("post", "posts/training/"),
        ("tag", "tags/fast.ai/"),
        ("search", "search/?q=digit"),
    ]:
        v.page.goto(base_url + path)
        if name == "post":
            v.page.wait_for_selector("figure.diagram svg", timeout=20_000)
        if name == "search":
            v.page.wait_for_selector(".search-result-link", timeout=20_000)
        overflow = v.page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at {width}px"
        shoot(v.page, f"{name}-{width}-{scheme}")
    no_leaks(v)
