"""Search: the build writes its own index (search/), updated page by page and equal to a clean build's."""

import json
import shutil

from hypothesis import given, settings
from hypothesis import strategies as st
from tests.conftest import simple_post

from coursenotes.build import BuildOptions, build
from coursenotes.site.search.docs import doc_id
from coursenotes.site.search.text import shard_of, terms, visible_text


def two_posts(site):
    site.post("a.md", simple_post("Alpha", "[python]", body="Gradient descent with a learner."))
    site.post("b.md", simple_post("Beta", "[fast.ai]", "2024-02-01", body="Data blocks."))


def index_of(site, out: str = "_site") -> dict[str, bytes]:
    """Every file of the search index by its path under search/."""
    folder = site.root / out / "search"
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*.json")}


def postings(site, term: str) -> dict[str, int]:
    """{page id: weight} for one term, read from the built shard."""
    path = site.root / "_site/search/terms" / f"{shard_of(term)}.json"
    return dict(json.loads(path.read_bytes()).get(term, [])) if path.exists() else {}


def test_build_writes_the_index_and_a_search_page(site):
    two_posts(site)
    site.post("draft.md", simple_post("Hidden", extra="draft: true\n", body="Secretword."))
    (site.root / "about.qmd").write_text("---\ntitle: About me\n---\n\nI teach zymurgy.\n")
    result = build(site.root)
    assert result.ok and result.notes == []
    meta = json.loads(site.read("search/meta.json"))
    assert meta["pages"] == 3  # two posts and the about page; no draft, listing or tag page
    assert meta["tags"] == {"python": [doc_id("/posts/a/")], "fast.ai": [doc_id("/posts/b/")]}
    assert set(postings(site, "gradient")) == {doc_id("/posts/a/")}
    assert set(postings(site, "zymurgy")) == {doc_id("/about/")} and postings(site, "secretword") == {}
    assert postings(site, "alpha")[doc_id("/posts/a/")] > postings(site, "gradient")[doc_id("/posts/a/")]  # title
    record = json.loads(site.read(f"search/docs/{doc_id('/posts/b/')}.json"))
    assert record == {"url": "/posts/b/", "title": "Beta", "date": "2024-02-01", "tags": ["fast.ai"],
                      "description": "", "text": "Data blocks."}  # fmt: skip
    page = site.read("search/index.html")
    assert 'data-index="./"' in page and 'src="../assets/search.js"' in page and 'id="search-query"' in page
    assert '<form class="search-form" role="search" action="search/">' in site.read("index.html")
    assert not list(site.root.glob(".*_site*")), "staging folders are cleaned up"


def test_no_search_builds_without_the_page_or_index(site):
    two_posts(site)
    result = build(site.root, BuildOptions(search=False))
    assert result.ok and result.notes == []
    assert not (site.root / "_site/search").exists() and "search-form" not in site.read("index.html")


def test_an_edit_updates_the_index_as_a_clean_build_would(site):
    two_posts(site)
    site.post("c.md", simple_post("Gamma", "[python, new]", body="Zymurgy brewing notes."))
    assert build(site.root).ok
    site.post("a.md", simple_post("Alpha", "[python]", body="Stochastic descent, now with momentum."))
    (site.root / "posts/c.md").unlink()
    site.post("d.md", simple_post("Delta", "[python]", body="Learner again."))
    assert build(site.root).ok
    assert postings(site, "gradient") == {} and set(postings(site, "momentum")) == {doc_id("/posts/a/")}
    assert postings(site, "zymurgy") == {} and "new" not in json.loads(site.read("search/meta.json"))["tags"]
    assert not (site.root / "_site/search/docs" / f"{doc_id('/posts/c/')}.json").exists()
    updated = index_of(site)
    shutil.rmtree(site.root / ".coursenotes-cache")
    assert build(site.root, BuildOptions(out=site.root / "clean")).ok
    assert index_of(site, "clean") == updated


