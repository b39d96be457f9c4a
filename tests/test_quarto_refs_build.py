"""Cross-references, citations and math through a whole build: pages, `path:line` warnings and errors."""

from __future__ import annotations

import shutil

from tests.conftest import REPO, simple_post

from coursenotes.build import build
from coursenotes.cli import main

BIB = REPO / "tests" / "lua" / "references.bib"

BODY = """\
## Setup {#sec-setup}

![Shapes](shapes.png){#fig-shapes}

As @howard2020 show, @fig-shapes is drawn in @sec-setup.

Later, @fig-missing is a typo.

$$\\badmacro{x}$$
"""


def test_crossrefs_citations_and_warnings_name_the_line(site):
    post = site.post("2024-05-01-refs/index.md", simple_post("Refs", body=BODY, extra="bibliography: refs.bib\n"))
    shutil.copy(BIB, post.parent / "refs.bib")
    result = build(site.root)
    assert result.ok, result.errors
    page = site.read("posts/refs/index.html")
    assert '<a href="#fig-shapes" class="quarto-xref">Figure\u00a01</a>' in page
    assert '<a href="#sec-setup" class="quarto-xref">Section\u00a01</a>' in page
    assert 'href="#ref-howard2020" role="doc-biblioref"' in page and 'id="ref-howard2020"' in page
    assert ">References</h2>" in page
    assert "<strong>?@fig-missing</strong>" in page
    lines = post.read_text().splitlines()
    warned = {str(w).split(": warning: ")[0].rsplit(":", 1)[1]: str(w) for w in result.warnings}
    missing = str(lines.index("Later, @fig-missing is a typo.") + 1)
    assert "unresolved cross-reference @fig-missing" in warned[missing]
    assert "equation cannot be rendered" in warned[str(lines.index("$$\\badmacro{x}$$") + 1)]
    assert len(result.warnings) == 2


def test_missing_citation_is_a_warning_with_its_line(site):
    post = site.post("c.md", simple_post("C", body="Intro.\n\nSee @nobody2020.", extra="bibliography: [refs.bib]\n"))
    shutil.copy(BIB, post.parent / "refs.bib")
    result = build(site.root)
    assert result.ok
    assert [str(w).split(f"{post.name}:")[1] for w in result.warnings] == [
        "10: warning: citation @nobody2020 is not in the bibliography"
    ]


def test_warnings_survive_the_render_cache(site):
    site.post("c.md", simple_post("C", body="See @fig-nothing."))
    assert len(build(site.root).warnings) == 1
    assert len(build(site.root).warnings) == 1


def test_bibliography_outside_the_project_is_an_error(site, tmp_path):
    outside = tmp_path / "elsewhere.bib"
    shutil.copy(BIB, outside)
    site.post("x/index.md", simple_post("X", extra=f"bibliography: ../../../{outside.name}\n"))
    result = build(site.root)
    assert not result.ok
    assert "index.md:5: `bibliography`" in str(result.errors[0]) and "outside the project" in str(result.errors[0])


def test_missing_bibliography_and_bad_toc_depth_are_errors(site):
    site.post("x.md", simple_post("X", extra="bibliography: nope.bib\ntoc-depth: 9\n"))
    result = build(site.root)
    assert [e.line for e in result.errors] == [5] and "no such file 'nope.bib'" in str(result.errors[0])


def test_csl_and_number_sections(site):
    csl = site.root / "posts" / "y" / "numbers.csl"
    csl.parent.mkdir(parents=True)
    csl.write_text(IEEE_LIKE_CSL)
    post = site.post(
        "y/index.md",
        simple_post(
            "Y",
            extra="bibliography: refs.bib\ncsl: numbers.csl\nnumber-sections: true\n",
            body="## One\n\n## Two {#sec-two}\n\nSee @sec-two and @knuth1984.",
        ),
    )
    shutil.copy(BIB, post.parent / "refs.bib")
    result = build(site.root)
    assert result.ok, result.errors
    page = site.read("posts/y/index.html")
    assert '<span class="header-section-number">2</span>' in page and "Section\u00a02</a>" in page
    assert "[1]" in page


def test_cli_prints_warnings_and_still_succeeds(site, capsys, monkeypatch):
    site.post("c.md", simple_post("C", body="See @tbl-gone."))
    monkeypatch.chdir(site.root)
    assert main(["build", "--root", str(site.root)]) == 0
    assert "posts/c.md:7: warning: unresolved cross-reference @tbl-gone" in capsys.readouterr().err


