"""The Quarto pre-render bridge, tested without Quarto: what it writes, and that the Quarto pages use it."""

import itertools
import re
import shutil
import subprocess

import pytest
import yaml
from tests.conftest import REPO, simple_post

from coursenotes.build import build
from coursenotes.cli import main
from coursenotes.quarto.bridge import (
    ARCHIVE_LISTING,
    DRAFTS,
    MARKER,
    POSTS_LISTING,
    TAGS_LISTING,
    generate,
    stale,
    write,
)
from coursenotes.sources.posts import discover


def front_matter(text: str) -> dict:
    """The YAML between a page's `---` lines."""
    return yaml.safe_load(text.split("---\n")[1])


@pytest.fixture
def blog(site):
    """Four posts: tags and categories mixed, a single-file post, a draft, a tag spelled two ways."""
    site.post(
        "2024-09-21-fastai-lesson-1/index.qmd",
        simple_post(
            "Lesson 1",
            "[python, fast.ai]",
            "2024-09-21T11:30:00",
            extra="categories: [courses, Python]\nimage: thumb.png\n",
        ),
    )
    site.post("2024-08-10-python-basics/index.md", simple_post("Python basics", "python", "2024-08-10"))
    site.post("2024-07-01-welcome.md", simple_post("Welcome", "[meta]", "2024-07-01", extra='author: "Ann"\n'))
    site.post(
        "2024-10-01-unfinished/index.md",
        simple_post("Unfinished", "[python, secret]", "2024-10-01", extra="published: false\n"),
    )
    return site


def test_posts_listing_has_categories_from_tags_newest_first_without_drafts(blog):
    files = generate(blog.root)
    assert files[POSTS_LISTING].startswith(MARKER)
    items = yaml.safe_load(files[POSTS_LISTING])
    assert [i["title"] for i in items] == ["Lesson 1", "Python basics", "Welcome"]
    first = items[0]
    assert first["path"] == "/posts/2024-09-21-fastai-lesson-1/index.qmd"  # Quarto links the source to its output
    assert first["categories"] == ["python", "fast.ai", "courses"]  # tags, then categories, `Python` once
    assert first["date"] == "2024-09-21T11:30:00" and first["reading-time"] == 1
    assert first["image"] == "/posts/2024-09-21-fastai-lesson-1/thumb.png"
    assert items[2]["path"] == "/posts/2024-07-01-welcome.md" and items[2]["author"] == "Ann"
    assert "author" not in first and "description" not in first  # absent fields are left out
    assert files[ARCHIVE_LISTING] == files[POSTS_LISTING]


def test_one_tag_page_per_tag_with_its_posts_and_feed(blog):
    files = generate(blog.root)
    pages = sorted(k for k in files if k.startswith("tags/") and k.endswith("/index.qmd"))
    assert pages == ["tags/courses/index.qmd", "tags/fast.ai/index.qmd", "tags/meta/index.qmd", "tags/python/index.qmd"]
    meta = front_matter(files["tags/python/index.qmd"])
    assert meta["title"] == "Posts tagged python"
    listing = meta["listing"]
    assert [i["title"] for i in listing["contents"]] == ["Lesson 1", "Python basics"]  # the draft is not listed
    assert listing["sort"] == "date desc" and listing["feed"] == {"title": "Test notes: python"}
    assert "categories" in listing["fields"]
    rows = yaml.safe_load(files[TAGS_LISTING])
    assert rows[0] == {"title": "python", "path": "/tags/python/index.qmd", "posts": 2}  # most used first
    assert {r["title"] for r in rows} == {"python", "fast.ai", "courses", "meta"}


def test_published_false_posts_become_quarto_drafts(blog):
    drafts = yaml.safe_load(generate(blog.root)[DRAFTS])
    assert drafts == {"website": {"drafts": ["posts/2024-10-01-unfinished/index.md"]}}


def test_write_only_touches_what_changed_and_drops_stale_tag_pages(blog):
    first = write(blog.root, generate(blog.root))
    assert POSTS_LISTING in first and "tags/meta/index.qmd" in first
    assert write(blog.root, generate(blog.root)) == []  # a second run changes nothing
    (blog.root / "tags" / "hand-made").mkdir()
    (blog.root / "tags" / "hand-made" / "index.qmd").write_text("---\ntitle: mine\n---\n")
    (blog.root / "posts" / "2024-07-01-welcome.md").unlink()  # the only `meta` post
    changed = write(blog.root, generate(blog.root))
    assert "tags/meta/index.qmd" in changed and not (blog.root / "tags" / "meta").exists()
    assert (blog.root / "tags" / "hand-made" / "index.qmd").exists()  # not ours: never deleted
    assert stale(blog.root, generate(blog.root)) == []


def test_cli_prerender_writes_the_files(blog, capsys):
    assert main(["quarto-prerender", "--root", str(blog.root)]) == 0
    assert "updated" in capsys.readouterr().out
    assert (blog.root / POSTS_LISTING).exists() and (blog.root / "tags" / "fast.ai" / "index.qmd").exists()


def test_cli_prerender_reports_a_broken_post(site, capsys):
    site.post("bad/index.md", "---\ntitle: [unclosed\n---\n")
    assert main(["quarto-prerender", "--root", str(site.root)]) == 1
    assert "cannot be read" in capsys.readouterr().err


