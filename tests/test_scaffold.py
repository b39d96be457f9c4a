"""`coursenotes new`: a complete draft post in each format, never overwriting one."""

import datetime as dt
import json

import pytest

from coursenotes.authoring.scaffold import new_post
from coursenotes.cli import main
from coursenotes.errors import PostError
from coursenotes.sources.notebook import to_notebook
from coursenotes.sources.posts import read_post

DAY = dt.date(2024, 10, 5)


@pytest.mark.parametrize("fmt", ["qmd", "ipynb", "md"])
def test_new_post_has_front_matter_and_a_code_cell(site, fmt):
    path = new_post(site.root / "posts", "Lesson 2: Deployment", ["fast.ai", "courses"], fmt, DAY)
    assert path == site.root / "posts" / "2024-10-05-lesson-2-deployment" / f"index.{fmt}"
    post = read_post(path)
    assert (post.title, post.date, post.tags, post.draft, post.slug) == (
        "Lesson 2: Deployment",
        dt.datetime(2024, 10, 5),
        ("fast.ai", "courses"),
        True,
        "lesson-2-deployment",
    )
    assert post.description and post.meta["published"] is False
    code = [c for c in to_notebook(post).cells if c.cell_type == "code"]
    assert len(code) == 1 and "1 + 1" in code[0].source


def test_notebook_front_matter_is_the_first_raw_cell(site):
    nb = json.loads(new_post(site.root / "posts", "NB", [], "ipynb", DAY).read_text())
    assert nb["cells"][0]["cell_type"] == "raw" and "".join(nb["cells"][0]["source"]).startswith("---\ntitle: NB\n")
    assert nb["metadata"]["kernelspec"]["name"] == "python3"


def test_new_refuses_to_overwrite(site):
    path = new_post(site.root / "posts", "Same", [], "qmd", DAY)
    path.write_text("my words")
    with pytest.raises(PostError, match="already exists"):
        new_post(site.root / "posts", "Same", [], "md", DAY)
    assert path.read_text() == "my words"


def test_new_draft_builds_only_with_drafts(site):
    from coursenotes.build import BuildOptions, build

    text = new_post(site.root / "posts", "Draft", ["x"], "md", DAY).read_text()
    (site.root / "posts" / "2024-10-05-draft" / "index.md").write_text(text.replace("```{python}", "```python"))
    assert build(site.root).posts == []
    assert [p.title for p in build(site.root, BuildOptions(drafts=True)).posts] == ["Draft"]


def test_cli_new_prints_the_path_and_uses_today(site, capsys, monkeypatch):
    monkeypatch.chdir(site.root)
    assert main(["new", "Lesson 3: Neural net foundations", "--tags", "fast.ai, courses", "--format", "md"]) == 0
    out = capsys.readouterr().out.strip()
    assert out == f"posts/{dt.date.today().isoformat()}-lesson-3-neural-net-foundations/index.md"
    assert read_post(site.root / out).tags == ("fast.ai", "courses")
    assert main(["new", "Lesson 3: Neural net foundations"]) == 1
    assert "already exists" in capsys.readouterr().err
    assert main(["new", "  "]) == 1 and "title is empty" in capsys.readouterr().err
