"""Quarto's block features through a whole build: code-fold at site, post and cell level, and the blocks in a page."""

import base64
import json
import re

from tests.browser.test_reader_journey import png
from tests.conftest import REPO

from coursenotes.build import BuildOptions, build
from coursenotes.settings import attributes, metadata_args, page_options

SITE_FOLD = """\
format:
  html:
    code-fold: true
    code-summary: "Site summary"
"""

CELLS = """\
```{python}
a = 1
```

```{python}
#| code-fold: false
b = 2
```

```{python}
#| code-fold: show
#| code-summary: "Cell summary"
c = 3
```
"""


def qmd(title: str, front: str = "") -> str:
    """A .qmd post whose cells are shown but not run (no kernel needed)."""
    return f'---\ntitle: "{title}"\ndate: 2024-01-01\nexecute:\n  eval: false\n{front}---\n\n{CELLS}'


def folds(page: str) -> list[tuple[bool, str]]:
    """Each folded block of a page: (starts open, summary text), in order."""
    return [
        (bool(o), s) for o, s in re.findall(r'<details class="code-fold"( open)?>\s*<summary>(.*?)</summary>', page)
    ]


def build_ok(site):
    result = build(site.root, BuildOptions(search=False))
    assert result.ok, [str(e) for e in result.errors]


def test_page_options_merge_in_quartos_order():
    site = {"code-fold": True, "format": {"html": {"code-summary": "Site"}}}
    post = {"code-fold": "show", "format": {"html": {"code-line-numbers": True, "code-fold": False}}, "title": "x"}
    assert page_options(site, {}) == {"code-fold": True, "code-summary": "Site"}
    assert page_options(site, post) == {"code-fold": False, "code-summary": "Site", "code-line-numbers": True}
    assert metadata_args({"code-fold": True, "code-summary": "Show it"}) == [
        "--metadata=code-fold=true",
        "--metadata=code-summary=Show it",
    ]


def test_cell_attributes_are_quoted_and_lists_become_json():
    opts = {"code-summary": 'Say "hi"', "layout": [[1, 1], [1]], "column": "margin", "echo": False}
    assert attributes(opts, ("code-summary",)) == ' code-summary="Say \\"hi\\""'
    assert attributes(opts, ("column", "layout")) == ' column="margin" layout="[[1,1],[1]]"'


def test_code_fold_at_site_post_and_cell_level(site):
    (site.root / "_quarto.yml").write_text((site.root / "_quarto.yml").read_text() + SITE_FOLD)
    site.post("2024-01-01-site/index.qmd", qmd("Site default"))
    site.post(
        "2024-01-02-post/index.qmd",
        qmd("Post override", 'code-fold: show\nformat:\n  html:\n    code-summary: "Post summary"\n'),
    )
    site.post("2024-01-03-plain.md", "---\ntitle: Plain\ndate: 2024-01-03\n---\n\n```python\nnot_a_cell = 1\n```\n")
    build_ok(site)
    # Site: every cell folds closed with the site's summary; a cell's own options win.
    assert folds(site.read("posts/site/index.html")) == [(False, "Site summary"), (True, "Cell summary")]
    # Post: its front matter beats the site (open, its own summary); the cell still has the last word.
    assert folds(site.read("posts/post/index.html")) == [(True, "Post summary"), (True, "Cell summary")]
    # A plain fence is not a cell: Quarto never folds those.
    assert "code-fold" not in site.read("posts/plain/index.html")


def test_changing_the_site_option_re_renders_cached_pages(site):
    site.post("2024-01-01-a/index.qmd", qmd("A"))
    build_ok(site)
    assert folds(site.read("posts/a/index.html")) == [(True, "Cell summary")]
    (site.root / "_quarto.yml").write_text((site.root / "_quarto.yml").read_text() + SITE_FOLD)
    build_ok(site)
    assert folds(site.read("posts/a/index.html")) == [(False, "Site summary"), (True, "Cell summary")]


BLOCKS = """\
---
title: Blocks
date: 2024-01-01
---

## Intro

::: {.callout-tip collapse="true"}
## Hidden tip

Tip body.
:::

::: {.panel-tabset}
## Tab one

One.

### Inside a tab

Deeper.

## Tab two

Two.
:::

## Middle

```{.python filename="a.py" code-line-numbers="true"}
x = 1
```

::: {.column-margin}
In the margin.
:::

## Outro
"""


def test_blocks_in_a_built_page_and_its_contents(site):
    site.post("2024-01-01-blocks.md", BLOCKS)
    build_ok(site)
    page = site.read("posts/blocks/index.html")
    toc = page.split('<nav class="toc"', 1)[1].split("</nav>", 1)[0]
    assert "Intro" in toc and "Middle" in toc and "Outro" in toc
    assert "Hidden tip" not in toc and "Tab one" not in toc and "Inside a tab" not in toc
    assert '<details class="callout callout-style-default callout-tip callout-titled callout-collapse">' in page
    assert page.count('role="tab"') == 2 and page.count('role="tabpanel"') == 2
    assert '<div class="code-with-filename-file"><pre><strong>a.py</strong></pre></div>' in page
    assert "numberLines" in page and '<div class="column-margin">' in page
    assert "/assets/quarto.css" in page and "/assets/tabsets.js" in page
    assert (site.root / "_site/assets/quarto.css").is_file() and (site.root / "_site/assets/tabsets.js").is_file()


