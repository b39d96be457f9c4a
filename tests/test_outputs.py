"""Notebook -> pandoc markdown: cell options, the Quarto cell layout, and every kind of output."""

from __future__ import annotations

import base64
import hashlib
import json
import textwrap
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output, new_raw_cell

from coursenotes.markdown import ansi
from coursenotes.markdown.htmlclean import clean_html
from coursenotes.markdown.outputs import PageSource, fence, notebook_markdown
from coursenotes.render.pandoc import render_markdown
from coursenotes.sources.notebook import to_notebook
from coursenotes.sources.posts import read_post

REPO = Path(__file__).resolve().parents[1]
DATA = Path(__file__).parent / "data"
# A 1x1 PNG.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGD4DwABBAEAwS2OUAAAAABJRU5ErkJggg=="
)
SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"><rect width="4" height="4"/></svg>'


def code(source="x", outputs=(), **options) -> nbformat.NotebookNode:
    """A code cell with outputs and `#|` options (option names with `_` written as `-`)."""
    opts = {k.replace("_", "-"): v for k, v in options.items()}
    cell = new_code_cell(source, metadata={"coursenotes": {"options": opts}} if opts else {})
    cell.outputs = list(outputs)  # unvalidated: stored notebooks may hold update_display_data
    return cell


def md(*cells, defaults=None) -> PageSource:
    """notebook_markdown over the given cells."""
    nb = nbformat.from_dict({"cells": list(cells), "metadata": {}, "nbformat": 4, "nbformat_minor": 5})  # unvalidated
    return notebook_markdown(nb, defaults or {})


def stream(text, name="stdout"):
    return new_output("stream", name=name, text=text)


def display(data, **kw):
    return new_output("display_data", data=data, **kw)


def result(data):
    return new_output("execute_result", data=data, execution_count=1)


def png_output(**meta):
    return display({"image/png": base64.b64encode(PNG).decode(), "text/plain": "<Figure>"}, **meta)


def html_of(page: PageSource) -> str:
    """The page through pandoc and the repo's Lua filter."""
    return render_markdown(page.markdown, REPO, Path("test.md")).html


# --- the cell layout and options --------------------------------------------------------------


def test_cell_layout_is_quartos():
    page = md(code('print("hi")', [stream("hi\n")], label="intro"))
    assert page.markdown == textwrap.dedent("""\
        :::: {#intro .cell}
        ```{.python .cell-code}
        print("hi")
        ```

        ::: {.cell-output .cell-output-stdout}
        ```
        hi
        ```
        :::
        ::::
        """)
    html = html_of(page)
    assert '<div id="intro" class="cell">' in html and '<div class="cell-output cell-output-stdout">' in html
    assert "cell-code" in html


@pytest.mark.parametrize(
    "opts, code_shown, output_shown",
    [
        ({}, True, True),
        ({"echo": False}, False, True),
        ({"output": False}, True, False),
        ({"include": False}, False, False),
        ({"eval": False}, True, False),
        ({"eval": False, "echo": False}, False, False),
    ],
)
def test_echo_output_include_eval(opts, code_shown, output_shown):
    text = md(code("print('hello')", [stream("hello\n")], **opts)).markdown
    assert ("print('hello')" in text) == code_shown
    assert ("cell-output-stdout" in text) == output_shown
    if not code_shown and not output_shown:
        assert text.strip() == ""


def test_cell_options_override_execute_defaults():
    defaults = {"echo": False}
    assert "cell-code" not in md(code("1", [stream("1\n")]), defaults=defaults).markdown
    assert "cell-code" in md(code("1", [stream("1\n")], echo=True), defaults=defaults).markdown


def test_removal_tags_act_like_options():
    cell = code("secret()", [stream("shown\n")])
    cell.metadata["tags"] = ["remove-input"]
    text = md(cell).markdown
    assert "secret()" not in text and "shown" in text
    cell.metadata["tags"] = ["remove-cell"]
    assert md(cell).markdown.strip() == ""


def test_output_asis_emits_raw_markdown():
    text = md(
        code("x", [stream("## Made by code\n"), display({"text/markdown": "*em*", "text/plain": "x"})], output="asis")
    ).markdown
    assert "\n## Made by code\n" in text and "\n*em*\n" in text
    assert "cell-output-stdout" not in text and "cell-output-display" not in text
    html = html_of(md(code("x", [stream("## Made by code\n")], output="asis", echo=False)))
    assert "<h2" in html and "Made by code" in html


def test_empty_cells_and_cells_without_output():
    assert md(code("", [])).markdown.strip() == ""
    assert "cell-output" not in md(code("x = 1", [])).markdown


