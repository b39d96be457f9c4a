"""`coursenotes import`: a fastpages repository becomes posts that build, and running it again is safe."""

from __future__ import annotations

import json
import re

import pytest
import yaml
from tests.blogtools import BLOGS, broken_links, copy_blog, empty_site

from coursenotes.build import BuildOptions, build
from coursenotes.cli import main
from coursenotes.importing import MANIFEST, import_blog

NO_RUN = BuildOptions(execute=False, search=False)
FASTPAGES = BLOGS / "fastpages"


@pytest.fixture
def target(tmp_path):
    """An empty site to import into."""
    return empty_site(tmp_path / "site")


def front_matter(text: str) -> dict:
    """The YAML between the first two `---` lines."""
    return yaml.safe_load(re.match(r"---\n(.*?)\n---", text, re.S).group(1))


def test_notebook_front_matter_and_markup_become_quarto(target):
    import_blog(FASTPAGES, target)
    nb = json.loads((target / "posts/2020-02-20-lesson-one/index.ipynb").read_text())
    raw = nb["cells"][0]
    assert raw["cell_type"] == "raw"
    assert front_matter(raw["source"]) == {
        "title": "Lesson one",
        "description": "Getting started with fastpages notebooks.",
        "categories": ["jupyter", "fastai"],
        "author": "Ada Lovelace",
        "image": "../images/chart-preview.png",
        "toc": True,
        "aliases": ["/jupyter/fastai/2020/02/20/lesson-one.html"],
    }
    text = "\n".join("".join(c["source"]) for c in nb["cells"][1:])
    assert "{{< video https://youtu.be/XfoYk_Z5AkI >}}" in text
    assert "::: {.callout-note}\ntake note of this.\n:::" in text
    assert "::: {.callout-warning}\nthere will be no second warning!\n:::" in text
    assert "#| include: false\nimport math" in text and "#| code-fold: show\nmath.sqrt(2)" in text
    assert "A footnote[^1]." in text and "[^1]: The footnote text." in text
    assert (target / "posts/2020-02-20-lesson-one/my_icons/fastai_logo.png").is_file()
    assert (target / "posts/images/chart-preview.png").is_file()


def test_markdown_post_includes_become_shortcodes_and_callouts(target):
    report = import_blog(FASTPAGES, target)
    text = (target / "posts/2020-01-14-markdown-post/index.md").read_text()
    meta = front_matter(text)
    assert meta["title"] == "An Example Markdown Post" and "layout" not in meta
    assert meta["aliases"] == ["/markdown/2020/01/14/markdown-post.html"]
    assert "::: {.callout-note}\nYou can include info boxes\n:::" in text
    assert "{{< video https://youtu.be/XfoYk_Z5AkI >}}" in text
    assert '![The logo](../images/logo.png "fast.ai\'s logo")' in text
    assert '![The chart](../images/chart-preview.png){fig-alt="A chart"}' in text
    assert '`{% include note.html content="x" %}`' in text  # code is left exactly as written
    assert "[A post on Twitter/X](https://twitter.com/jakevdp/status/1204765621767901185)" in text
    assert (target / "posts/images/logo.png").is_file()
    lines = report.lines()
    assert any("2020-01-14-markdown-post.md" in x and "`layout: post` dropped" in x for x in lines)
    assert any("2020-01-14-markdown-post.md:" in x and "include unknown.html" in x for x in lines)
    assert any("_posts/README.md: not a post" in x for x in lines)
    assert not (target / "posts/README").exists()


def test_running_again_is_safe_and_keeps_the_authors_edits(target):
    first = import_blog(FASTPAGES, target)
    assert first.written and not first.kept and (target / MANIFEST).is_file()
    again = import_blog(FASTPAGES, target)
    assert again.written == [] and again.kept == [] and len(again.unchanged) == len(set(first.written))
    post = target / "posts/2020-01-14-markdown-post/index.md"
    post.write_text(post.read_text() + "\nMy own paragraph.\n")
    third = import_blog(FASTPAGES, target)
    assert third.kept == ["posts/2020-01-14-markdown-post/index.md"] and "My own paragraph." in post.read_text()
    assert any("kept posts/2020-01-14-markdown-post/index.md: you edited it" in x for x in third.lines())


def test_an_imported_fastpages_blog_builds_with_every_link_resolving(target, capsys):
    assert main(["import", str(FASTPAGES), "--root", str(target)]) == 0
    out = capsys.readouterr().out
    assert "wrote posts/2020-02-20-lesson-one/index.ipynb" in out and "thing(s) to convert by hand" in out
    result = build(target, NO_RUN)
    assert result.ok, [str(e) for e in result.errors]
    site = target / "_site"
    for path in (
        "posts/lesson-one/index.html",
        "posts/markdown-post/index.html",
        "posts/lesson-one/my_icons/fastai_logo.png",
        "posts/images/logo.png",
        "posts/images/chart-preview.png",
        "jupyter/fastai/2020/02/20/lesson-one.html",  # the old fastpages URL redirects
    ):
        assert (site / path).is_file(), path
    assert broken_links(site) == []
    page = (site / "posts/lesson-one/index.html").read_text()
    assert 'content="https://imported.example.org/posts/images/chart-preview.png"' in page  # og:image is published


def test_a_quarto_blog_is_copied_as_is(tmp_path, target):
    blog = copy_blog("quarto-blog", tmp_path / "other")
    report = import_blog(blog, target)
    assert (target / "posts/series/_metadata.yml").is_file() and (target / "posts/images/shared.png").is_file()
    assert not (target / "posts/.ipynb_checkpoints").exists()
    assert any("about.qmd" in x and "copy them beside _quarto.yml" in x for x in report.lines())


def test_refuses_what_is_not_a_blog(tmp_path, target, capsys):
    (tmp_path / "nothing").mkdir()
    assert main(["import", str(tmp_path / "nothing"), "--root", str(target)]) == 1
    assert "neither a fastpages blog" in capsys.readouterr().err