def test_a_damaged_index_memo_costs_only_time(site):
    two_posts(site)
    assert build(site.root).ok
    for memo in (site.root / ".coursenotes-cache/search").glob("*.pickle"):
        memo.write_bytes(b"not a pickle")
    site.post("a.md", simple_post("Alpha", "[python]", body="Momentum."))
    assert build(site.root).ok
    assert set(postings(site, "momentum")) == {doc_id("/posts/a/")} and set(postings(site, "data")) == {
        doc_id("/posts/b/")
    }


def test_text_is_what_a_reader_sees_and_terms_split_every_script():
    html = "<p>Caf&eacute; <code>x&lt;1</code></p><script>var hidden;</script><svg><text>drawn</text></svg>"
    assert visible_text(html) == "Café x<1"
    assert terms("fast.ai Lesson-1 Straße") == ["fast", "ai", "lesson", "1", "straße"]
    assert terms("机器学习") == ["机器", "器学", "学习"]  # no spaces in Chinese: overlapping pairs
    assert terms("हिंदी مَرْحَبًا") == ["हिंदी", "مَرْحَبًا"]  # vowel signs and harakat are part of the word
    assert terms("ﬁne x²") == ["fine", "x2"]  # NFKC, as the browser normalizes the query
    assert terms("a" * 41) == []


def test_mark_ranges_are_exactly_the_combining_marks_python_knows():
    import sys
    import unicodedata

    from coursenotes.site.search.marks import MARK_RANGES

    listed = {c for lo, hi in MARK_RANGES for c in range(lo, hi + 1)}
    marks = {c for c in range(sys.maxunicode + 1) if unicodedata.category(chr(c)) in ("Mn", "Mc", "Me")}
    assert listed == marks


def test_quarto_search_false_leaves_a_page_out_or_turns_search_off(site):
    two_posts(site)
    site.post("c.md", simple_post("Private notes", extra="search: false\n", body="Unlisted zymurgy."))
    assert build(site.root).ok
    assert postings(site, "zymurgy") == {} and json.loads(site.read("search/meta.json"))["pages"] == 2
    assert "Unlisted zymurgy" in site.read("posts/c/index.html")  # still published, only not searchable
    config = site.root / "_quarto.yml"
    config.write_text(config.read_text().replace("website:\n", "website:\n  search: false\n", 1))
    assert "search: false" in config.read_text()
    assert build(site.root).ok
    assert not (site.root / "_site/search").exists() and "search-form" not in site.read("index.html")


def test_terms_of_text_with_and_without_cjk_agree_word_for_word():
    from coursenotes.site.search.text import terms

    # Halfwidth katakana become CJK only after NFKC: the pairs must still be made.
    assert terms("ｶﾀｶﾅ model") == ["カタ", "タカ", "カナ", "model"]
    assert terms("Model data 機械学習 x" + "y" * 41) == ["model", "data", "機械", "械学", "学習"]
    assert terms("Fast.ai, lesson 1: Übung") == ["fast", "ai", "lesson", "1", "übung"]


# ASCII, accented letters, punctuation, letters NFKC turns into ASCII or kana, CJK, Devanagari and its marks.
ALPHABET = st.sampled_from(
    [*"ab Z9_.,-'\n", "é", "ü", "—", "→", "“", "K", "ﬁ", "ｶ", "あ", "学", "क", "ि", "\u200d", "＿"]
)


@settings(max_examples=1500, deadline=None)
@given(st.lists(ALPHABET, max_size=40).map("".join))
def test_terms_match_the_unicode_word_pattern_on_any_text(text):
    import unicodedata

    from coursenotes.site.search.text import CJK, LONGEST, terms, word_pattern

    expected = []  # the definition: Unicode words, CJK runs as overlapping pairs, long words dropped
    for word in word_pattern().findall(unicodedata.normalize("NFKC", text).lower()):
        for i, part in enumerate(CJK.split(word)):
            if part and i % 2 == 0 and len(part) <= LONGEST:
                expected.append(part)
            elif part and i % 2 == 1:
                expected.extend([part] if len(part) == 1 else [part[j : j + 2] for j in range(len(part) - 1)])
    assert terms(text) == expected