IEEE_LIKE_CSL = """<?xml version="1.0" encoding="utf-8"?>
<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">
  <info><title>Numbers</title><id>numbers</id><updated>2024-01-01T00:00:00+00:00</updated></info>
  <citation collapse="citation-number">
    <sort><key variable="citation-number"/></sort>
    <layout prefix="[" suffix="]" delimiter=","><text variable="citation-number"/></layout>
  </citation>
  <bibliography>
    <layout><text variable="citation-number" prefix="[" suffix="] "/><text variable="title"/></layout>
  </bibliography>
</style>
"""


def test_check_reports_unresolved_references_and_cells_resolve_before_running(site):
    site.post(
        "a.qmd",
        simple_post(
            "A",
            body="```{python}\n#| label: fig-plot\n#| echo: false\n#| fig-cap: A plot\n1\n```\n\n"
            "See @fig-plot and @fig-nope.",
        ),
    )
    from coursenotes.authoring.check import check

    _, problems = check(site.root)
    assert [str(p).split("a.qmd:")[1] for p in problems] == [
        "14: warning: unresolved cross-reference @fig-nope: no figure, table, section or equation has the id #fig-nope"
    ]


def test_crossref_options_from_front_matter(site):
    site.post(
        "o.md",
        simple_post(
            "O", extra="crossref:\n  fig-prefix: Fig.\n  chapters: true\n", body="![A](a.png){#fig-a}\n\nSee @fig-a."
        ),
    )
    result = build(site.root)
    assert result.ok and ">Fig.\u00a01</a>" in site.read("posts/o/index.html")
    assert [str(w).split("o.md:")[1] for w in result.warnings] == [
        "5: warning: crossref option `chapters` is not supported by the coursenotes build and is ignored"
    ]


def test_quarto_features_fragment_renders_without_warnings(site):
    """posts/2024-12-01-quarto-features/_refs-section.md, included in a post as the features post will."""
    folder = REPO / "posts" / "2024-12-01-quarto-features"
    dest = site.root / "posts" / folder.name
    shutil.copytree(folder, dest)
    shutil.copy(REPO / "_variables.yml", site.root / "_variables.yml")
    (dest / "index.qmd").write_text(
        "---\ntitle: Features\ndate: 2024-12-01\nbibliography: references.bib\n"
        "execute:\n  enabled: false\n---\n\n{{< include _refs-section.md >}}\n"
    )
    result = build(site.root)
    assert result.ok and result.warnings == [], (result.errors, result.warnings)
    page = site.read("posts/quarto-features/index.html")
    assert "?@" not in page and 'class="math' not in page and "{{<" not in page
    assert page.count('class="quarto-xref"') >= 10 and page.count('class="csl-entry"') == 4


def test_nocite_lists_uncited_works_and_unsupported_keys_warn(site):
    post = site.post(
        "n/index.md",
        simple_post(
            "N",
            extra="bibliography: refs.bib\nnocite: |\n  @knuth1984\nabstract: Short.\n",
            body="No citations in the text.",
        ),
    )
    shutil.copy(BIB, post.parent / "refs.bib")
    result = build(site.root)
    assert result.ok and 'id="ref-knuth1984"' in site.read("posts/n/index.html")
    assert [str(w).split("index.md:")[1] for w in result.warnings] == [
        "8: warning: `abstract` is not supported by the coursenotes build: the abstract is not shown"
    ]


def test_check_reports_front_matter_the_page_cannot_show(site):
    site.post("d.md", simple_post("D", extra="date-format: 7\n"))
    from coursenotes.authoring.check import check

    _, problems = check(site.root)
    assert [str(p).split("d.md:")[1][:20] for p in problems] == ["5: `date-format` mus"]


def test_csl_json_bibliography(site):
    refs = (
        '[{"id": "lecun1998", "type": "article-journal", "title": "Gradient-based learning applied to document recognition",'
        ' "author": [{"family": "LeCun", "given": "Yann"}], "issued": {"date-parts": [[1998]]}}]'
    )
    post = site.post("j/index.md", simple_post("J", extra="bibliography: refs.json\n", body="See @lecun1998."))
    (post.parent / "refs.json").write_text(refs)
    result = build(site.root)
    assert result.ok and not result.warnings
    page = site.read("posts/j/index.html")
    assert 'href="#ref-lecun1998"' in page and "gradient-based learning applied to document recognition" in page.lower()


def test_preview_watches_variables():
    from coursenotes.authoring.preview import WATCHED

    assert "_variables.yml" in WATCHED
