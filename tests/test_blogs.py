"""Real blog shapes build as written: a Quarto blog with series, notebooks, pages, shared images and aliases."""

from __future__ import annotations

import re

import pytest
from tests.blogtools import broken_links, copy_blog
from tests.conftest import simple_post

from coursenotes.authoring.check import check
from coursenotes.build import BuildOptions, build
from coursenotes.cli import main
from coursenotes.errors import ConfigError
from coursenotes.quarto.urls import plan
from coursenotes.sources import discover

NO_RUN = BuildOptions(execute=False, search=False)


@pytest.fixture
def blog(tmp_path):
    """The Quarto fixture blog, copied."""
    return copy_blog("quarto-blog", tmp_path / "blog")


def built(root, options=NO_RUN):
    """Build and insist it worked; the _site folder."""
    result = build(root, options)
    assert result.ok, [str(e) for e in result.errors]
    return root / "_site"


def test_a_quarto_blog_builds_as_written_with_every_post_page_image_and_link(blog):
    out = built(blog)
    pages = {
        "posts/2024-01-01-welcome/index.html",  # single file, blank line before its front matter
        "posts/series/2024-02-01-lesson/index.html",  # a series reusing one name under two dates
        "posts/series/2024-03-01-lesson/index.html",
        "posts/2024-04-01-notebooks/index.html",
        "posts/2024-04-01-notebooks/extra-analysis/index.html",  # a notebook not named index, no YAML
        "about/index.html",
        "courses/index.html",
        "page/2/index.html",  # page-size: 3
    }
    files = {
        "posts/images/shared.png",  # a shared folder under posts/
        "posts/2024-01-01-welcome/images/shared.png",  # beside a single-file post's page
        "posts/2024-04-01-notebooks/data.csv",  # a download
        "posts/2024-04-01-notebooks/my plot.png",  # a name with a space, linked as %20
        "about/profile.png",
    }
    assert {p for p in pages | files if not (out / p).is_file()} == set()
    assert not (out / "posts/_drafts").exists() and "Hidden by its folder" not in (out / "index.html").read_text()
    assert "Checkpoint" not in "".join(p.read_text() for p in out.rglob("*.html"))
    assert broken_links(out) == []
    sitemap = (out / "sitemap.xml").read_text()
    assert "https://blog.example.org/about/" in sitemap and "https://blog.example.org/page/2/" in sitemap


def test_metadata_files_merge_as_quarto_merges_them(blog):
    out = built(blog)
    part1 = (out / "posts/series/2024-02-01-lesson/index.html").read_text()
    part2 = (out / "posts/series/2024-03-01-lesson/index.html").read_text()
    # Deeper _metadata.yml overrides shallower; the post's own front matter overrides both.
    assert 'content="notes"' in part1 and 'content="series"' in part1
    assert [t for t in ("notes", "series", "advanced") if f'content="{t}"' in part2] == ["notes", "series", "advanced"]
    index = (out / "index.html").read_text() + (out / "page/2/index.html").read_text()
    assert "Series Author" in index and "Own Author" in index and "Grace Hopper" in index


def test_notebook_without_front_matter_takes_its_title_from_the_first_heading(blog):
    out = built(blog)
    page = (out / "posts/2024-04-01-notebooks/extra-analysis/index.html").read_text()
    assert "<title>Extra analysis – A Quarto blog</title>" in page
    assert page.count(">Extra analysis</h1>") == 1  # the heading became the title, not a second h1


def test_source_links_lead_to_pages(blog):
    out = built(blog)
    welcome = (out / "posts/2024-01-01-welcome/index.html").read_text()
    assert 'href="../series/2024-02-01-lesson/"' in welcome
    courses = (out / "courses/index.html").read_text()
    assert 'href="../posts/series/2024-02-01-lesson/"' in courses and 'href="../about/"' in courses


def test_aliases_and_quarto_urls_redirect(blog):
    out = built(blog)
    for old in ("welcome.html", "posts/old-welcome/index.html", "posts/2024-01-01-welcome.html", "about.html"):
        html = (out / old).read_text()
        assert re.search(r'<meta http-equiv="refresh" content="0; url=[^"]+">', html), old
        assert '<link rel="canonical" href="https://blog.example.org/' in html
    lines = (out / "_redirects").read_text().splitlines()
    assert "/welcome.html /posts/2024-01-01-welcome/ 301" in lines
    assert "/about.html /about/ 301" in lines


def test_aliases_are_paths_on_this_site(site):
    site.post("a.md", simple_post("A", extra='aliases: ["/a&b/"]\n'))
    out = built(site.root)
    assert 'url=../posts/a/"' in (out / "a&b/index.html").read_text()
    assert "/a%26b/ /posts/a/ 301" in (out / "_redirects").read_text().splitlines()
    for bad, why in (("'/x\"><script>/'", "must be a path on this site"), ("../../../../etc/x", "leaves the site")):
        site.post("a.md", simple_post("A", extra=f"aliases: [{bad}]\n"))
        result = build(site.root, NO_RUN)
        assert not result.ok and why in str(result.errors[0]) and "posts/a.md" in str(result.errors[0])


