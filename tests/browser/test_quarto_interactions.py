"""Quarto's blocks in Chromium: tabs by click and keyboard, callouts and folded code that open, margin notes, dark mode, no script."""

from __future__ import annotations

import pytest
from tests.browser.conftest import serve, shoot
from tests.conftest import SiteMaker

from coursenotes.build import BuildOptions, build

pytestmark = pytest.mark.slow

POST = """\
---
title: "Blocks"
date: 2024-12-01
execute:
  eval: false
---

## Callouts

::: {.callout-caution collapse="true"}
## The answer

Forty-two.
:::

::: {.callout-note}
A plain note.
:::

## Tabs

::: {.panel-tabset group="lib"}
## fastai

Use `vision_learner`.

## PyTorch

Write the loop.

## JAX

Use optax.
:::

::: {.panel-tabset group="lib"}
## fastai

Second fastai.

## PyTorch

Second PyTorch.
:::

## Code

```{python}
#| code-fold: true
hidden_setup = 1
```

## Margin

The paragraph the margin note belongs to, long enough to fill a line or two of the text column.

::: {.column-margin}
A margin note.
:::

Text after the note.
"""


@pytest.fixture(scope="module")
def base_url(tmp_path_factory):
    """A one-post site with every interactive block, served on 127.0.0.1."""
    maker = SiteMaker(tmp_path_factory.mktemp("blocks") / "site")
    maker.post("2024-12-01-blocks/index.qmd", POST)
    result = build(maker.root, BuildOptions(search=False))
    assert result.ok, result.errors
    with serve(maker.root / "_site") as url:
        yield url + "posts/blocks/"


def tabs(page, n: int):
    """The n-th tabset's tabs (0-based)."""
    return page.locator(".panel-tabset").nth(n).get_by_role("tab")


def panel_texts(page, n: int) -> list[str]:
    """The visible panels' text in the n-th tabset."""
    return [t.strip() for t in page.locator(".panel-tabset").nth(n).get_by_role("tabpanel").all_inner_texts()]


def test_tabs_switch_by_click_and_keyboard_and_groups_follow(visit, base_url):
    from playwright.sync_api import expect

    v = visit()
    page = v.page
    page.goto(base_url)
    assert tabs(page, 0).all_inner_texts() == ["fastai", "PyTorch", "JAX"]
    assert panel_texts(page, 0) == ["Use vision_learner."]  # only the selected panel is shown
    tabs(page, 0).nth(1).click()
    expect(tabs(page, 0).nth(1)).to_have_attribute("aria-selected", "true")
    assert panel_texts(page, 0) == ["Write the loop."]
    assert panel_texts(page, 1) == ["Second PyTorch."]  # same group, same choice
    page.keyboard.press("ArrowRight")
    expect(tabs(page, 0).nth(2)).to_be_focused()
    assert panel_texts(page, 0) == ["Use optax."] and panel_texts(page, 1) == ["Second PyTorch."]  # no JAX tab there
    page.keyboard.press("ArrowRight")  # wraps to the first
    expect(tabs(page, 0).nth(0)).to_be_focused()
    page.keyboard.press("End")
    expect(tabs(page, 0).nth(2)).to_have_attribute("tabindex", "0")
    assert [t.get_attribute("tabindex") for t in tabs(page, 0).all()] == ["-1", "-1", "0"]
    tabs(page, 1).nth(1).click()
    page.reload()  # the group's choice is remembered
    assert panel_texts(page, 0) == ["Write the loop."] and panel_texts(page, 1) == ["Second PyTorch."]
    toc = page.locator("nav.toc").inner_text()
    assert "Tabs" in toc and "PyTorch" not in toc and "The answer" not in toc
    assert v.errors == [] and v.external == []


def test_a_link_to_a_tab_opens_it(visit, base_url):
    v = visit()
    v.page.goto(base_url + "#jax")  # the JAX tab title's id
    assert panel_texts(v.page, 0) == ["Use optax."]
    v.page.evaluate("location.hash = '#pytorch-1'")  # the second tabset's PyTorch tab
    v.page.wait_for_function("document.querySelector('#pytorch-1').closest('[role=tabpanel]').hidden === false")
    assert panel_texts(v.page, 1) == ["Second PyTorch."]
    assert v.errors == []