def test_the_repository_post_shows_every_block_feature(tmp_path):
    result = build(REPO, BuildOptions(frozen=True, out=tmp_path / "site", search=False))
    assert result.ok, [str(e) for e in result.errors]
    page = (tmp_path / "site/posts/quarto-features/index.html").read_text()
    for kind in ("note", "tip", "warning", "important", "caution"):
        assert f"callout-{kind}" in page
    assert page.count('class="panel-tabset" data-group="library"') == 2
    assert folds(page) == [(False, "Show the code"), (True, "The training loop, open by default")]
    assert '<figure id="fig-digits" class="quarto-layout-panel">' in page and "(c) A one" in page
    assert (
        'src="https://www.youtube.com/embed/8SF_h3xF3cE?start=116"' in page
        and '<kbd class="kbd">Shift-Enter</kbd>' in page
    )
    assert "{{&lt; video" in page and "{{{" not in page  # the escaped example shows as the shortcode
    assert (tmp_path / "site/posts/quarto-features/digit-three.svg").is_file()


UNSUPPORTED = """\
---
title: Unsupported
date: 2024-01-01
code-tools: true
format:
  html:
    lightbox: true
---

Fine text.

::: {layout-ncol=2 layout-valign="bottom"}
One

Two
:::

::: {.panel-tabset}
No headings here.
:::

Press {{< kbd Ctrl-C mode=plain >}}.
"""


def test_unsupported_options_are_warnings_with_their_lines(site):
    (site.root / "_quarto.yml").write_text(
        (site.root / "_quarto.yml").read_text() + "format:\n  html:\n    code-link: true\n"
    )
    site.post("2024-01-01-unsupported.md", UNSUPPORTED)
    result = build(site.root, BuildOptions(search=False))
    assert result.ok, result.errors
    post = "posts/2024-01-01-unsupported.md"
    assert result.notes == ["_quarto.yml: `code-link` is not supported: code is not linked to documentation"]
    warnings = [str(w).replace(str(site.root) + "/", "") for w in result.warnings]
    assert warnings == [
        f"{post}:4: warning: `code-tools` is not supported: the page has no code-tools menu",
        f"{post}:7: warning: `lightbox` is not supported: images do not open in a lightbox",
        f"{post}:12: warning: `layout-valign` is not supported: cells are centred and top-aligned",
        f"{post}:18: warning: `panel-tabset` has no headings, so no tabs: its content is shown as it is",
        f"{post}:22: warning: `mode=plain` of {{{{< kbd >}}}} is not supported: the keys are shown as written",
    ]
    page = site.read("posts/unsupported/index.html")
    assert "No headings here." in page and "One" in page and "<kbd" in page  # shown, never dropped
    again = build(site.root, BuildOptions(search=False))  # from the render cache too
    assert (
        again.notes == result.notes and [str(w).replace(str(site.root) + "/", "") for w in again.warnings] == warnings
    )


def test_cell_options_lay_out_a_notebooks_stored_images(site):
    image = {"output_type": "display_data", "metadata": {}, "data": {"image/png": base64.b64encode(png()).decode()}}
    source = (
        '#| layout-ncol: 2\n#| fig-cap: ["Before", "After"]\n#| fig-alt: ["A red square", "The same square"]\n'
        "#| column: page\n#| code-fold: true\nshow_two()"
    )
    nb = {
        "nbformat": 4,
        "nbformat_minor": 5,
        "metadata": {"kernelspec": {"name": "python3", "language": "python"}},
        "cells": [
            {"cell_type": "raw", "metadata": {}, "source": "---\ntitle: Grid\ndate: 2024-01-01\n---"},
            {
                "cell_type": "code",
                "metadata": {},
                "execution_count": 1,
                "source": source,
                "outputs": [image, dict(image, data={"image/png": base64.b64encode(png(rgb=(0, 0, 200))).decode()})],
            },
        ],
    }
    site.post("2024-01-01-grid/index.ipynb", json.dumps(nb))
    build_ok(site)
    page = site.read("posts/grid/index.html")
    assert folds(page) == [(False, "Code")]
    panel = page.split('<div class="quarto-layout-panel column-page">', 1)[1]
    cells = re.findall(
        r'<div class="quarto-layout-cell" style="flex-basis: 50.0%;">\s*<div class="cell-output cell-output-display">\s*'
        r'<figure>\s*<img src="(figure-[0-9a-f]+\.png)"[^>]*alt="([^"]+)"[^>]*/>\s*<figcaption>(\w+)</figcaption>',
        panel,
    )
    assert [(alt, cap) for _, alt, cap in cells] == [("A red square", "Before"), ("The same square", "After")]
    assert all((site.root / "_site/posts/grid" / name).is_file() for name, _, _ in cells)