def test_about_page_uses_quarto_templates(blog):
    out = built(blog)
    about = (out / "about/index.html").read_text()
    assert 'class="about about-trestles"' in about and 'src="profile.png"' in about
    assert 'href="https://github.com/example"' in about and 'href="../courses/"' in about
    (blog / "about.qmd").write_text("---\ntitle: About\nabout: jolla\n---\nHi.\n")
    assert 'class="about about-jolla"' in (built(blog) / "about/index.html").read_text()


def test_listing_options_from_index_qmd(blog):
    out = built(blog)
    first, second = (out / "index.html").read_text(), (out / "page/2/index.html").read_text()
    assert 'class="post-list listing-grid"' in first and first.count('class="post-item"') == 3
    assert second.count('class="post-item"') == 2 and 'rel="prev" href="../../"' in second
    assert 'src="posts/images/shared.png"' in first  # a card shows the post's `image:` or first image
    assert 'src="posts/2024-04-01-notebooks/my%20plot.png"' in first
    assert 'class="reading-time"' in first and 'class="post-authors"' in first
    index = blog / "index.qmd"
    index.write_text(index.read_text().replace("type: grid", "type: table").replace('"date desc"', "title"))
    table = (built(blog) / "index.html").read_text()
    titles = re.findall(r'<td><a href="[^"]+">([^<]+)</a></td>', table)
    assert 'class="listing-table"' in table and titles == sorted(titles, key=str.lower)


def test_bad_listing_option_names_index_qmd(blog):
    index = blog / "index.qmd"
    index.write_text(index.read_text().replace("type: grid", "type: cards"))
    result = build(blog, NO_RUN)
    assert not result.ok and "index.qmd" in str(result.errors[0]) and "type: cards" in str(result.errors[0])


def test_slug_urls_report_both_files_and_both_fixes(blog, capsys, monkeypatch):
    config = blog / "_quarto.yml"
    config.write_text(config.read_text().replace("urls: path", "urls: slug"))
    monkeypatch.chdir(blog)
    assert main(["build", "--no-execute"]) == 1
    err = capsys.readouterr().err
    assert "duplicate URL /posts/lesson/" in err
    assert "posts/series/2024-02-01-lesson/index.qmd" in err and "posts/series/2024-03-01-lesson/index.qmd" in err
    assert "rename one of them" in err and "coursenotes: {urls: path}" in err


def test_unknown_url_style_is_a_config_error(blog):
    config = blog / "_quarto.yml"
    config.write_text(config.read_text().replace("urls: path", "urls: pretty"))
    with pytest.raises(ConfigError, match=r"`coursenotes: urls:` must be one of slug, path, not 'pretty'") as info:
        build(blog, NO_RUN)
    assert re.search(r"_quarto.yml:\d+: ", str(info.value))


def test_navbar_link_to_a_missing_page_fails_the_build_with_its_line(blog):
    (blog / "courses.md").unlink()
    result = build(blog, NO_RUN)
    assert not result.ok
    lines = (blog / "_quarto.yml").read_text().splitlines()
    line = next(i for i, text in enumerate(lines, 1) if "courses.md" in text)
    assert str(result.errors[0]).endswith(
        f"_quarto.yml:{line}: navbar link 'Courses' goes to /courses/, which the site does not have: "
        "add the page (e.g. a top-level .qmd) or fix the href"
    )


def test_quarto_post_render_moves_nested_posts_to_our_urls(site):
    site.post("series/2024-02-01-lesson/index.qmd", simple_post("Lesson"))
    site.post("series/notes.md", simple_post("Notes"))
    moves = plan(discover(site.root / "posts", "path")[0])
    assert [(m.source, m.home, m.files) for m in moves] == [
        ("posts/series/notes.html", "posts/series/notes", "posts/series/notes_files")
    ]  # the folder post is already where Quarto writes it
    moves = plan(discover(site.root / "posts")[0])
    assert sorted((m.source, m.home) for m in moves) == [
        ("posts/series/2024-02-01-lesson", "posts/lesson"),
        ("posts/series/notes.html", "posts/notes"),
    ]


def test_check_reports_a_navbar_link_to_a_missing_page(blog):
    (blog / "courses.md").unlink()
    found = [str(p).replace(str(blog) + "/", "") for p in check(blog)[1]]
    assert any(
        x.startswith("_quarto.yml:") and "navbar link 'Courses' goes to /courses/, which the site does not have" in x
        for x in found
    )


def test_about_links_must_be_web_or_mail_urls(blog):
    about = blog / "about.qmd"
    about.write_text(about.read_text().replace("https://github.com/example", "javascript:alert(1)"))
    result = build(blog, NO_RUN)
    assert not result.ok and "about link 'javascript:alert(1)'" in str(result.errors[0])