def test_collapsed_callout_and_folded_cell_open(visit, base_url):
    v = visit()
    page = v.page
    page.goto(base_url)
    answer = page.get_by_text("Forty-two.")
    assert not answer.is_visible()
    page.locator("details.callout > summary").click()
    assert answer.is_visible()
    code = page.locator("details.code-fold pre")
    assert not code.is_visible() and page.locator("details.code-fold > summary").inner_text() == "Code"
    page.locator("details.code-fold > summary").click()
    assert code.is_visible() and "hidden_setup = 1" in code.inner_text()
    assert v.errors == [] and v.external == []


def box(page, selector: str) -> dict:
    return page.locator(selector).first.bounding_box()


def test_margin_note_in_the_margin_on_a_laptop_and_inline_on_a_phone(visit, base_url):
    on_laptop = visit(width=1366)
    laptop = on_laptop.page
    laptop.goto(base_url)
    note, text = box(laptop, ".column-margin"), box(laptop, ".post-body > p")
    assert note["x"] >= text["x"] + text["width"] and note["x"] + note["width"] <= 1366
    after = laptop.get_by_text("Text after the note.").bounding_box()
    assert abs(note["y"] - after["y"]) < 10  # level with where it stands in the text
    shoot(laptop, "quarto-blocks-laptop")
    on_phone = visit(width=390, height=800)
    phone = on_phone.page
    phone.goto(base_url)
    note, paragraph = box(phone, ".column-margin"), box(phone, "h2#margin ~ p")
    assert note["x"] >= paragraph["x"] - 1 and note["x"] + note["width"] <= paragraph["x"] + paragraph["width"] + 1
    after = phone.get_by_text("Text after the note.").bounding_box()
    assert paragraph["y"] + paragraph["height"] <= note["y"] < after["y"]  # in line, where it stands in the text
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    shoot(phone, "quarto-blocks-phone")
    assert on_laptop.errors == on_phone.errors == [] and on_laptop.external == on_phone.external == []


# Contrast of an element's text on its nearest painted background; colours are normalised through a
# canvas, so color-mix() and color(srgb ...) values compare like rgb().
CONTRAST = """el => {
  const ctx = document.createElement('canvas').getContext('2d');
  const rgb = c => { ctx.clearRect(0, 0, 1, 1); ctx.fillStyle = c; ctx.fillRect(0, 0, 1, 1); return ctx.getImageData(0, 0, 1, 1).data; };
  let bg = el;
  while (bg && rgb(getComputedStyle(bg).backgroundColor)[3] === 0) bg = bg.parentElement;
  const lum = c => { const v = [0, 1, 2].map(i => { const s = c[i] / 255; return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4; });
                     return 0.2126 * v[0] + 0.7152 * v[1] + 0.0722 * v[2]; };
  const a = lum(rgb(getComputedStyle(el).color)), b = lum(rgb(getComputedStyle(bg || document.body).backgroundColor));
  return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
}"""

READABLE = [
    ".callout-header .callout-title-container",
    ".callout-note .callout-body p",
    ".panel-tabset .nav-link.active",
    ".panel-tabset .nav-link:not(.active)",
    "details.code-fold > summary",
    ".column-margin p",
]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_blocks_are_readable_in_both_themes(visit, base_url, scheme):
    v = visit(scheme=scheme)
    page = v.page
    page.goto(base_url)
    dark = page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(13, 17, 23)"
    assert dark == (scheme == "dark")
    for selector in READABLE:
        ratio = page.locator(selector).first.evaluate(CONTRAST)
        assert ratio >= 4.5, f"{scheme}: {selector} contrast {ratio:.2f}"
    shoot(page, f"quarto-blocks-{scheme}")
    assert v.errors == [] and v.external == []


def test_without_javascript_every_tab_reads_in_order(browser, base_url):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        page.goto(base_url)
        first = page.locator(".panel-tabset").first
        assert not first.get_by_role("tablist").is_visible()
        assert [t.strip() for t in first.locator(".tab-heading").all_inner_texts()] == ["fastai", "PyTorch", "JAX"]
        assert all(p.is_visible() for p in first.get_by_role("tabpanel").all())
        assert first.get_by_role("heading", name="PyTorch").get_attribute("aria-level") == "2"
    finally:
        context.close()
