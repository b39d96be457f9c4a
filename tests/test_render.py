"""Rendering through pandoc: output shape and the render cache."""

from pathlib import Path

from coursenotes.render import pandoc as render
from coursenotes.render.pandoc import render_all

REPO = Path(__file__).resolve().parents[1]


def test_toc_only_for_long_posts_and_without_anchor_text(site):
    short, long = render_all([("# One\n\ntext\n", Path("a.md")), ("# A\n\n## B\n\n## C\n", Path("b.md"))], site.root)
    assert short.toc == "" and '<h1 id="one">' in short.html
    assert long.toc.count("<li") == 3 and "#</a>" not in long.toc


def test_a_second_render_of_the_same_input_runs_no_pandoc(site, monkeypatch):
    first = render_all([("Some *text*.\n", Path("a.md"))], site.root)[0]
    monkeypatch.setattr(render, "render_markdown", lambda *a: (_ for _ in ()).throw(AssertionError("pandoc ran")))
    assert render_all([("Some *text*.\n", Path("a.md"))], site.root)[0] == first


def test_a_filter_change_invalidates_the_cache(site, tmp_path):
    key = render.render_key("x", site.root)
    (site.root / "_extensions").unlink()
    ext = site.root / "_extensions" / "coursenotes"
    ext.mkdir(parents=True)
    (ext / "coursenotes.lua").write_text(
        (REPO / "_extensions/coursenotes/coursenotes.lua").read_text() + "\n-- changed\n"
    )
    assert render.render_key("x", site.root) != key


def test_pandoc_errors_name_the_post(site):
    (site.root / "_extensions").unlink()
    ext = site.root / "_extensions" / "coursenotes"
    ext.mkdir(parents=True)
    (ext / "broken.lua").write_text("this is not lua")
    result = render_all([("text\n", Path("posts/x.md"))], site.root)[0]
    assert isinstance(result, render.RenderError) and str(result).startswith("posts/x.md: pandoc:")
