"""Whole-site builds: pages, tags, feeds, drafts, the atomic swap, errors."""

import hashlib
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from tests.conftest import simple_post

from coursenotes.build import BuildOptions, build
from coursenotes.cli import main
from coursenotes.urls import relative_link

ATOM = "{http://www.w3.org/2005/Atom}"

HAND_WRITTEN = """
---
date: '2024-09-21T11:30:00.926680'
published: true
tags: [python, fast.ai, courses]
time_to_read: 5
title: fast.ai lesson notes
description: Notes on the first lesson
---

## Models

| Myth | Truth |
|------|-------|
| Lots of math | High school math |

See [the docs](https://docs.fast.ai) and [tags](/tags/).

```python
import os
os._exit(3)  # never runs: a plain python fence is only shown
```

```mermaid
flowchart LR
  inputs --> program --> results
```

```mermaid
flowchart LR
  A["a & b"] --> B
```
"""


def tree_digest(folder: Path) -> dict[str, str]:
    """Every file under folder with its hash, to compare trees byte for byte."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_hand_written_post_builds_with_table_code_and_diagrams(site):
    site.post("2024-09-21-lesson-1/index.md", HAND_WRITTEN)
    result = build(site.root)
    assert result.ok, result.errors
    page = site.read("posts/lesson-1/index.html")
    assert "<table" in page and "<td>High school math</td>" in page
    assert 'class="sourceCode python"' in page and '<span class="im">import</span>' in page
    assert page.count('<pre class="mermaid">') == 2
    assert "a &amp; b" in page
    assert "5 min read" in page
    assert 'href="https://docs.fast.ai"' in page
    for tag in ("fast.ai", "python", "courses"):
        assert 'href="../../posts/lesson-1/"' in site.read(f"tags/{tag}/index.html")
    # mermaid's ES module build, left for the reader's browser (these builds draw nothing), no whole bundle
    mermaid = site.root / "_site/assets/mermaid"
    assert 'href="../../assets/mermaid/mermaid.esm.min.mjs"' in page and "mermaid.min.js" not in page
    chunks = list((mermaid / "chunks/mermaid.esm.min").glob("*.mjs"))
    assert (mermaid / "mermaid.esm.min.mjs").is_file() and len(chunks) > 50
    assert not (site.root / "_site/assets/mermaid.min.js").exists() and not list(mermaid.rglob("*.map"))


def test_index_lists_newest_first_with_details(site):
    site.post("old.md", simple_post("Old post", "[a]", "2023-01-01"))
    site.post("new.md", simple_post("New post", "[a, b]", "2024-06-01", extra="description: Fresh\n"))
    site.post("mid.md", simple_post("Mid post", "[b]", "2023-06-01"))
    assert build(site.root).ok
    index = site.read("index.html")
    assert index.index("New post") < index.index("Mid post") < index.index("Old post")
    assert "Fresh" in index and "1 min read" in index and "June 1, 2024" in index
    assert 'href="tags/b/"' in index


def test_tags_page_counts_most_used_first_and_tag_pages_list_exactly_their_posts(site):
    site.post("p1.md", simple_post("P1", "[rare, fast.ai]"))
    site.post("p2.md", simple_post("P2", "[fast.ai, python]", "2024-02-01"))
    site.post("p3.md", simple_post("P3", "[fast.ai, python]", "2024-03-01"))
    site.post("p4.md", simple_post("P4", "[C++]", "2024-04-01"))
    assert build(site.root).ok
    tags = site.read("tags/index.html")
    assert tags.index("fast.ai") < tags.index("python") < tags.index("rare")
    assert '<a class="tag" href="fast.ai/">fast.ai</a> <span class="count">3</span>' in tags
    fastai = site.read("tags/fast.ai/index.html")
    assert all(f">{t}</a></h2>" in fastai for t in ("P1", "P2", "P3")) and ">P4</a></h2>" not in fastai
    assert ">P4</a></h2>" in site.read("tags/c-plus-plus/index.html")


def test_archive_groups_by_year(site):
    site.post("a.md", simple_post("In 2023", date="2023-05-01"))
    site.post("b.md", simple_post("In 2024", date="2024-05-01"))
    assert build(site.root).ok
    archive = site.read("archive/index.html")
    assert archive.index("2024") < archive.index("In 2024") < archive.index("2023") < archive.index("In 2023")


def test_feeds_parse_back_with_absolute_urls(site):
    site.post("2024-01-02-first/index.md", simple_post("First", "[fast.ai]", "2024-01-02", body="![grid](grid.png)"))
    (site.root / "posts/2024-01-02-first/grid.png").write_bytes(b"\x89PNG fake")
    site.post("second.md", simple_post("Second", "[python]", "2024-02-03", extra="description: Two\n"))
    assert build(site.root).ok
    feed = ET.fromstring(site.read("index.xml"))
    assert feed.find(f"{ATOM}title").text == "Test notes"
    entries = feed.findall(f"{ATOM}entry")
    assert [e.find(f"{ATOM}title").text for e in entries] == ["Second", "First"]
    assert entries[0].find(f"{ATOM}link").get("href") == "https://notes.example.org/posts/second/"
    assert entries[0].find(f"{ATOM}summary").text == "Two"
    assert entries[0].find(f"{ATOM}updated").text == "2024-02-03T00:00:00+00:00"
    assert 'src="https://notes.example.org/posts/first/grid.png"' in entries[1].find(f"{ATOM}content").text
    tag_feed = ET.fromstring(site.read("tags/fast.ai/index.xml"))
    assert [e.find(f"{ATOM}title").text for e in tag_feed.findall(f"{ATOM}entry")] == ["First"]
    assert tag_feed.find(f"{ATOM}link[@rel='self']").get("href") == "https://notes.example.org/tags/fast.ai/index.xml"
    assert (site.root / "_site/posts/first/grid.png").read_bytes() == b"\x89PNG fake"


def test_sitemap_and_404(site):
    site.post("a.md", simple_post("A", "[x]"))
    assert build(site.root).ok
    urls = [
        u.text for u in ET.fromstring(site.read("sitemap.xml")).iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")
    ]
    assert "https://notes.example.org/posts/a/" in urls and "https://notes.example.org/tags/x/" in urls
    page404 = site.read("404.html")
    assert "Page not found" in page404 and 'href="/assets/site.css"' in page404


def test_drafts_are_left_out_unless_asked(site):
    site.post("pub.md", simple_post("Public", "[t]"))
    site.post("d1.md", simple_post("Secret one", "[t]", extra="published: false\n"))
    site.post("d2.md", simple_post("Secret two", "[t]", extra="draft: true\n"))
    assert build(site.root).ok
    built = "".join(p.read_text() for p in (site.root / "_site").rglob("*") if p.suffix in (".html", ".xml"))
    assert "Secret" not in built and not (site.root / "_site/posts/d1").exists()
    assert build(site.root, BuildOptions(drafts=True)).ok
    assert "Secret one" in site.read("index.html") and (site.root / "_site/posts/d2/index.html").exists()


def test_nothing_refers_to_another_host(site):
    site.post("x/index.md", HAND_WRITTEN)
    assert build(site.root).ok
    for page in (site.root / "_site").rglob("*.html"):
        text = page.read_text()
        for attr in ("src=", 'rel="stylesheet" href='):
            for chunk in text.split(attr)[1:]:
                assert not chunk.lstrip("\"'").startswith(("http:", "https:", "//")), (page, chunk[:80])


def test_failed_build_leaves_previous_site_byte_identical(site):
    site.post("good.md", simple_post("Good", "[t]"))
    assert build(site.root).ok
    before = tree_digest(site.root / "_site")
    site.post("new.md", simple_post("New", "[t]"))
    site.post("broken.md", "---\ntitle: Broken\ndate: 2024-02-30\n---\n")
    result = build(site.root)
    assert not result.ok and "broken.md:3: bad date" in str(result.errors[0])
    assert tree_digest(site.root / "_site") == before
    assert not [p for p in site.root.iterdir() if p.name.startswith("._site")]


def test_out_option_writes_elsewhere(site, tmp_path):
    site.post("a.md", simple_post("A"))
    assert build(site.root, BuildOptions(out=tmp_path / "elsewhere")).ok
    assert (tmp_path / "elsewhere/posts/a/index.html").exists() and not (site.root / "_site").exists()


def test_quarto_python_fences_show_as_code(site):
    site.post("q/index.qmd", "---\ntitle: Q\n---\n\n```{python}\n#| label: setup\nx = 1 + 1\n```\n")
    assert build(site.root, BuildOptions(execute=False)).ok
    page = site.read("posts/q/index.html")
    assert 'class="sourceCode python"' in page and "#|" not in page and "{python}" not in page


@pytest.mark.parametrize(
    "frm, to, rel",
    [
        ("/", "/tags/", "tags/"),
        ("/posts/a/", "/tags/b/", "../../tags/b/"),
        ("/posts/a/", "/", "../../"),
        ("/tags/", "/assets/site.css", "../assets/site.css"),
    ],
)
def test_relative_links(frm, to, rel):
    assert relative_link(frm, to) == rel


def test_cli_prints_one_line_per_error_and_exits_1(site, capsys, monkeypatch):
    site.post("a.md", "---\ntitle: A\ndate: soon\n---\n")
    site.post("b.md", "---\ndescription: x\n---\n")
    monkeypatch.chdir(site.root)
    assert main(["build"]) == 1
    err = capsys.readouterr().err.splitlines()
    assert "error: posts/a.md:3: bad date 'soon'" in err[0] + err[1]
    assert any(line.startswith("error: posts/b.md:1: missing `title`") for line in err)
    assert "Traceback" not in "\n".join(err) and not (site.root / "_site").exists()


def test_cli_version_and_help(capsys):
    with pytest.raises(SystemExit) as e:
        main(["--version"])
    assert e.value.code == 0 and capsys.readouterr().out.startswith("coursenotes ")
    with pytest.raises(SystemExit):
        main(["build", "--help"])
    assert "--drafts" in capsys.readouterr().out


def test_quarto_mermaid_cell_options_become_id_and_caption(site):
    site.post(
        "m/index.qmd",
        '---\ntitle: M\n---\n\n```{mermaid}\n%%| label: fig-flow\n%%| fig-cap: "Data & flow"\nflowchart LR\n  A --> B\n```\n',
    )
    assert build(site.root, BuildOptions(execute=False)).ok
    page = site.read("posts/m/index.html")
    assert (
        '<figure class="diagram" id="fig-flow">' in page
        and "<figcaption>Figure\u00a01: Data &amp; flow</figcaption>" in page
    )
    assert "%%|" not in page and "A --&gt; B" in page
