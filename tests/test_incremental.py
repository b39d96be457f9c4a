"""Incremental builds are exact: after any edits, the published site equals a clean build's, byte for byte."""

from __future__ import annotations

import json
import os
import random
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.conftest import SiteMaker, simple_post

from coursenotes.build import BuildOptions, build
from coursenotes.cli import main
from coursenotes.incremental.manifest import FOLDER

TAGS = ["python", "fast.ai", "courses", "math"]
QUIET = BuildOptions(search=False)


def post_text(title: str, tags: list[str], date: str, body: str) -> str:
    """A post with front matter, a heading, a diagram and a link to an image beside it."""
    return (
        f"---\ntitle: {title}\ndate: {date}\ntags: {tags}\ndescription: About {title}\n---\n\n"
        f"## Notes\n\n{body}\n\n```mermaid\nflowchart LR\n  A --> B\n```\n"
    )


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` by relative path, with its bytes (the search index included: it is deterministic)."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def clean_build(site: SiteMaker, out: Path, options: BuildOptions = QUIET) -> dict[str, bytes]:
    """A build with no manifest, memo or earlier output: every post and page made from scratch."""
    cache, aside = site.root / FOLDER, site.root / ".cache-aside"
    if cache.exists():
        cache.rename(aside)
    shutil.rmtree(out, ignore_errors=True)
    try:
        result = build(site.root, BuildOptions(**{**options.__dict__, "out": out}))
        assert result.ok, result.errors
    finally:
        shutil.rmtree(cache, ignore_errors=True)
        if aside.exists():
            aside.rename(cache)
    return tree(out)


def assert_exact(site: SiteMaker, tmp_path: Path, options: BuildOptions = QUIET) -> None:
    """Build incrementally into _site/, then cleanly elsewhere, and compare every byte."""
    result = build(site.root, options)
    assert result.ok, result.errors
    incremental, clean = tree(site.root / "_site"), clean_build(site, tmp_path / "clean", options)
    for files in (incremental, clean):  # how long this build spent on each post is no output of it
        if "execution/report.json" in files:
            report = json.loads(files["execution/report.json"])
            files["execution/report.json"] = json.dumps([{**r, "seconds": 0} for r in report["posts"]]).encode()
    assert sorted(incremental) == sorted(clean)
    assert [k for k in clean if incremental[k] != clean[k]] == []


class Edits:
    """The edits an author makes between builds, on a small site of dated, tagged posts."""

    def __init__(self, site: SiteMaker):
        self.site, self.n = site, 0
        for i in range(5):
            self.add(f"p{i}", f"Post {i}", TAGS[i % 2 : i % 2 + 2], f"2024-01-{10 + i:02d}")

    def path(self, slug: str) -> Path:
        return self.site.root / "posts" / slug / "index.md"

    def slugs(self) -> list[str]:
        return sorted(p.parent.name for p in (self.site.root / "posts").glob("*/index.md"))

    def add(self, slug: str, title: str, tags: list[str], date: str) -> None:
        self.site.post(f"{slug}/index.md", post_text(title, tags, date, f"Body of {title}."))
        (self.site.root / "posts" / slug / "pic.svg").write_text(f"<svg><title>{slug}</title></svg>")

    def apply(self, op: str, pick: int) -> None:
        """One edit: `pick` chooses the post it touches."""
        slugs, self.n = self.slugs(), self.n + 1
        slug = slugs[pick % len(slugs)]
        path, text = self.path(slug), self.path(slug).read_text() if slugs else ""
        if op == "prose":
            path.write_text(text.replace("## Notes", f"## Notes\n\nEdit {self.n}, see ![a picture](pic.svg)."))
        elif op == "title":
            path.write_text(text.replace("title: ", f"title: Renamed {self.n} ", 1))
        elif op == "tags":
            path.write_text(text.replace("tags: [", f"tags: ['new-{self.n % 2}', ", 1))
        elif op == "date":
            path.write_text(text.replace("date: 2024", "date: 2023", 1))
        elif op == "delete" and len(slugs) > 2:
            shutil.rmtree(path.parent)
        elif op == "rename":
            path.parent.rename(path.parent.with_name(f"{slug}-r{self.n}"))
        elif op == "add":
            self.add(f"new-{self.n}", f"New {self.n}", [TAGS[self.n % 4]], f"2024-02-{1 + self.n % 27:02d}")
        elif op == "draft":
            path.write_text(text.replace("---\n\n", "published: false\n---\n\n", 1))
        elif op == "touch":
            os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 10**9))
        elif op == "config":
            quarto = self.site.root / "_quarto.yml"
            quarto.write_text(quarto.read_text().replace('title: "Test notes', f'title: "Test notes {self.n}', 1))


OPS = ["prose", "title", "tags", "date", "delete", "rename", "add", "draft", "touch", "config"]
SEQUENCES = [
    ["prose"],
    ["title", "tags"],
    ["delete", "add"],
    ["rename", "prose"],
    ["date", "draft"],
    ["touch", "config", "prose"],
]


@pytest.mark.parametrize("ops", SEQUENCES, ids=["+".join(s) for s in SEQUENCES])
def test_incremental_site_equals_a_clean_build(site, tmp_path, ops):
    edits = Edits(site)
    assert build(site.root, QUIET).ok
    for i, op in enumerate(ops):
        edits.apply(op, i * 2 + 1)
        assert_exact(site, tmp_path)


@pytest.mark.slow
@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(st.tuples(st.sampled_from(OPS), st.integers(0, 20)), min_size=2, max_size=6))
def test_any_sequence_of_edits_stays_exact(tmp_path_factory, steps):
    site = SiteMaker(tmp_path_factory.mktemp("random") / "site")
    edits = Edits(site)
    assert build(site.root, QUIET).ok
    for op, pick in steps:
        edits.apply(op, pick)
        assert build(site.root, QUIET).ok
    assert_exact(site, tmp_path_factory.mktemp("clean"))


def test_a_no_op_build_writes_nothing(site, tmp_path, capsys, monkeypatch):
    Edits(site).apply("draft", 0)
    assert len(build(site.root, QUIET).posts) == 4
    before = os.stat(site.root / "_site").st_ino
    again = build(site.root, QUIET)
    assert again.ok and again.up_to_date and len(again.posts) == 4  # the draft is not published
    assert os.stat(site.root / "_site").st_ino == before  # not even swapped
    monkeypatch.chdir(site.root)
    assert main(["build"]) == 0  # with search: other options, so a real build
    assert "(up to date)" not in capsys.readouterr().out
    assert main(["build"]) == 0
    assert (
        capsys.readouterr().out.strip().endswith("built 4 post(s) into " + str(site.root / "_site") + " (up to date)")
    )


def test_a_prose_edit_rewrites_only_the_pages_it_touches(site, tmp_path):
    edits = Edits(site)
    assert build(site.root, QUIET).ok
    out = site.root / "_site"
    inode = {p.relative_to(out).as_posix(): p.stat().st_ino for p in out.rglob("*.html")}
    edits.apply("prose", 2)  # p2: in the middle, so its neighbours show only its title
    assert build(site.root, QUIET).ok
    changed = sorted(rel for rel, ino in inode.items() if (out / rel).stat().st_ino != ino)
    # The edit adds p2's first image, which its card on the home page shows (as Quarto's listings do);
    # tag pages, archive and the neighbours' pages show titles only: unchanged.
    assert changed == ["index.html", "posts/p2/index.html"]
    edits.apply("title", 2)
    assert build(site.root, QUIET).ok
    changed = sorted(rel for rel, ino in inode.items() if (out / rel).stat().st_ino != ino)
    assert "posts/p0/index.html" not in changed and {"posts/p1/index.html", "posts/p3/index.html"} <= set(changed)


def test_a_failed_build_keeps_the_site_and_the_next_build_catches_up(site, tmp_path):
    edits = Edits(site)
    assert build(site.root, QUIET).ok
    good = tree(site.root / "_site")
    edits.path("p1").write_text("---\ntitle: [unclosed\n---\n")
    assert not build(site.root, QUIET).ok
    assert tree(site.root / "_site") == good
    edits.path("p1").write_text(post_text("Post 1 again", ["math"], "2024-01-11", "Fixed."))
    assert_exact(site, tmp_path)


def test_search_index_files_are_rewritten_only_where_words_changed(site, tmp_path):
    edits = Edits(site)
    options = BuildOptions(search=True)
    assert build(site.root, options).ok
    index = site.root / "_site/search"
    inodes = lambda: {p.relative_to(index).as_posix(): p.stat().st_ino for p in index.rglob("*.json")}
    first = inodes()
    (site.root / "posts/p1/pic.svg").write_text("<svg><title>other</title></svg>")  # an asset: no page text
    assert build(site.root, options).ok
    assert inodes() == first
    edits.apply("prose", 3)
    assert build(site.root, options).ok
    changed = {rel for rel, ino in inodes().items() if first.get(rel) != ino}
    assert changed and len(changed) < len(first) / 2, changed  # the post's record and the shards of its words
    assert_exact(site, tmp_path, options)


def test_random_edits_stay_exact_with_search(site, tmp_path):
    edits, rng = Edits(site), random.Random(7)
    options = BuildOptions(search=True)
    assert build(site.root, options).ok
    for _ in range(4):
        edits.apply(rng.choice(["prose", "tags", "add", "delete", "title"]), rng.randrange(10))
        assert build(site.root, options).ok
    assert_exact(site, tmp_path, options)


def test_a_prose_edit_reuses_outputs_without_the_cache_or_a_kernel(site, tmp_path, monkeypatch):
    from coursenotes.execution import cache

    code = "```{python}\nprint(6 * 7)\n```\n"
    site.post("a/index.qmd", f"---\ntitle: A\n---\n\nFirst prose.\n\n{code}")
    assert build(site.root, QUIET).ok
    refuse = lambda *a, **k: (_ for _ in ()).throw(AssertionError("the execution cache was read"))
    monkeypatch.setattr(cache.ExecutionCache, "lookup", refuse)
    site.post("a/index.qmd", f"---\ntitle: A\n---\n\nOther prose,\n\nin two paragraphs.\n\n{code}")
    result = build(site.root, QUIET)
    assert result.ok and [r.status for r in result.report.runs] == ["cached"]
    page = site.read("posts/a/index.html")
    assert "42" in page and "in two paragraphs" in page
    monkeypatch.undo()
    assert_exact(site, tmp_path)


def test_titles_rendered_once_are_not_sent_to_pandoc_again(site, monkeypatch):
    from coursenotes.render import display

    site.post("a.md", simple_post("*Alpha* notes", body="First."))
    site.post("b.md", simple_post("Beta", body="Second."))
    assert build(site.root, QUIET).ok
    sent: list[list[str]] = []
    real = display.run_inline
    monkeypatch.setattr(display, "run_inline", lambda texts: sent.append(texts) or real(texts))
    site.post("a.md", simple_post("*Alpha* notes", body="First, edited."))
    assert build(site.root, QUIET).ok
    assert sent == []  # a prose edit: every title and description is known
    site.post("b.md", simple_post("Beta **bold**", body="Second."))
    assert build(site.root, QUIET).ok
    assert sent == [["Beta **bold**"]]
    assert "Beta <strong>bold</strong></h1>" in site.read("posts/b/index.html")
    assert "<em>Alpha</em> notes" in site.read("posts/a/index.html")


def test_an_updated_mermaid_chunk_is_republished(site):
    # A project-local mermaid install (not the shared symlink), so a test may change one of its chunks.
    (site.root / "node_modules").unlink()
    dist = site.root / "node_modules/mermaid/dist"
    (dist / "chunks/mermaid.esm.min").mkdir(parents=True)
    (dist.parent / "package.json").write_text('{"version": "0.0.0-test"}')
    (dist / "mermaid.esm.min.mjs").write_text('import"./chunks/mermaid.esm.min/flow-A.mjs";export{}')
    chunk = dist / "chunks/mermaid.esm.min/flow-A.mjs"
    chunk.write_text("/* one */")
    site.post("d.md", post_text("D", ["math"], "2024-01-01", "A diagram for the reader's browser."))
    assert build(site.root, QUIET).ok
    published = site.root / "_site/assets/mermaid/chunks/mermaid.esm.min/flow-A.mjs"
    assert published.read_text() == "/* one */" and build(site.root, QUIET).up_to_date
    chunk.write_text("/* two, after npm ci */")
    again = build(site.root, QUIET)
    assert again.ok and not again.up_to_date and published.read_text() == "/* two, after npm ci */"


def test_a_body_remembered_before_its_diagram_was_drawn_is_inlined_once(site, tmp_path, monkeypatch):
    from coursenotes.render.diagrams import DiagramStore

    site.post("d.md", post_text("D", ["math"], "2024-01-01", "A diagram."))
    site.post("e.md", simple_post("E", body="Another post."))
    assert build(site.root, QUIET).ok  # no browser here: the diagram is left for the reader's
    svg = '<svg id="{id}" xmlns="http://www.w3.org/2000/svg"><g><text>A</text></g></svg>'
    DiagramStore(site.root).write("flowchart LR\n  A --> B", svg, svg)  # drawn since, e.g. on another machine
    site.post("e.md", simple_post("E", body="Another post, edited."))
    assert build(site.root, QUIET).ok
    assert "diagram-svg" in site.read("posts/d/index.html")
    reads: list[str] = []
    real = DiagramStore.read
    monkeypatch.setattr(DiagramStore, "read", lambda self, source: reads.append(source) or real(self, source))
    site.post("e.md", simple_post("E", body="Another post, edited twice."))
    assert build(site.root, QUIET).ok
    assert reads == [] and "diagram-svg" in site.read("posts/d/index.html")  # kept inlined in the memo
    monkeypatch.undo()
    assert_exact(site, tmp_path)


def test_feeds_are_remade_only_when_what_they_show_changed(site, tmp_path, monkeypatch):
    from coursenotes.site import layout

    site.post("a.md", simple_post("A", tags="[apples]", date="2024-01-01", body="About apples."))
    site.post("b.md", simple_post("B", tags="[bananas]", date="2024-01-02", body="About bananas."))
    assert build(site.root, QUIET).ok
    made: list[str] = []
    real = layout.atom_feed
    monkeypatch.setattr(
        layout, "atom_feed", lambda config, title, path, *rest: made.append(path) or real(config, title, path, *rest)
    )
    site.post("a.md", simple_post("A", tags="[apples]", date="2024-01-01", body="About green apples."))
    assert build(site.root, QUIET).ok
    assert sorted(made) == ["/index.xml", "/tags/apples/index.xml"]  # the bananas feed does not show A
    assert "green apples" in site.read("index.xml") and "green apples" in site.read("tags/apples/index.xml")
    monkeypatch.undo()
    assert_exact(site, tmp_path)


def test_frozen_inputs_are_the_snapshots_frozen_entries(site):
    from coursenotes.incremental.inputs import frozen_inputs, snapshot

    (site.root / "_frozen" / "diagrams").mkdir(parents=True)
    (site.root / "_frozen" / "a.json").write_text("{}")
    (site.root / "_frozen" / "diagrams" / "k.json").write_text('{"light": ""}')
    (site.root / "_frozen" / ".hidden").write_text("skipped, as the whole walk skips it")
    site.post("a.md", simple_post("A"))
    whole = snapshot(site.root).files
    expected = {k: v for k, v in whole.items() if k.startswith("site:_frozen/")}
    assert frozen_inputs(site.root, whole) == expected and len(expected) == 2
    assert frozen_inputs(site.root, {}) == expected  # hashed afresh: the same
