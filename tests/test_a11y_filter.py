"""a11y.lua under plain pandoc: scrolling blocks focusable and named, empty header cells labelled, diagrams untouched."""

from __future__ import annotations

import subprocess

import pytest
import yaml
from tests.conftest import REPO

from coursenotes.render.pandoc import filters, pandoc_path

EXTENSION = REPO / "_extensions" / "coursenotes"
PANDAS = """\
::: {.cell-output .cell-output-display}
```{=html}
<div>
<table border="1" class="dataframe">
  <thead>
    <tr style="text-align: right;"><th></th><th>train_loss</th><th>valid_loss</th></tr>
    <tr><th>epoch</th><th></th><th></th></tr>
  </thead>
  <tbody><tr><th>0</th><td>1.2</td><td>0.9</td></tr></tbody>
</table>
</div>
```
:::
"""


def html(markdown: str, order=None, to: str = "html5") -> str:
    """markdown through pandoc with the site's filters (in the build's order unless given)."""
    args = [pandoc_path(), "-f", "markdown", "-t", to, "--syntax-highlighting=pygments", "--wrap=none"]
    args += [f"--lua-filter={f}" for f in (order or filters(REPO))]
    return subprocess.run(args, input=markdown, capture_output=True, text=True, check=True, cwd=REPO).stdout


def test_the_extension_runs_it_after_coursenotes_lua():
    manifest = yaml.safe_load((EXTENSION / "_extension.yml").read_text())
    listed = manifest["contributes"]["filters"]
    assert "a11y.lua" in listed and listed.index("a11y.lua") > listed.index("coursenotes.lua")


def test_highlighted_code_is_focusable_and_named_on_its_scrolling_div():
    out = html("```python\nx = 1\n```\n")
    assert '<div class="sourceCode" id="cb1" tabindex="0" role="group" aria-label="Python code"><pre' in out


def test_plain_code_and_outputs_are_named_for_what_they_are():
    out = html(
        "```\nplain\n```\n\n::: {.cell-output .cell-output-stdout}\n```\nhi\n```\n:::\n\n"
        '::: {.cell-output .cell-output-stderr}\n```{=html}\n<pre><code><span class="ansi-red-fg">warn</span></code></pre>\n```\n:::\n\n'
        "::: {.cell-output .cell-output-error}\n```{=html}\n<pre><code>ValueError</code></pre>\n```\n:::\n"
    )
    assert '<pre tabindex="0" role="group" aria-label="Code"><code>plain' in out
    assert '<pre tabindex="0" role="group" aria-label="Output"><code>hi' in out
    assert '<pre tabindex="0" role="group" aria-label="Standard error"><code><span class="ansi-red-fg">warn' in out
    assert '<pre tabindex="0" role="group" aria-label="Error"><code>ValueError' in out


def test_a_display_of_other_html_scrolls_in_a_named_box():
    out = html(
        '::: {.cell-output .cell-output-display}\n```{=html}\n<div style="width: 90rem">wide widget</div>\n```\n:::\n'
    )
    assert '<div class="cell-output cell-output-display" tabindex="0" role="group" aria-label="Output">' in out


def test_an_authors_own_attributes_are_kept():
    out = html('```{.python tabindex="-1" aria-label="Setup"}\nx = 1\n```\n')
    assert 'tabindex="-1"' in out and 'aria-label="Setup"' in out and 'tabindex="0"' not in out


@pytest.mark.parametrize("order", [None, [EXTENSION / "coursenotes.lua", EXTENSION / "a11y.lua"]])
def test_diagrams_are_left_as_coursenotes_lua_writes_them(order):
    out = html("```mermaid\nflowchart LR\n  a --> b\n```\n", order)
    assert '<pre class="mermaid">flowchart LR\n  a --&gt; b</pre>' in out and "tabindex" not in out


def test_pandas_tables_get_a_labelled_corner_and_plain_blanks():
    out = html(PANDAS)
    assert '<table border="1" class="dataframe" tabindex="0" aria-label="Output table">' in out
    assert (
        '<tr style="text-align: right;"><th><span class="visually-hidden">Index</span></th><th>train_loss</th>' in out
    )
    assert "<tr><th>epoch</th><td></td><td></td></tr>" in out
    assert "<tr><th>0</th><td>1.2</td>" in out


def test_markdown_tables_are_focusable_named_and_keep_their_caption():
    out = html("|   | A |\n|---|---|\n| x | 1 |\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n: Sizes\n")
    first, second = out.split("</table>")[:2]
    assert (
        '<table tabindex="0" aria-label="Table">' in first
        and '<th><span class="visually-hidden">Item</span></th>' in first
    )
    assert '<table tabindex="0">' in second and "<caption>Sizes</caption>" in second


def test_raw_html_with_a_caption_or_its_own_tabindex_is_not_renamed():
    out = html(
        '```{=html}\n<table><caption>Runs</caption><tr><td>1</td></tr></table>\n<pre tabindex="-1">x</pre>\n```\n'
    )
    assert '<table tabindex="0"><caption>Runs</caption>' in out and '<pre tabindex="-1">x</pre>' in out


def test_other_formats_are_untouched():
    out = html("```python\nx = 1\n```\n", to="markdown")
    assert "tabindex" not in out and "aria-label" not in out
