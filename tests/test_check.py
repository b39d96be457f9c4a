"""`coursenotes check`: one `path:line: message` per problem, exit 1 when there is any."""

import json

from tests.conftest import simple_post

from coursenotes.authoring.check import check, tag_key
from coursenotes.cli import main

GOOD = """\
---
title: Good
date: 2024-03-01
tags: [python, fast.ai]
---

![A red square](square.png) and <img src="square.png" alt="the same square">.
See [other](../other/), [python](/tags/python/), [all tags](/tags/), [home](../../),
[feed](/index.xml), [a file](data.csv), [a heading](#top), [web](https://docs.fast.ai).

```python
print("[not a link](/posts/nowhere/)")  # code is not checked
```
And `[inline](/posts/nowhere/)` is code too.[^1]

[^1]: A footnote: not a link.
[ref]: /posts/other/
"""


def problems_of(site):
    """check() as `path:line: message` strings relative to the site root."""
    return [str(p).replace(str(site.root) + "/", "") for p in check(site.root)[1]]


def good_site(site):
    site.post("2024-03-01-good/index.md", GOOD)
    (site.root / "posts/2024-03-01-good/square.png").write_bytes(b"png")
    (site.root / "posts/2024-03-01-good/data.csv").write_text("a,b\n")
    site.post("other.md", simple_post("Other", "[python]", "2024-02-01"))


def test_a_clean_site_has_no_problems(site, capsys, monkeypatch):
    good_site(site)
    assert problems_of(site) == []
    monkeypatch.chdir(site.root)
    assert main(["check"]) == 0
    assert "checked 2 post(s): no problems" in capsys.readouterr().err


def test_front_matter_dates_and_duplicate_slugs(site):
    site.post("no-title.md", "---\ndate: 2024-01-01\n---\nx\n")
    site.post("bad-date.md", "---\ntitle: x\ndate: 2024-13-45\n---\nx\n")
    site.post("2024-05-01-prefix/index.md", "---\ntitle: x\ndate: 2024-05-02\n---\nx\n")
    site.post("2024-01-01-twin/index.md", simple_post("Twin one"))
    site.post("twin.md", simple_post("Twin two"))
    found = problems_of(site)
    assert any(p.startswith("posts/no-title.md:1: missing `title`") for p in found)
    assert any(p.startswith("posts/bad-date.md:3: bad date '2024-13-45'") for p in found)
    assert (
        "posts/2024-05-01-prefix/index.md:3: date 2024-05-02 does not match the name's date prefix 2024-05-01: "
        "change one of them" in found
    )
    assert any(
        p.startswith("posts/twin.md: duplicate URL /posts/twin/: posts/twin.md and posts/2024-01-01-twin/index.md")
        for p in found
    )


def test_near_duplicate_tags_point_at_the_less_used_spelling(site):
    site.post("a.md", simple_post("A", "[fast.ai, python]"))
    site.post("b.md", simple_post("B", "[fast.ai]"))
    site.post("c.md", simple_post("C", "[fastai, Python]"))
    assert tag_key("Fast.AI") == tag_key("fastai") == tag_key("fast-ai")
    found = problems_of(site)
    assert "posts/c.md:4: tag 'fastai' is a near-duplicate of 'fast.ai' (used by 2 post(s)): use one spelling" in found
    assert "posts/c.md:4: tag 'Python' is a near-duplicate of 'python' (used by 1 post(s)): use one spelling" in found
    assert len(found) == 2


def test_missing_images_alt_text_and_files(site):
    site.post(
        "2024-01-01-pics/index.md",
        simple_post(
            "Pics",
            body=(
                '![Loss](loss.png)\n\n![](there.png)\n\n<img src="gone.png" alt="x">\n\n'
                "[notebook](gone.ipynb) and [sub](data/x.csv)"
            ),
            extra="image: cover.png\n",
        ),
    )
    (site.root / "posts/2024-01-01-pics/there.png").write_bytes(b"png")
    (site.root / "posts/2024-01-01-pics/data").mkdir()
    (site.root / "posts/2024-01-01-pics/data/x.csv").write_text("1")
    site.post("single.md", simple_post("Single", body="![A plot](plot.png)"))
    found = problems_of(site)
    p = "posts/2024-01-01-pics/index.md"
    assert found == [
        f"{p}:5: `image`: missing image 'cover.png': no such file in posts/2024-01-01-pics/",
        f"{p}:8: missing image 'loss.png': no such file in posts/2024-01-01-pics/",
        f"{p}:10: image 'there.png' has no alt text: say what it shows, ![a plot of the loss](there.png)",
        f"{p}:12: missing image 'gone.png': no such file in posts/2024-01-01-pics/",
        f"{p}:14: missing file 'gone.ipynb': no such file in posts/2024-01-01-pics/",
        "posts/single.md:7: missing image 'plot.png': no such file in posts/",
    ]


