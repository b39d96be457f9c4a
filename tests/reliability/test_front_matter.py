"""Front matter: strict types, one `path:line: message` for each bad value, Quarto keys we do not use left alone."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest
from tests.conftest import simple_post

BAD = [
    (
        "published-string",
        'published: "false"\n',
        "index.md:5: `published` must be true or false (unquoted), not 'false'",
    ),
    ("draft-string", 'draft: "true"\n', "index.md:5: `draft` must be true or false (unquoted), not 'true'"),
    ("published-number", "published: 0\n", "`published` must be true or false"),
    ("draft-list", "draft: [yes]\n", "`draft` must be true or false"),
    ("execute-typo", "execute:\n  timout: 5\n", "index.md:5: unknown `execute:` option 'timout' (known: eval, echo"),
    ("execute-not-mapping", "execute: yes\n", "`execute` must be a mapping of options"),
    ("execute-eval-string", 'execute:\n  eval: "false"\n', "`execute: eval` must be true or false"),
    ("execute-timeout-negative", "execute:\n  timeout: -1\n", "`execute: timeout` must be a positive number"),
    ("execute-freeze-bad", "execute:\n  freeze: sometimes\n", "`execute: freeze` must be true, false or auto"),
    ("jupyter-kernelspec-string", "jupyter:\n  kernelspec: python3\n", "`jupyter: kernelspec` must be a mapping"),
    ("jupyter-number", "jupyter: 3\n", "`jupyter` must name a kernel"),
    ("time-to-read-negative", "time_to_read: -1\n", "`time_to_read` must be a positive number of minutes"),
    ("time-to-read-string", "time_to_read: soon\n", "`time_to_read` must be a positive number"),
]


@pytest.mark.parametrize(("extra", "message"), [b[1:] for b in BAD], ids=[b[0] for b in BAD])
def test_bad_front_matter_value(project, capsys, extra, message):
    # A code cell, so that the kernel options are read (a post without code never needs them).
    project.post("2024-02-02-bad/index.qmd", simple_post("Bad", extra=extra, body="```{python}\n1 + 1\n```"))
    project.refused("build", message=message.replace("index.md", "index.qmd"), capsys=capsys)


TAGS = [
    ("tags-comma-string", "python, ml", "`tags: python, ml` is one string: write a list, `tags: [python, ml]`"),
    ("tags-nested-list", "[python, [ml]]", "`tags` must be a string or a list of strings"),
    ("tags-mapping", "{a: 1}", "`tags` must be a string or a list of strings"),
    ("tags-boolean", "true", "`tags` must be a string or a list of strings"),
]


@pytest.mark.parametrize(("tags", "message"), [t[1:] for t in TAGS], ids=[t[0] for t in TAGS])
def test_bad_tags(project, capsys, tags, message):
    project.post("2024-02-02-bad/index.md", simple_post("Bad", tags))
    project.refused("build", message=f"index.md:4: {message}", capsys=capsys)


def test_categories_comma_string(project, capsys):
    project.post("2024-02-02-bad/index.md", simple_post("Bad", extra="categories: a, b\n"))
    project.refused("build", message="`categories: a, b` is one string: write a list", capsys=capsys)


STRUCTURE = [
    ("no-front-matter", "Just text.\n", "index.md:1: no front matter"),
    ("unclosed", "---\ntitle: x\n", "index.md:1: front matter is not closed"),
    ("list", "---\n- a\n- b\n---\n", "index.md:2: front matter must be a YAML mapping"),
    ("bad-yaml", "---\ntitle: [unclosed\n---\n", "index.md:3: invalid YAML front matter"),
    ("no-title", "---\ndate: 2024-01-01\n---\n", "index.md:1: missing `title`"),
    ("bad-date", "---\ntitle: x\ndate: yesterday\n---\n", "index.md:3: bad date 'yesterday'"),
    ("impossible-date", "---\ntitle: x\ndate: 2024-02-31\n---\n", "index.md:3: bad date '2024-02-31'"),
]


@pytest.mark.parametrize(("text", "message"), [s[1:] for s in STRUCTURE], ids=[s[0] for s in STRUCTURE])
def test_bad_front_matter_structure(project, capsys, text, message):
    project.write("posts/2024-02-02-bad/index.md", text)
    project.refused("build", message=message, capsys=capsys)


def test_not_utf8_names_the_line(project, capsys):
    project.write("posts/2024-02-02-bad/index.md", b"---\ntitle: x\n---\n\ncaf\xe9\n")
    project.refused("build", message="index.md:5: not valid UTF-8", capsys=capsys)


def test_timezone_aware_dates_build_and_sort(project, capsys):
    project.post("2024-02-02-utc/index.md", simple_post("UTC", date="'2024-09-22T10:00:00Z'"))
    project.post("2024-02-02-india/index.md", simple_post("India", date="'2024-09-22T14:00:00+05:30'"))
    project.post("2024-02-02-naive/index.md", simple_post("Naive", date="'2024-09-22T09:00:00'"))
    project.built(capsys=capsys)
    feed = ET.fromstring(project.site_text("index.xml"))
    titles = [e.findtext("{http://www.w3.org/2005/Atom}title") for e in feed.iter("{http://www.w3.org/2005/Atom}entry")]
    assert titles[:3] == ["UTC", "Naive", "India"]  # 10:00Z, 09:00 (UTC), 08:30Z
    assert "2024-09-22T10:00:00+00:00" in project.site_text("index.xml")


def test_quarto_keys_we_do_not_use_pass_through(project, capsys):
    extra = "format:\n  html:\n    code-fold: true\nlightbox: true\ncitation: true\n"
    project.post("2024-02-02-quarto/index.md", simple_post("Quarto keys", extra=extra))
    project.built(capsys=capsys)
    assert "Quarto keys" in project.site_text("posts/quarto/index.html")


def test_booleans_publish_and_hide(project, capsys):
    project.post("2024-02-02-hidden/index.md", simple_post("Hidden", extra="published: false\n"))
    project.post("2024-02-02-draft/index.md", simple_post("Draft", extra="draft: true\n"))
    project.post("2024-02-02-shown/index.md", simple_post("Shown", extra="published: true\ndraft: false\n"))
    project.built(capsys=capsys)
    site = project.root / "_site" / "posts"
    assert (site / "shown").is_dir() and not (site / "hidden").exists() and not (site / "draft").exists()


def test_a_500_character_tag_gets_a_bounded_slug(project, capsys):
    tag = "deep learning " * 36
    project.post("2024-02-02-long-tag/index.md", simple_post("Long tag", f"['{tag.strip()}']"))
    project.built(capsys=capsys)
    folders = [p.name for p in (project.root / "_site" / "tags").iterdir() if p.is_dir()]
    assert folders and max(len(name) for name in folders) <= 80


def test_control_characters_in_title_keep_the_feed_valid(project, capsys):
    project.post(
        "2024-02-02-bell/index.md",
        '---\ntitle: "Bell \\a and \\x0b tab \\x1f"\ndescription: "nul \\0 here"\n---\n\nWords.\n',
    )
    project.built(capsys=capsys)
    for feed in ("index.xml", "tags/python/index.xml", "sitemap.xml"):
        ET.fromstring(project.site_text(feed).encode())


def test_markup_in_title_and_tags_is_text_everywhere(project, capsys):
    tag = "<img src=x onerror=alert(1)>"
    project.post("2024-02-02-xss/index.md", simple_post("<script>alert(1)</script>", f"['{tag}', 'R&D']"))
    project.built(capsys=capsys)
    for rel in ("index.html", "posts/xss/index.html", "tags/index.html", "archive/index.html"):
        html = project.site_text(rel)
        assert "<script>alert(1)" not in html and "<img src=x" not in html, rel
    ET.fromstring(project.site_text("index.xml").encode())
    tags = json.loads(project.site_text("search/meta.json"))["tags"]
    assert tag in tags and "R&D" in tags  # data for search.js, which shows it only as text (browser test)


def test_entity_text_in_a_tag_stays_text_in_the_search_index(project, capsys):
    project.post("2024-02-02-ent/index.md", simple_post("Entities", "['&lt;img src=x onerror=alert(1)&gt;']"))
    project.built(capsys=capsys)
    assert "&lt;img src=x onerror=alert(1)&gt;" in json.loads(project.site_text("search/meta.json"))["tags"]
    assert "&amp;lt;img" in project.site_text("posts/ent/index.html")  # escaped once more on the page
