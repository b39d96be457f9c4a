"""Diagrams the build could not draw, drawn in Chromium from mermaid's ES modules: only the chunks they need.

The site is served under a sub-path (/notes/) and under the Content-Security-Policy the build wrote.
"""

from __future__ import annotations

import re

import pytest
from tests.browser.conftest import serve, site_headers
from tests.conftest import REPO, SiteMaker

from coursenotes.build import BuildOptions, build

pytestmark = pytest.mark.slow

POST = """\
---
title: Two kinds
date: 2024-05-01
---

```mermaid
flowchart LR
  inputs --> program --> results
```

```mermaid
sequenceDiagram
  Reader->>Site: page
  Site-->>Reader: diagram
```
"""
PAGE = "notes/posts/two-kinds/"
BUNDLE = (REPO / "node_modules/mermaid/dist/mermaid.min.js").stat().st_size
LIGHT_FILL, DARK_FILL = "rgb(236, 236, 255)", "rgb(31, 32, 32)"  # mermaid's default / dark node fill
FILLS = """() => [
  getComputedStyle(document.querySelector('svg[aria-roledescription^="flowchart"] .node rect')).fill,
  getComputedStyle(document.querySelector('svg[aria-roledescription="sequence"] rect.actor')).fill]"""
DRAWN = "document.querySelectorAll('figure.diagram > pre.mermaid[data-processed] > svg').length"
# Chromium reports a CSP violation as a console error too; the event also catches any the console might not.
VIOLATIONS = "window.__csp = []; addEventListener('securitypolicyviolation', e => __csp.push(e.violatedDirective));"


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    """The post built with no diagram drawn at build time, served at /notes/ with the build's CSP."""
    top = tmp_path_factory.mktemp("modules")
    maker = SiteMaker(top / "site")
    maker.post("2024-05-01-two-kinds/index.md", POST)
    result = build(maker.root, BuildOptions(search=False))
    assert result.ok and any("left for the reader's browser" in n for n in result.notes), result.notes
    (top / "www").mkdir()
    (top / "www" / "notes").symlink_to(maker.root / "_site", target_is_directory=True)
    policy = site_headers(maker.root / "_site")["Content-Security-Policy"].replace("; upgrade-insecure-requests", "")
    assert "'unsafe-inline'" not in policy.split("script-src")[1].split(";")[0]
    with serve(top / "www", {"Content-Security-Policy": policy}) as url:
        yield url


def open_drawn(visit, base, scheme: str):
    """A Visit of the page with both diagrams drawn, recording the bytes of every script it fetched."""
    v = visit(scheme=scheme)
    scripts: dict[str, int] = {}
    v.page.on("response", lambda r: r.url.endswith((".js", ".mjs")) and scripts.setdefault(r.url, len(r.body())))
    v.page.add_init_script(VIOLATIONS)
    v.page.goto(base + PAGE)
    for _ in range(200):  # page.evaluate polls: wait_for_function evaluates a string, which the CSP forbids
        if v.page.evaluate(DRAWN) == 2:
            break
        v.page.wait_for_timeout(100)
    assert v.page.evaluate(DRAWN) == 2
    v.page.wait_for_load_state("networkidle")
    return v, scripts


def test_both_diagrams_drawn_from_the_modules_without_the_whole_bundle(visit, base):
    v, scripts = open_drawn(visit, base, "light")
    names = [url.rsplit("/", 1)[1] for url in scripts]
    assert "mermaid.esm.min.mjs" in names and "mermaid.min.js" not in names
    assert any(n.startswith("flowDiagram-") for n in names) and any(n.startswith("sequenceDiagram-") for n in names)
    assert not [n for n in names if re.match(r"(gantt|class|er|pie|gitGraph|c4)Diagram-", n)]  # not on this page
    assert all(url.startswith(base + "notes/assets/") for url in scripts)  # relative links under the sub-path
    assert sum(scripts.values()) < BUNDLE * 0.6, scripts
    assert v.page.evaluate(FILLS) == [LIGHT_FILL, LIGHT_FILL]
    assert v.errors == [] and v.external == [] and v.page.evaluate("window.__csp") == []


def test_dark_mode_and_the_toggle_redraw_from_the_modules(visit, base):
    v, _ = open_drawn(visit, base, "dark")
    fills = v.page.evaluate(FILLS)
    assert fills[0] == DARK_FILL and LIGHT_FILL not in fills
    v.page.click(".theme-toggle")
    for _ in range(200):
        if v.page.evaluate(FILLS) == [LIGHT_FILL, LIGHT_FILL]:
            break
        v.page.wait_for_timeout(100)
    assert v.page.evaluate(FILLS) == [LIGHT_FILL, LIGHT_FILL]
    assert v.errors == [] and v.page.evaluate("window.__csp") == []


def test_drawn_diagrams_keep_their_ids_and_text_alternatives(visit, base):
    v, _ = open_drawn(visit, base, "light")
    svgs = v.page.locator("figure.diagram > pre.mermaid > svg")
    ids = [svgs.nth(i).get_attribute("id") for i in range(2)]
    assert all(i.startswith("coursenotes-diagram-") for i in ids) and len(set(ids)) == 2
    labels = [svgs.nth(i).get_attribute("aria-label") for i in range(2)]
    assert labels[0].startswith("Diagram. Source: flowchart LR inputs --> program")
    assert labels[1].startswith("Diagram. Source: sequenceDiagram Reader->>Site")
    assert all(svgs.nth(i).get_attribute("role") == "img" for i in range(2))


def test_diagrams_keep_their_source_when_the_modules_do_not_load(visit, base):
    v = visit(scheme="light")
    v.page.route("**/assets/mermaid/**", lambda r: r.abort("aborted"))
    v.page.goto(base + PAGE)
    v.page.wait_for_selector(".diagram-error-note >> nth=1", timeout=20_000)
    assert v.page.locator("pre.mermaid.diagram-error").all_inner_texts()[1].startswith("sequenceDiagram")
    assert v.page.locator("figure.diagram svg").count() == 0