# --- streams ----------------------------------------------------------------------------------


def test_streams_merge_and_stderr_is_its_own_div():
    text = md(code("x", [stream("a\n"), stream("b\n"), stream("careful\n", "stderr"), stream("c\n")])).markdown
    assert text.count("cell-output-stdout") == 2 and "```\na\nb\n```" in text
    html = html_of(md(code("x", [stream("careful\n", "stderr")])))
    assert '<div class="cell-output cell-output-stderr">' in html and "careful" in html


def test_warning_false_hides_stderr_only():
    text = md(code("x", [stream("kept\n"), stream("UserWarning: hidden\n", "stderr")], warning=False)).markdown
    assert "kept" in text and "hidden" not in text


def test_carriage_returns_keep_the_final_progress_text():
    chunks = ["\r  0%|          | 0/3", "\r 33%|###       | 1/3", "\r100%|##########| 3/3", "\n", "done\n"]
    text = md(code("x", [stream(c, "stderr") for c in chunks])).markdown
    assert "100%|##########| 3/3\ndone" in text and "0/3" not in text and "\r" not in text
    assert ansi.collapse("abc\r\ndef") == "abc\ndef"
    assert ansi.collapse("ab\x08c") == "ac"


def test_ansi_colours_become_spans_and_text_is_escaped():
    text = md(code("x", [stream("\x1b[31mred <b>\x1b[0m & \x1b[1;32mbold green\x1b[39m\x1b[0m\n")])).markdown
    assert "\x1b" not in text
    html = html_of(md(code("x", [stream("\x1b[31mred <b>\x1b[0m & plain\n")])))
    assert '<span class="ansi-red-fg"' in html and "red &lt;b&gt;</span>" in html and "&amp; plain" in html


def test_ansi_details():
    assert (
        ansi.to_html("\x1b[1;31mX\x1b[0mY")
        == '<span class="ansi-red-fg ansi-bold" style="color: #e75c58; font-weight: bold">X</span>Y'
    )
    assert "rgb(255,0,0)" in ansi.to_html("\x1b[38;5;196mX") and "rgb(1,2,3)" in ansi.to_html("\x1b[48;2;1;2;3mX")
    assert ansi.to_html("\x1b[94mX").startswith('<span class="ansi-blue-intense-fg"')
    assert ansi.to_html("a\x1b[2Kb\x1b]8;;http://x\x07c\x1b]8;;\x07") == "abc"  # cursor codes, hyperlinks dropped
    assert ansi.collapse("\x1b[31mold\rnew") == "\x1b[31mnew"  # colour set before \r survives


def test_plain_stream_text_is_escaped_by_pandoc():
    html = html_of(md(code("x", [stream("<script>alert(1)</script>\n")])))
    assert "&lt;script&gt;" in html and "<script>" not in html


# --- rich outputs -----------------------------------------------------------------------------


def test_mime_priority():
    both = {"text/markdown": "**md**", "text/html": "<b>html</b>", "text/plain": "plain"}
    text = md(code("x", [display(both)])).markdown
    assert "**md**" in text and "html" not in text and ".cell-output-markdown" in text
    text = md(code("x", [display({"text/html": "<b>html</b>", "text/plain": "plain"})])).markdown
    assert "```{=html}\n<b>html</b>\n```" in text and "plain" not in text
    page = md(
        code(
            "x", [display({"image/svg+xml": SVG, "image/png": base64.b64encode(PNG).decode(), "text/html": "<p>h</p>"})]
        )
    )
    assert list(page.files) == [f"figure-{hashlib.sha256(SVG.encode()).hexdigest()[:16]}.svg"]
    assert "<p>h</p>" not in page.markdown


def test_execute_result_text_plain_is_a_plain_code_block():
    text = md(code("6 * 7", [result({"text/plain": "42"})])).markdown
    assert "::: {.cell-output .cell-output-display}\n```\n42\n```\n:::" in text


def test_images_are_content_addressed_files():
    page = md(code("plot()", [png_output()]))
    name = f"figure-{hashlib.sha256(PNG).hexdigest()[:16]}.png"
    assert page.files == {name: PNG}
    assert f'![]({name}){{.cell-output-image alt="Output of cell 1"}}' in page.markdown
    html = html_of(page)
    assert f'src="{name}"' in html and 'alt="Output of cell 1"' in html and "<figcaption" not in html