def test_internal_links_that_lead_nowhere(site):
    good_site(site)
    site.post("draft.md", simple_post("Draft", extra="published: false\n"))
    site.post(
        "links.md",
        simple_post(
            "Links",
            "[python]",
            body=(
                "[a](/posts/nowhere/) [b](../2024-03-01-good/) [c](/tags/nope/) [d](../draft/)\n"
                "[e](/posts/good/index.html) [f](/posts/good) [g](/posts/good/square.png) [h](/posts/good/none.png)"
            ),
        ),
    )
    found = problems_of(site)
    assert found == [
        "posts/links.md:7: broken link '/posts/nowhere/': no post, tag or page at /posts/nowhere/",
        "posts/links.md:7: broken link '../2024-03-01-good/': no post, tag or page at /posts/2024-03-01-good/; "
        "did you mean /posts/good/?",
        "posts/links.md:7: broken link '/tags/nope/': no post, tag or page at /tags/nope/",
        "posts/links.md:7: link '../draft/' goes to a draft (/posts/draft/), which is not published",
        "posts/links.md:8: broken link '/posts/good/none.png': no post, tag or page at /posts/good/none.png",
    ]


def test_drafts_may_link_drafts_and_placeholders_only_matter_when_published(site):
    from coursenotes.authoring.scaffold import DESCRIPTION

    site.post("d1.md", simple_post("D1", body="[d2](../d2/)", extra=f"published: false\ndescription: {DESCRIPTION}\n"))
    site.post("d2.md", simple_post("D2", extra="draft: true\n"))
    assert problems_of(site) == []
    site.post("d1.md", simple_post("D1", body="[d2](../d2/)", extra=f"description: {DESCRIPTION}\n"))
    assert problems_of(site) == [
        "posts/d1.md:5: `description` is still the placeholder: say what the post covers",
        "posts/d1.md:8: link '../d2/' goes to a draft (/posts/d2/), which is not published",
    ]


def test_notebook_problems_name_the_cell(site):
    nb = {
        "cells": [
            {"cell_type": "raw", "metadata": {}, "source": "---\ntitle: NB\ndate: 2024-01-01\n---"},
            {"cell_type": "markdown", "metadata": {}, "source": "# Hi"},
            {"cell_type": "markdown", "metadata": {}, "source": ["See ", "[x](/posts/nowhere/)"]},
            {
                "cell_type": "code",
                "metadata": {},
                "source": "'[y](/posts/nowhere/)'",
                "outputs": [],
                "execution_count": None,
            },
        ],
        "metadata": {},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    site.post("nb/index.ipynb", json.dumps(nb))
    assert problems_of(site) == [
        "posts/nb/index.ipynb: cell 3: broken link '/posts/nowhere/': no post, tag or page at /posts/nowhere/"
    ]


def test_cli_prints_one_line_per_problem_and_exits_1(site, capsys, monkeypatch):
    site.post("a.md", simple_post("A", "[fastai]", body="![](x.png)"))
    site.post("2024-01-01-b/index.md", simple_post("B", "[fast.ai, fast.ai]"))
    monkeypatch.chdir(site.root)
    assert main(["check"]) == 1
    out, err = capsys.readouterr()
    assert out.splitlines() == [
        "posts/a.md:4: tag 'fastai' is a near-duplicate of 'fast.ai' (used by 1 post(s)): use one spelling",
        "posts/a.md:7: missing image 'x.png': no such file in posts/",
        "posts/a.md:7: image 'x.png' has no alt text: say what it shows, ![a plot of the loss](x.png)",
    ]
    assert "3 problem(s) in 1 file(s)" in err
