"""Random front matter, file names and cell outputs thrown at the build: no traceback, no escape, valid feeds.

Hypothesis runs a fixed, derandomized set of examples (the same ones on every run, so CI is
stable) over a bounded number of builds; each build is a fresh site beside an `outside/` secret.
"""

from __future__ import annotations

import json
import os
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.conftest import SiteMaker

from coursenotes.build import BuildOptions, build
from coursenotes.errors import InternalError
from coursenotes.sources import slugify

SECRET = "FUZZ-SECRET-e41c"
TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40)
NAME = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="/\x00"), min_size=1, max_size=30
).filter(lambda s: s not in (".", "..") and len(s.encode()) < 200)
SCALAR = st.one_of(TEXT, st.booleans(), st.integers(-5, 5), st.none(), st.sampled_from(["2024-01-02", "now", "x"]))
FLAG = st.one_of(st.booleans(), st.booleans(), st.booleans(), SCALAR)  # mostly valid, so most builds get far
DATE = st.one_of(
    st.dates().map(str), st.sampled_from(["2024-09-22T10:00:00Z", "2024-09-22T10:00:00+05:30", "now"]), SCALAR
)
META = st.fixed_dictionaries(
    {"title": st.one_of(TEXT.filter(str.strip), st.sampled_from(["<script>alert(1)</script>", "a\x07b\x0bc", ""]))},
    optional={
        "tags": st.one_of(st.lists(TEXT, max_size=3), TEXT),
        "categories": st.lists(
            st.one_of(TEXT, st.sampled_from(["../../etc", "<img src=x onerror=alert(1)>"])), max_size=3
        ),
        "description": TEXT,
        "date": DATE,
        "published": FLAG,
        "draft": FLAG,
        "image": st.sampled_from(["../../outside/secret.txt", "/etc/passwd", "pic.png", "x y.png"]),
        "execute": st.dictionaries(st.sampled_from(["eval", "echo", "timout", "freeze"]), FLAG, max_size=2),
        "time_to_read": st.one_of(st.integers(1, 30), SCALAR),
    },
)
OUTPUT_TEXT = st.text(max_size=120) | st.sampled_from(["\x00\x1b[31mred\x1b[0m\x0c", "<img src=x onerror=alert(1)>"])
POST = st.tuples(NAME, META, st.sampled_from(["md", "ipynb"]), st.lists(OUTPUT_TEXT, max_size=3))


def notebook(meta: dict, outputs: list[str]) -> str:
    """An .ipynb with this front matter and one code cell holding these outputs (stored, not run)."""
    outs = [{"output_type": "stream", "name": "stdout", "text": text} for text in outputs[:1]]
    outs += [
        {"output_type": "display_data", "metadata": {}, "data": {"text/html": t, "text/plain": t}} for t in outputs[1:]
    ]
    cells = [
        {"cell_type": "raw", "metadata": {}, "source": "---\n" + yaml.safe_dump(meta, allow_unicode=True) + "---\n"},
        {"cell_type": "code", "metadata": {}, "source": "print(x)", "execution_count": 1, "outputs": outs},
    ]
    return json.dumps({"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": cells})


def write_post(posts: Path, name: str, meta: dict, kind: str, outputs: list[str]) -> None:
    """The post as posts/<name>/index.<kind>."""
    folder = posts / name
    folder.mkdir(parents=True, exist_ok=True)
    if kind == "ipynb":
        text = notebook(meta, outputs)
    else:
        body = "\n\n".join(["Words ![p](pic.png) [up](../../../outside/secret.txt)", *outputs])
        text = "---\n" + yaml.safe_dump(meta, allow_unicode=True) + "---\n\n" + body + "\n"
    (folder / f"index.{kind}").write_text(text, encoding="utf-8")


def check_site(out: Path, result) -> None:
    """Nothing escaped the site folder, no secret was published, and every feed is XML."""
    for key in result.files:
        assert not key.startswith("/") and ".." not in Path(key).parts, key
        assert (out / key).resolve().is_relative_to(out.resolve()), key
    for dirpath, _, filenames in os.walk(out):
        for name in filenames:
            path = Path(dirpath) / name
            assert not path.is_symlink(), path
            data = path.read_bytes()
            assert SECRET.encode() not in data, path
            if name.endswith(".xml"):
                ET.fromstring(data)


@settings(
    max_examples=10,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(st.lists(POST, min_size=1, max_size=3, unique_by=lambda p: p[0]))
def test_random_posts_never_crash_escape_or_break_feeds(posts):
    with tempfile.TemporaryDirectory() as tmp:
        maker = SiteMaker(Path(tmp) / "site")
        outside = Path(tmp) / "outside"
        outside.mkdir()
        (outside / "secret.txt").write_text(SECRET)
        for name, meta, kind, outputs in posts:
            write_post(maker.root / "posts", name, meta, kind, outputs)
        result = build(maker.root, BuildOptions(search=False, execute=False))
        assert not [e for e in result.errors if isinstance(e, InternalError)], [str(e) for e in result.errors]
        for error in result.errors:
            assert "\n" not in str(error), str(error)
        if result.ok:
            check_site(result.out, result)
        assert [p.name for p in outside.iterdir()] == ["secret.txt"]


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(st.text(max_size=600))
def test_any_text_slugifies_to_a_safe_bounded_folder_name(text):
    slug = slugify(text)
    assert 0 < len(slug) <= 80 and slug not in (".", "..")
    assert all(c.isascii() and (c.isalnum() or c in "._-") for c in slug), slug
    assert not slug.startswith((".", "-")) and slugify(text) == slug
