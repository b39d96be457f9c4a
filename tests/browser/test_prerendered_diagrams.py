"""Diagrams drawn at build time: the lesson-1 page is light, shows its diagrams without JavaScript, and goes dark."""

from __future__ import annotations

import re

import pytest
from tests.browser.conftest import serve
from tests.conftest import REPO, SiteMaker

from coursenotes.build import BuildOptions, build

pytestmark = pytest.mark.slow

BUDGET = 300_000  # bytes of HTML + CSS + JS for the lesson-1 page
PAGE = "posts/fastai-lesson-1/"
LIGHT_FILL, DARK_FILL = "rgb(236, 236, 255)", "rgb(31, 32, 32)"  # mermaid's default / dark node fill
NODE_FILL = """() => Array.from(document.querySelectorAll('.diagram-svg'))
  .filter(d => d.offsetParent !== null)
  .map(d => getComputedStyle(d.querySelector('.node path, .node rect')).fill)"""


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The repository's site built from the committed frozen store, no kernel and no browser."""
    out = tmp_path_factory.mktemp("frozen") / "site"
    result = build(REPO, BuildOptions(frozen=True, out=out, search=False))
    assert result.ok, [str(e) for e in result.errors]
    return out


def test_lesson_page_weighs_under_300_kb(site):
    page = site / PAGE / "index.html"
    html = page.read_text()
    refs = re.findall(r'<(?:script|link)\b[^>]*(?:src|href)="([^"]+\.(?:js|css))"', html)
    total = page.stat().st_size + sum((page.parent / ref).resolve().stat().st_size for ref in refs)
    assert html.count('<div class="diagram-svg"') == 5 and "assets/mermaid/" not in html
    assert total <= BUDGET, f"{total} bytes: {refs}"


def test_diagrams_show_with_javascript_disabled(browser, site):
    context = browser.new_context(java_script_enabled=False, color_scheme="light")
    try:
        with serve(site) as base:
            page = context.new_page()
            requests = []
            page.on("request", lambda r: requests.append(r.url))
            page.goto(base + PAGE)
            boxes = page.eval_on_selector_all(
                ".diagram-svg svg",
                "els => els.filter(e => e.offsetParent !== null).map(e => e.getBoundingClientRect().width)",
            )
            assert len(boxes) == 5 and min(boxes) > 100
            assert page.evaluate(NODE_FILL) == [LIGHT_FILL] * 5
            assert not [u for u in requests if "mermaid" in u]
    finally:
        context.close()


def test_dark_mode_follows_the_system_and_the_toggle(visit, site):
    with serve(site) as base:
        dark = visit(scheme="dark")
        dark.page.goto(base + PAGE)
        assert dark.page.evaluate(NODE_FILL) == [DARK_FILL] * 5
        light = visit(scheme="light")
        light.page.goto(base + PAGE)
        assert light.page.evaluate(NODE_FILL) == [LIGHT_FILL] * 5
        light.page.click(".theme-toggle")  # the site's toggle: data-theme="dark" on <html>
        assert light.page.evaluate(NODE_FILL) == [DARK_FILL] * 5
        assert light.errors == [] and dark.errors == []


@pytest.mark.draws_diagrams
def test_a_build_draws_new_diagrams_and_leaves_broken_ones_to_the_reader(tmp_path):
    maker = SiteMaker(tmp_path / "site")
    good = "```mermaid\nflowchart LR\n  A[Start] --> B[End]\n```"
    other = "```mermaid\nflowchart TD\n  A --> C\n```"
    broken = "```mermaid\nflowchart LR\n  A[unclosed -->\n```"
    maker.post("2024-05-01-two/index.md", f"---\ntitle: Two\n---\n\n{good}\n\n{other}\n")
    maker.post("2024-05-02-bad/index.md", f"---\ntitle: Bad\n---\n\n{good}\n\n{broken}\n")
    result = build(maker.root, BuildOptions(search=False))
    assert result.ok and result.notes == []
    assert len(list((maker.root / "_frozen/diagrams").glob("*.json"))) == 2
    two, bad = maker.read("posts/two/index.html"), maker.read("posts/bad/index.html")
    ids = re.findall(r'<svg id="([^"]+)"', two)
    assert len(ids) == 2 and len(set(ids)) == 2 and "assets/mermaid/" not in two
    first, second = (set(re.findall(r'\bid="([^"]+)"', svg)) for svg in two.split("<svg ")[1:3])
    assert first and second and not first & second  # no id of one diagram is also the other's
    assert (
        bad.count('<pre class="mermaid">') == 1
        and "assets/mermaid/mermaid.esm.min.mjs" in bad
        and "<script" not in bad.split("<svg")[1].split("</svg>")[0]
    )
    assert (maker.root / ".coursenotes-cache/diagrams-failed.json").is_file()
