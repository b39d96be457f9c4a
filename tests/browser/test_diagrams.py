"""Diagrams in Chromium: drawn by the site's own mermaid.js, redrawn for dark mode, source kept when drawing fails."""

from __future__ import annotations

import pytest
from tests.browser.conftest import serve
from tests.conftest import SiteMaker

from coursenotes.build import BuildOptions, build

pytestmark = pytest.mark.slow

POST = """\
---
title: Diagrams
date: 2024-05-01
---

```mermaid
flowchart LR
  inputs --> program --> results
```

```mermaid
flowchart LR
  this is (not [valid mermaid -->
```
"""


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    """A site with one good and one broken diagram, and a page with none, served on 127.0.0.1."""
    maker = SiteMaker(tmp_path_factory.mktemp("diagrams") / "site")
    maker.post("2024-05-01-diagrams/index.md", POST)
    maker.post("plain.md", "---\ntitle: Plain\ndate: 2024-04-01\n---\n\nNo diagrams here.\n")
    assert build(maker.root, BuildOptions(search=False)).ok
    with serve(maker.root / "_site") as url:
        yield url


def test_good_diagram_is_svg_and_broken_one_keeps_its_source(visit, base):
    v = visit()
    v.page.goto(base + "posts/diagrams/")
    v.page.wait_for_selector("figure.diagram svg", timeout=20_000)
    v.page.wait_for_selector("pre.mermaid.diagram-error", timeout=20_000)
    assert v.page.locator("figure.diagram svg").count() == 1
    broken = v.page.locator("pre.mermaid.diagram-error")
    assert "this is (not [valid mermaid" in broken.inner_text() and broken.is_visible()
    assert v.page.locator(".diagram-error-note").count() == 1
    assert v.errors == [] and v.external == []


def test_diagrams_follow_the_theme_toggle(visit, base):
    v = visit(scheme="light")
    v.page.goto(base + "posts/diagrams/")
    v.page.wait_for_selector("figure.diagram svg", timeout=20_000)
    light = v.page.inner_html("figure.diagram:has(svg)")
    v.page.click(".theme-toggle")
    v.page.wait_for_function(
        f"document.querySelector('figure.diagram:has(svg)').innerHTML !== {light!r}", timeout=20_000
    )
    v.page.wait_for_selector("figure.diagram svg", timeout=20_000)
    assert v.page.inner_html("figure.diagram:has(svg)") != light
    assert v.errors == []


def test_pages_without_diagrams_do_not_load_mermaid(visit, base):
    v = visit()
    v.page.goto(base + "posts/plain/")
    v.page.wait_for_load_state("networkidle")
    assert not any("mermaid" in url for url in v.requests)