def test_image_alt_text_and_caption():
    html = html_of(md(code("plot()", [png_output()], fig_cap="Loss *per* epoch", fig_alt="A falling curve")))
    assert "<figure>" in html and "<figcaption>Loss <em>per</em> epoch</figcaption>" in html
    assert 'alt="A falling curve"' in html
    assert 'alt="Loss per epoch"' in html_of(md(code("plot()", [png_output()], fig_cap="Loss per epoch")))
    assert 'alt="Just alt"' in html_of(md(code("plot()", [png_output()], fig_alt="Just alt")))
    html = html_of(md(code("plot()", [png_output()], label="fig-loss")))
    assert 'alt="fig-loss"' in html and 'id="fig-loss"' in html
    two = md(code("a", []), code("plot()", [png_output(), png_output()], fig_cap=["First", "Second"])).markdown
    assert "![First](" in two and "![Second](" in two
    assert 'alt="Output of cell 2"' in md(code("a", []), code("plot()", [png_output()])).markdown


def test_image_size_from_output_metadata():
    text = md(code("x", [png_output(metadata={"image/png": {"width": 320, "height": 240}})])).markdown
    assert 'width="320" height="240"' in text


def test_dataframe_html_keeps_the_table_drops_scoped_style():
    frame = (
        "<div>\n<style scoped>\n    .dataframe tbody tr th:only-of-type {\n        vertical-align: middle;\n    }\n"
        '</style>\n<table border="1" class="dataframe">\n  <thead><tr><th></th><th>a</th></tr></thead>\n'
        "  <tbody><tr><th>0</th><td>1</td></tr></tbody>\n</table>\n</div>"
    )
    html = html_of(md(code("df", [result({"text/html": frame, "text/plain": "   a\n0  1"})])))
    assert (
        '<table border="1" class="dataframe" tabindex="0"' in html
        and "<style" not in html
        and "vertical-align" not in html
    )
    assert "<code>   a" not in html


def test_empty_html_is_dropped_without_falling_back_to_text_plain():
    for markup in ("", "<div></div>", "  \n<div> </div>"):
        assert (
            md(
                code("x", [display({"text/html": markup, "text/plain": "<IPython.core.display.HTML object>"})])
            ).markdown.count("cell-output")
            == 0
        )
    assert clean_html("<div><img src='a.png'></div>") == "<div><img src='a.png'></div>"


def test_fasthtml_markdown_that_is_only_its_html_source_is_not_preferred():
    data = {
        "text/html": '<div><table class="fastprogress"><tr><td>1</td></tr></table></div>',
        "text/markdown": '```html\n<div>\n  <table class="fastprogress">...</table>\n</div>\n\n```',
        "text/plain": "x",
    }
    text = md(code("x", [display(data)])).markdown
    assert "```{=html}" in text and "```html" not in text


def test_markdown_output_with_mermaid_becomes_a_diagram():
    html = html_of(
        md(code("x", [display({"text/markdown": "```mermaid\nflowchart LR\n  a --> b\n```", "text/plain": "x"})]))
    )
    assert '<pre class="mermaid">' in html and "a --&gt; b" in html


def test_latex_output_is_math():
    html = html_of(
        md(
            code("x", [result({"text/latex": r"$\displaystyle \frac{1}{2}$", "text/plain": "1/2"})]),
            code("y", [result({"text/latex": r"\[x^2\]", "text/plain": "x**2"})]),
        )
    )
    assert html.count("<math") == 2 and "\\[" not in html


def test_widget_only_output_is_dropped():
    widget = {"application/vnd.jupyter.widget-view+json": {"model_id": "abc"}, "text/plain": "HBox(children=...)"}
    assert "HBox" not in md(code("x", [display(widget)])).markdown


def test_update_display_data_is_treated_as_display_data():
    out = new_output("display_data", data={"text/plain": "final"})
    out["output_type"] = "update_display_data"
    assert "final" in md(code("x", [out])).markdown


@pytest.mark.parametrize("sample", sorted((DATA / "fastprogress").glob("*.json")), ids=lambda p: p.stem)
def test_fastprogress_noise_is_removed_and_results_kept(sample):
    for case in json.loads(sample.read_text())["cases"]:
        out = nbformat.from_dict(case["output"])
        text = md(code("learn.fit_one_cycle(1)", [out], echo=False)).markdown
        assert "<progress" not in text and "progress {" not in text and "progress:not" not in text, case["name"]
        if case["keep"]:
            assert all(k in text for k in case["keep"]), case["name"]
        else:
            assert text.strip() == "", case["name"]


# --- errors -----------------------------------------------------------------------------------


