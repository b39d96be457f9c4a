"""Pandoc's and the filters' stderr turned into `path:line: warning` messages."""

from __future__ import annotations

from coursenotes.render.pandoc_meta import pandoc_meta
from coursenotes.render.warnings import as_warnings, needle_lines, parsed

STDERR = """coursenotes-warning\t@fig-x\tunresolved cross-reference @fig-x: no figure
[WARNING] Citeproc: citation smith2020 not found
[WARNING] Could not convert TeX math
  \\begin{foo}
  x
  \\end{foo}
  , rendering as TeX:

         ^
  unexpected "f"
  expecting white space or "Bmatrix"
coursenotes-warning\t@fig-x\tunresolved cross-reference @fig-x: no figure
"""


def test_parsed_reads_filter_citeproc_and_multiline_math_warnings():
    assert parsed(STDERR) == [
        ("@fig-x", "unresolved cross-reference @fig-x: no figure"),
        ("@fig-x", "unresolved cross-reference @fig-x: no figure"),
        ("@smith2020", "citation @smith2020 is not in the bibliography"),
        ("\\begin{foo}", 'equation cannot be rendered and is shown as TeX: \\begin{foo} (unexpected "f")'),
    ]


def test_needle_matches_whole_keys_only():
    text = "@fig-xy first\nsee @fig-x.\nand [-@fig-x; @fig-x:sub]\n"
    assert needle_lines(text, "@fig-x") == [2, 3]


def test_each_repeat_gets_its_own_line(tmp_path):
    post = tmp_path / "p.md"
    post.write_text("---\ntitle: t\n---\n\n@fig-x once\n\n$$\n\\begin{foo}\nx\n\\end{foo}\n$$\n\nand @fig-x twice\n")
    found = [(w.line, w.message.split(":")[1].strip()) for w in as_warnings(parsed(STDERR), post)]
    assert found == [
        (5, "unresolved cross-reference @fig-x"),
        (13, "unresolved cross-reference @fig-x"),
        (None, "citation @smith2020 is not in the bibliography"),
        (8, "equation cannot be rendered and is shown as TeX"),
    ]


def test_pandoc_meta_resolves_paths_from_the_post_folder(tmp_path):
    post = tmp_path / "posts" / "p" / "index.md"
    post.parent.mkdir(parents=True)
    for name in ("a.bib", "b.json", "style.csl"):
        (post.parent / name).write_text("")
    meta = pandoc_meta(
        {"bibliography": ["a.bib", "b.json"], "csl": "style.csl", "number-sections": True, "toc-depth": 2},
        {},
        post,
        tmp_path,
    )
    assert meta.args == (
        f"--metadata=bibliography:{post.parent / 'a.bib'}",
        f"--metadata=bibliography:{post.parent / 'b.json'}",
        f"--metadata=csl:{post.parent / 'style.csl'}",
        "--metadata=number-sections:true",
        "--toc-depth=2",
    )
    assert meta.files == (post.parent / "a.bib", post.parent / "b.json", post.parent / "style.csl")


def test_pandoc_meta_refuses_a_bibliography_of_the_wrong_type(tmp_path):
    import pytest

    from coursenotes.errors import FrontMatterError

    (tmp_path / "refs.txt").write_text("")
    with pytest.raises(FrontMatterError, match="not BibTeX"):
        pandoc_meta({"bibliography": "refs.txt"}, {"bibliography": 4}, tmp_path / "p.md", tmp_path)
