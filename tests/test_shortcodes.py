"""include/meta/var shortcodes: expanded before the notebook stage, errors with `path:line`, escapes and code kept."""

from __future__ import annotations

import pytest
from tests.conftest import simple_post

from coursenotes.build import build
from coursenotes.sources.notebook import to_notebook
from coursenotes.sources.posts import read_post
from coursenotes.sources.shortcodes import ShortcodeError


def body(site, text: str, extra: str = "", name: str = "p/index.qmd") -> str:
    """The post body after expansion."""
    return read_post(site.post(name, simple_post("P", body=text, extra=extra))).raw.body


def test_meta_and_var_with_dotted_keys(site):
    (site.root / "_variables.yml").write_text("course:\n  name: Practical Deep Learning\nversion: 2\nfree: true\n")
    text = body(
        site,
        "{{< var course.name >}} v{{< var version >}} ({{< var free >}}) by {{< meta teacher.name >}}; "
        "{{< meta website.title >}}",
        extra="teacher:\n  name: Jeremy\n",
    )
    assert text.strip() == "Practical Deep Learning v2 (true) by Jeremy; Test notes"


def test_include_brings_code_cells_into_the_notebook(site):
    (site.root / "posts" / "p").mkdir(parents=True)
    (site.root / "posts" / "p" / "_setup.qmd").write_text(
        "---\ntitle: ignored\n---\n\nSetup {{< meta title >}}:\n\n```{python}\nx = 41\n```\n"
    )
    post = read_post(
        site.post("p/index.qmd", simple_post("P", body="{{< include _setup.qmd >}}\n\n```{python}\nx + 1\n```"))
    )
    nb = to_notebook(post)
    assert [c.source for c in nb.cells if c.cell_type == "code"] == ["x = 41", "x + 1"]
    assert "Setup P:" in nb.cells[0].source and "ignored" not in post.raw.body


def test_code_is_left_alone_and_escapes_show_literally(site):
    text = body(
        site,
        "`{{< meta title >}}` and `{{</* meta title */>}}`\n\n```markdown\n{{< nope >}}\n{{</* include x.qmd */>}}\n```\n\n"
        "Write {{{< video intro.mp4 >}}} to embed; {{< video https://youtu.be/x >}} stays for the filter.",
    )
    assert "`{{< meta title >}}` and `{{< meta title >}}`" in text
    assert "```markdown\n{{< nope >}}\n{{< include x.qmd >}}\n```" in text
    assert "`{{&lt; video intro.mp4 &gt;}}`{=html}" in text and "{{< video https://youtu.be/x >}} stays" in text


@pytest.mark.parametrize(
    "text, message",
    [
        ("Intro.\n\n{{< lipsum 2 >}}", "unknown shortcode 'lipsum'"),
        ("Intro.\n\n{{< meta nope >}}", "meta 'nope': no such key"),
        ("Intro.\n\n{{< var nope >}}", "var 'nope': no such key in _variables.yml"),
        ("Intro.\n\n{{< include _gone.qmd >}}", "include '_gone.qmd': no such file"),
        ("Intro.\n\n{{< include ../../../secret.qmd >}}", "include '../../../secret.qmd' is outside the project"),
        ("Intro.\n\n{{< meta tags >}}", "meta `tags` is a list"),
    ],
)
def test_errors_name_file_and_line(site, text, message):
    (site.root.parent / "secret.qmd").write_text("secret\n")
    with pytest.raises(ShortcodeError) as info:
        body(site, text)
    assert info.value.line == 9 and message in str(info.value) and str(info.value.path).endswith("index.qmd")


def test_error_inside_an_included_file_names_that_file(site):
    (site.root / "posts" / "p").mkdir(parents=True)
    (site.root / "posts" / "p" / "_a.md").write_text("one\n\n{{< nope >}}\n")
    with pytest.raises(ShortcodeError) as info:
        body(site, "{{< include _a.md >}}")
    assert str(info.value.path).endswith("_a.md") and info.value.line == 3


def test_include_cycle_is_an_error(site):
    (site.root / "posts" / "p").mkdir(parents=True)
    (site.root / "posts" / "p" / "_a.md").write_text("{{< include _a.md >}}\n")
    with pytest.raises(ShortcodeError, match="includes itself"):
        body(site, "{{< include _a.md >}}")


def test_build_reports_unknown_shortcode_and_publishes_nothing(site):
    site.post("x.md", simple_post("X", body="{{< env HOME >}}"))
    result = build(site.root)
    assert not result.ok and "x.md:7: unknown shortcode 'env'" in str(result.errors[0])


def test_notebook_markdown_cells_are_expanded(site):
    import json

    nb = {
        "cells": [
            {"cell_type": "raw", "metadata": {}, "source": "---\ntitle: N\nlevel: 3\n---"},
            {"cell_type": "markdown", "metadata": {}, "source": "Level {{< meta level >}}"},
        ],
        "metadata": {},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    path = site.root / "posts" / "n.ipynb"
    path.write_text(json.dumps(nb))
    assert read_post(path).raw.notebook["cells"][0]["source"] == "Level 3"


def test_meta_and_var_in_title_and_description(site):
    (site.root / "_variables.yml").write_text("course: Practical Deep Learning\n")
    post = read_post(
        site.post(
            "t.md", simple_post("{{< var course >}}: lesson 2", extra="description: 'Notes on {{< meta title >}}'\n")
        )
    )
    assert post.title == "Practical Deep Learning: lesson 2"
    assert post.description == "Notes on Practical Deep Learning: lesson 2"
    with pytest.raises(ShortcodeError) as info:
        read_post(site.post("u.md", simple_post("{{< var nope >}}")))
    assert info.value.line == 2


def test_include_in_title_is_an_error(site):
    with pytest.raises(ShortcodeError, match="`title` cannot include a file"):
        read_post(site.post("i.md", simple_post("{{< include _x.md >}}")))
