"""Discovering posts and reading their front matter."""

import datetime as dt
import json

import pytest

from coursenotes.errors import FrontMatterError, PostError
from coursenotes.sources.posts import discover, read_post
from coursenotes.sources.slugs import slugify


def test_folder_and_file_posts_are_found_with_slugs(site):
    site.post("2024-09-21-lesson-one/index.qmd", "---\ntitle: A\n---\n")
    site.post("plain-post.md", "---\ntitle: B\ndate: 2024-01-02\n---\n")
    site.post(
        "2023-05-06-notebook.ipynb",
        json.dumps(
            {
                "cells": [{"cell_type": "raw", "metadata": {}, "source": "---\ntitle: C\n---"}],
                "metadata": {},
                "nbformat": 4,
                "nbformat_minor": 5,
            }
        ),
    )
    site.post("_draft-notes/index.md", "---\ntitle: hidden folder\n---\n")
    posts, errors = discover(site.root / "posts")
    assert errors == []
    assert {p.slug: p.title for p in posts} == {"lesson-one": "A", "plain-post": "B", "notebook": "C"}
    by_slug = {p.slug: p for p in posts}
    assert by_slug["lesson-one"].date == dt.datetime(2024, 9, 21)  # from the prefix
    assert by_slug["notebook"].date == dt.datetime(2023, 5, 6)
    assert by_slug["lesson-one"].url == "/posts/lesson-one/"


def test_hand_written_front_matter(site):
    path = site.post(
        "x/index.md",
        """
        ---
        date: '2024-09-21T11:30:00.926680'
        published: true
        tags: [python, fast.ai, courses]
        time_to_read: 5
        title: Lesson notes
        description: What I learnt
        author: Ada
        image: grid.png
        ---
        Body.
        """,
    )
    post = read_post(path)
    assert post.date == dt.datetime(2024, 9, 21, 11, 30, 0, 926680)
    assert post.tags == ("python", "fast.ai", "courses")
    assert (post.time_to_read, post.draft, post.description, post.author, post.image) == (
        5,
        False,
        "What I learnt",
        "Ada",
        "grid.png",
    )


@pytest.mark.parametrize(
    "fm, draft",
    [
        ("published: false", True),
        ("draft: true", True),
        ("published: true", False),
        ("draft: false", False),
        ("", False),
    ],
)
def test_draft_flags(site, fm, draft):
    assert read_post(site.post("p.md", f"---\ntitle: T\n{fm}\n---\n")).draft is draft


def test_tags_and_categories_merge_in_order_without_duplicates(site):
    post = read_post(
        site.post("p.md", "---\ntitle: T\ntags: python\ncategories: [fast.ai, python, courses, Fast.AI]\n---\n")
    )
    assert post.tags == ("python", "fast.ai", "courses")


@pytest.mark.parametrize(
    "value, expected",
    [
        ("2024-09-21", dt.datetime(2024, 9, 21)),
        ("'2024-09-21'", dt.datetime(2024, 9, 21)),
        ("2024-09-21T11:30:00", dt.datetime(2024, 9, 21, 11, 30)),
        ("'2024-09-21 08:00'", dt.datetime(2024, 9, 21, 8)),
    ],
)
def test_date_forms(site, value, expected):
    assert read_post(site.post("p.md", f"---\ntitle: T\ndate: {value}\n---\n")).date == expected


def test_reading_time_is_computed_from_prose_when_absent(site):
    prose = " ".join(["word"] * 690)  # 3 minutes at 230 wpm
    code = "\n".join(["x = compute(a, b, c, d)"] * 200)  # 1000 words of code, counted at half weight
    assert read_post(site.post("a.md", f"---\ntitle: T\n---\n{prose}\n")).time_to_read == 3
    with_code = read_post(site.post("b.md", f"---\ntitle: T\n---\n{prose}\n\n```python\n{code}\n```\n"))
    assert 3 < with_code.time_to_read < 3 + 1000 / 230
    assert read_post(site.post("c.md", "---\ntitle: T\n---\nhi\n")).time_to_read == 1


