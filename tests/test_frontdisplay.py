"""Front matter shown as Quarto shows it: inline-Markdown titles, authors, date-format, toc settings."""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET

import pytest

from coursenotes.build import build
from coursenotes.render.dateformat import format_date
from coursenotes.render.display import plain, render_inline

TITLE = 'title: "Using `learn.predict`&#58; a *look*"\n'


def post_text(front: str, body: str = "Some words.") -> str:
    return f"---\n{front}date: 2024-03-07\n---\n\n{body}\n"


def test_title_markdown_on_page_and_plain_text_everywhere_else(site):
    site.post(
        "2024-03-07-predict/index.md",
        post_text(TITLE + "subtitle: 'Part *one*'\ndescription: Why `predict` &amp; friends\n"),
    )
    assert build(site.root).ok
    page = site.read("posts/predict/index.html")
    assert "<title>Using learn.predict: a look – Test notes</title>" in page
    assert '<h1 class="post-title">Using <code>learn.predict</code>: a <em>look</em></h1>' in page
    assert '<p class="subtitle">Part <em>one</em></p>' in page
    assert '<p class="lead">Why <code>predict</code> &amp; friends</p>' in page
    assert '<meta property="og:title" content="Using learn.predict: a look">' in page
    assert '<meta name="description" content="Why predict &amp; friends">' in page
    listing = site.read("index.html")
    assert ">Using <code>learn.predict</code>: a <em>look</em></a></h2>" in listing
    assert "Using <code>learn.predict</code>" in site.read("archive/index.html")
    feed = ET.fromstring(site.read("index.xml"))
    ns = {"a": "http://www.w3.org/2005/Atom"}
    assert feed.find("a:entry/a:title", ns).text == "Using learn.predict: a look"
    assert feed.find("a:entry/a:summary", ns).text == "Why predict & friends"


def test_title_html_cannot_inject_markup(site):
    site.post("x.md", post_text('title: "<script>alert(1)</script> & <b>bold</b>"\n'))
    assert build(site.root).ok
    page = site.read("posts/x/index.html")
    assert "<script>alert" not in page and "<b>bold" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;" in page
    assert "<title>&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt; – Test notes</title>" in page


def test_authors_string_list_and_mappings_on_page_and_listing(site):
    site.post(
        "a.md",
        post_text(
            "title: A\nauthor:\n  - Jeremy Howard\n  - name: Sylvain Gugger\n    url: https://example.org/sg\n"
            "  - name: Evil\n    url: javascript:alert(1)\n"
        ),
    )
    site.post("b.md", post_text("title: B\nauthor: Rachel Thomas\n"))
    assert build(site.root).ok
    page = site.read("posts/a/index.html")
    assert (
        '<span class="post-authors">Jeremy Howard, <a href="https://example.org/sg" rel="author">Sylvain Gugger</a>, '
        "Evil</span>"
    ) in page
    assert "javascript:" not in page
    assert "Rachel Thomas" in site.read("index.html") and "Rachel Thomas" in site.read("posts/b/index.html")
    assert "<name>Jeremy Howard, Sylvain Gugger, Evil</name>" in site.read("index.xml")


def test_bad_author_is_an_error_with_its_line(site):
    site.post("a.md", post_text("title: A\nauthor:\n  - {url: https://x.org}\n"))
    result = build(site.root)
    assert not result.ok and "a.md:3: `author` must be" in str(result.errors[0])


@pytest.mark.parametrize(
    "style, shown",
    [
        ("full", "Thursday, March 7, 2024"),
        ("long", "March 7, 2024"),
        ("medium", "Mar 7, 2024"),
        ("short", "3/7/24"),
        ("iso", "2024-03-07"),
        ("MMMM D, YYYY", "March 7, 2024"),
        ("[Week of] ddd D MMM", "Week of Thu 7 Mar"),
    ],
)
def test_date_format_styles_and_patterns(style, shown):
    assert format_date(dt.datetime(2024, 3, 7), style) == shown


def test_date_format_on_page_and_listing_and_bad_value(site):
    site.post("a.md", post_text("title: A\ndate-format: iso\n"))
    assert build(site.root).ok
    assert ">2024-03-07</time>" in site.read("posts/a/index.html") and ">2024-03-07</time>" in site.read("index.html")
    site.post("b.md", post_text("title: B\ndate-format: 42\n"))
    result = build(site.root)
    assert not result.ok and "b.md:3: `date-format` must be" in str(result.errors[0])


LONG_BODY = "\n\n".join(f"## Part {i}\n\n### Detail {i}\n\nText." for i in range(4))


def test_toc_false_toc_title_and_toc_depth(site):
    site.post("a.md", post_text("title: A\ntoc: false\n", LONG_BODY))
    site.post("b.md", post_text("title: B\ntoc-title: On this page\ntoc-depth: 2\n", LONG_BODY))
    assert build(site.root).ok
    assert 'class="toc"' not in site.read("posts/a/index.html")
    b = site.read("posts/b/index.html")
    toc = re.search(r'<nav class="toc".*?</nav>', b, re.S).group(0)
    assert "<summary>On this page</summary>" in toc and "Part 0" in toc and "Detail 0" not in toc


def test_one_pandoc_run_renders_many_fields_exactly():
    out = render_inline(["`a`&#58; *b*", "1. Intro", "- dash", "# hash", "Tom & Jerry < 3", "::: not a div"])
    assert out == [
        "<code>a</code>: <em>b</em>",
        "1. Intro",
        "- dash",
        "# hash",
        "Tom &amp; Jerry &lt; 3",
        "::: not a div",
    ]
    assert plain(out[0]) == "a: b" and plain(out[4]) == "Tom & Jerry < 3"