def test_error_shows_coloured_traceback_and_summary():
    tb = [
        "\x1b[31m---------------------------------------------------------------------------\x1b[39m",
        "\x1b[31mZeroDivisionError\x1b[39m                         Traceback (most recent call last)",
        "\x1b[31mZeroDivisionError\x1b[39m: division by zero",
    ]
    html = html_of(
        md(code("1/0", [new_output("error", ename="ZeroDivisionError", evalue="division by zero", traceback=tb)]))
    )
    assert '<div class="cell-output cell-output-error">' in html
    assert '<span class="ansi-red-fg" style="color: #e75c58">ZeroDivisionError</span>: division by zero' in html
    assert "\x1b" not in html
    bare = md(code("boom()", [new_output("error", ename="KeyError", evalue="'k'", traceback=[])])).markdown
    assert "KeyError: 'k'" in bare


# --- other cells ------------------------------------------------------------------------------


def test_raw_cells_pass_html_and_markdown_only():
    html_cell = new_raw_cell("<aside>note</aside>", metadata={"format": "text/html"})
    latex_cell = new_raw_cell(r"\newpage", metadata={"raw_mimetype": "text/latex"})
    plain_cell = new_raw_cell("*kept as markdown*")
    text = md(html_cell, latex_cell, plain_cell).markdown
    assert "```{=html}\n<aside>note</aside>\n```" in text and "newpage" not in text and "*kept as markdown*" in text


def test_markdown_attachments_become_files():
    cell = new_markdown_cell("![pasted](attachment:image.png)")
    cell["attachments"] = {"image.png": {"image/png": base64.b64encode(PNG).decode()}}
    page = md(cell)
    name = f"attachment-{hashlib.sha256(PNG).hexdigest()[:16]}.png"
    assert page.files == {name: PNG} and f"![pasted]({name})" in page.markdown


def test_fence_outlasts_backticks_inside():
    assert fence("a\n```\nb").startswith("````python\n")
    assert md(code("x", [stream("```\ninside\n```\n")])).markdown.count("````") == 2


def test_stored_outputs_of_an_unexecuted_ipynb_post_are_rendered(site):
    nb = {
        "cells": [
            {"cell_type": "raw", "metadata": {}, "source": ["---\n", "title: Stored\n", "---"]},
            {
                "cell_type": "code",
                "metadata": {},
                "execution_count": 1,
                "source": ["print('hi')"],
                "outputs": [
                    {"output_type": "stream", "name": "stdout", "text": ["hi\n", "there\n"]},
                    {
                        "output_type": "display_data",
                        "metadata": {},
                        "data": {"image/png": [base64.b64encode(PNG).decode()], "text/plain": ["<Figure>"]},
                    },
                ],
            },
        ],
        "metadata": {"kernelspec": {"name": "python3", "language": "python", "display_name": "Python 3"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    path = site.post("stored/index.ipynb", json.dumps(nb))
    page = notebook_markdown(to_notebook(read_post(path)), {})
    assert "```\nhi\nthere\n```" in page.markdown and next(iter(page.files)).endswith(".png")


# --- a real kernel ----------------------------------------------------------------------------

KERNEL_CELLS = [
    "import coursenotes.execution.kernels.kernel_formatters as f; f.register()",
    "print('hello from stdout')",
    "import sys, warnings\nwarnings.warn('careful now')\nprint('to stderr', file=sys.stderr)",
    "import matplotlib.pyplot as plt\nplt.plot([1, 3, 2]);",
    "import pandas as pd\npd.DataFrame({'a': [1, 2], 'b': ['x', 'y']})",
    "from IPython.display import Markdown\nMarkdown('Some **bold** words')",
    "from mermaid.flowchart import FlowChart, Node, Link\na, b = Node('a', 'Data'), Node('b', 'Model')\n"
    "FlowChart('pipeline', [a, b], [Link(a, b)])",
]


def test_executed_notebook_renders_every_kind_of_output(tmp_path):
    from nbclient import NotebookClient

    nb = new_notebook(
        cells=[new_code_cell(c) for c in KERNEL_CELLS],
        metadata={"kernelspec": {"name": "python3", "language": "python", "display_name": "Python 3"}},
    )
    NotebookClient(nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}).execute()
    page = notebook_markdown(nb, {})
    html = html_of(page)
    assert (
        '<div class="cell-output cell-output-stdout">\n<pre tabindex="0" role="group" aria-label="Output"><code>hello from stdout'
        in html
    )
    assert '<div class="cell-output cell-output-stderr">' in html and "careful now" in html and "to stderr" in html
    images = [name for name in page.files if name.endswith(".png")]
    assert len(images) == 1 and f'src="{images[0]}"' in html and page.files[images[0]].startswith(b"\x89PNG")
    assert 'class="dataframe"' in html and "<td>x</td>" in html and "<style" not in html
    assert "Some <strong>bold</strong> words" in html
    assert '<pre class="mermaid">' in html and 'b["Model"]' in html and "a --&gt; b" in html