def test_notebook_front_matter_in_first_markdown_cell(site):
    nb = {
        "cells": [
            {"cell_type": "markdown", "metadata": {}, "source": ["---\n", "title: NB\n", "tags: [a, b]\n", "---\n"]},
            {"cell_type": "code", "metadata": {}, "source": "1+1", "outputs": [], "execution_count": None},
        ],
        "metadata": {},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    post = read_post(site.post("nb/index.ipynb", json.dumps(nb)))
    assert (post.title, post.tags) == ("NB", ("a", "b"))
    assert len(post.raw.notebook["cells"]) == 1


@pytest.mark.parametrize(
    "text, message, line",
    [
        ("---\ntitle: T\ndate: 2024-13-45\n---\n", "bad date", 3),
        ("---\ntitle: T\ndate: yesterday\n---\n", "bad date 'yesterday'", 3),
        ("---\ndescription: no title\n---\n", "missing `title`", 1),
        ("---\ntitle: T\ntags: [a, b\n---\n", "invalid YAML", None),
        ("---\ntitle: [unclosed\n---\n", "invalid YAML", None),
        ("no front matter\n", "no front matter", 1),
        ("---\ntitle: T\n", "not closed", 1),
        ("---\ntitle: T\ntime_to_read: soon\n---\n", "`time_to_read` must be a positive number", 3),
        ("---\ntitle: T\ntags: {a: 1}\n---\n", "`tags` must be a string or a list", 3),
        ("---\n- a\n- b\n---\n", "must be a YAML mapping", 2),
    ],
)
def test_front_matter_errors_name_file_and_line(site, text, message, line):
    path = site.post("bad.md", text)
    with pytest.raises(FrontMatterError) as info:
        read_post(path)
    assert message in str(info.value)
    assert str(info.value).startswith(str(path) if line is None else f"{path}:{line}:") or line is None
    if line:
        assert info.value.line == line


def test_yaml_error_points_at_the_bad_line(site):
    path = site.post("bad.md", "---\ntitle: ok\ndescription: fine\ntags: [a, b\n---\n")
    with pytest.raises(FrontMatterError) as info:
        read_post(path)
    assert info.value.line in (4, 5)


def test_non_utf8_file_is_reported_with_its_line(site):
    path = site.root / "posts" / "latin1.md"
    path.write_bytes("---\ntitle: café\n---\n".encode("latin-1"))
    with pytest.raises(PostError) as info:
        read_post(path)
    assert "UTF-8" in str(info.value) and info.value.line == 2


def test_unreadable_file_is_an_error(site, monkeypatch):
    path = site.post("locked.md", "---\ntitle: T\n---\n")
    real = type(path).read_bytes

    def refuse(self):
        # root reads any file whatever its mode, so the refusal is simulated where chmod cannot cause it
        if self == path:
            raise PermissionError(13, "Permission denied", str(self))
        return real(self)

    monkeypatch.setattr(type(path), "read_bytes", refuse)
    with pytest.raises(PostError, match="cannot read file: Permission denied"):
        read_post(path)
    posts, errors = discover(site.root / "posts")
    assert posts == [] and [str(e) for e in errors] == [f"{path}: cannot read file: Permission denied"]


def test_duplicate_slugs_are_reported_and_every_post_is_checked(site):
    site.post("2024-01-01-intro.md", "---\ntitle: A\n---\n")
    site.post("intro/index.md", "---\ntitle: B\n---\n")
    site.post("bad.md", "---\ntitle: C\ndate: nope\n---\n")
    site.post("bad2.md", "---\n---\n")
    _, errors = discover(site.root / "posts")
    messages = [str(e) for e in errors]
    assert len(errors) == 3
    assert any("duplicate URL /posts/intro/" in m and "intro.md" in m and "index.md" in m for m in messages)
    assert any("bad.md:3: bad date" in m for m in messages)
    assert any("bad2.md:1: missing `title`" in m for m in messages)


@pytest.mark.parametrize(
    "tag, slug",
    [
        ("fast.ai", "fast.ai"),
        ("Python", "python"),
        ("Deep Learning", "deep-learning"),
        ("C++", "c-plus-plus"),
        ("C#", "c-sharp"),
        (".NET", "dot-net"),
        ("café au lait", "cafe-au-lait"),
        ("a/b\\c", "a-b-c"),
        ("../../etc", "etc"),
        ("R&D", "r-and-d"),
    ],
)
def test_tag_slugs_are_safe_and_readable(tag, slug):
    assert slugify(tag) == slug


def test_tag_slugs_for_text_with_no_ascii_are_stable_hashes():
    assert slugify("深度学习") == slugify("深度学习") != slugify("机器学习")
    assert slugify("深度学习").startswith("t-")