def test_our_build_ignores_the_quarto_pages_and_generated_files(blog):
    for name in ("index.qmd", "404.qmd", "tags/index.qmd", "archive/index.qmd"):
        (blog.root / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(REPO / name, blog.root / name)
    write(blog.root, generate(blog.root))
    result = build(blog.root)
    assert result.ok, result.errors
    assert sorted(p.slug for p in result.posts) == ["fastai-lesson-1", "python-basics", "welcome"]
    assert "Posts tagged" in blog.read("tags/python/index.html") and "listing:" not in blog.read(
        "tags/python/index.html"
    )


# --- the committed Quarto project uses exactly what the bridge writes --------------------------------


def repo_front_matter(rel: str) -> dict:
    return front_matter((REPO / rel).read_text())


@pytest.mark.parametrize(
    "page, data",
    [("index.qmd", POSTS_LISTING), ("archive/index.qmd", ARCHIVE_LISTING), ("tags/index.qmd", TAGS_LISTING)],
)
def test_listing_pages_read_the_generated_files_beside_them(page, data):
    data_dir, _, name = data.rpartition("/")
    assert repo_front_matter(page)["listing"]["contents"] == name  # a bare name: Quarto globs `**/<name>`
    assert data_dir == page.rpartition("/")[0]  # ... below the page's own folder


def test_generated_file_names_are_unique_and_visible_to_quarto():
    names = [p.rsplit("/", 1)[-1] for p in (POSTS_LISTING, ARCHIVE_LISTING, TAGS_LISTING)]
    assert len(set(names)) == len(names)
    assert not any(n.startswith(("_", ".")) for n in names)  # Quarto skips _* and .* there


def test_home_page_is_a_blog_listing_with_categories_and_feed():
    listing = repo_front_matter("index.qmd")["listing"]
    assert listing["sort"] == "date desc" and listing["categories"] is True and listing["feed"] is True


def quarto_config() -> dict:
    return yaml.safe_load((REPO / "_quarto.yml").read_text())


def test_quarto_config_is_a_website_with_the_bridge_scripts():
    config = quarto_config()
    assert config["project"]["type"] == "website" and config["project"]["output-dir"] == "_site"
    assert config["project"]["pre-render"] == "python -m coursenotes quarto-prerender"
    assert config["project"]["post-render"] == "python -m coursenotes quarto-postrender"
    assert config["metadata-files"] == [DRAFTS]
    assert {"title", "site-url", "description", "navbar"} <= set(config["website"])
    assert config["execute"] == {"freeze": "auto", "cache": True} and config["jupyter"] == "python3"
    assert config["filters"] == ["coursenotes", "coursenotes-quarto"]
    for name in config["filters"]:
        ext = yaml.safe_load((REPO / "_extensions" / name / "_extension.yml").read_text())
        assert all((REPO / "_extensions" / name / f).exists() for f in ext["contributes"]["filters"])


def expand_braces(glob: str) -> list[str]:
    """`a.{x,y}` -> [`a.x`, `a.y`] (one group is all _quarto.yml uses)."""
    m = re.search(r"\{([^}]*)\}", glob)
    return [glob[: m.start()] + alt + glob[m.end() :] for alt in m.group(1).split(",")] if m else [glob]


def test_quarto_renders_the_site_pages_and_nothing_else(blog):
    """`project: render:` keeps docs/*.md and the test fixtures out of Quarto's site."""
    for name in ("index.qmd", "404.qmd", "tags/index.qmd", "archive/index.qmd"):
        (blog.root / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(REPO / name, blog.root / name)
    write(blog.root, generate(blog.root))
    (blog.root / "docs").mkdir()
    (blog.root / "docs" / "notes.md").write_text("# not a page\n")
    (blog.root / "tests" / "data" / "posts").mkdir(parents=True)
    (blog.root / "tests" / "data" / "posts" / "fixture.qmd").write_text("---\ntitle: x\n---\n")
    globs = quarto_config()["project"]["render"]
    assert all(g.startswith("/") for g in globs)  # anchored at the project root
    found = {
        p.relative_to(blog.root).as_posix() for g in globs for e in expand_braces(g) for p in blog.root.glob(e[1:])
    }
    sources = {p.source.relative_to(blog.root).as_posix() for p in discover(blog.root / "posts")[0]}
    pages = {"index.qmd", "404.qmd", "tags/index.qmd", "archive/index.qmd"}
    assert found == sources | pages | {k for k in generate(blog.root) if k.endswith(".qmd")}


def test_every_quarto_key_cites_quarto_docs():
    text = (REPO / "_quarto.yml").read_text()
    blocks = re.split(r"\n(?=[a-z])", text)  # one block per top-level key
    for before, block in itertools.pairwise(blocks):  # a key's comment may sit above it
        assert "https://quarto.org/docs/" in block or "https://quarto.org/docs/" in before.rsplit("\n\n", 1)[-1], block


def test_generated_files_are_git_ignored(blog):
    files = generate(blog.root)
    paths = [*files, "tags/fast.ai/index.qmd", ".quarto/idx/x.json"]
    proc = subprocess.run(
        ["git", "-C", str(REPO), "check-ignore", "--no-index", *paths], capture_output=True, text=True
    )
    assert sorted(proc.stdout.split()) == sorted(paths)
    for committed in ("index.qmd", "tags/index.qmd", "archive/index.qmd", "404.qmd"):
        assert subprocess.run(["git", "-C", str(REPO), "check-ignore", "-q", "--no-index", committed]).returncode == 1
