"""crossref.lua, math.lua and references.lua beyond the golden files: warnings, and silence under Quarto."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pypandoc
import pytest
from tests.test_lua_filters import golden

EXTENSION = Path(__file__).resolve().parents[1] / "_extensions" / "coursenotes"


def test_new_cases_are_golden_tested():
    assert {
        "crossref",
        "crossref-numbered",
        "crossref-unresolved",
        "crossref-options",
        "crossref-diagram",
        "math",
        "cite",
        "cite-refs-div",
    } <= set(golden.cases())


def test_unresolved_reference_is_reported_on_stderr():
    done = golden.run("crossref-unresolved")
    lines = [line.split("\t") for line in done.stderr.splitlines() if line.startswith("coursenotes-warning")]
    assert [needle for _, needle, _ in lines] == ["@fig-missing", "@tbl-nothing"]
    assert "@knuth1984" not in done.stderr  # a citation key is not a cross-reference


def test_missing_citation_is_pandocs_warning(tmp_path):
    post = tmp_path / "p.md"
    post.write_text(f"---\nbibliography: {golden.HERE / 'references.bib'}\n---\n\nSee @nobody2020.\n")
    done = subprocess.run(
        [pypandoc.get_pandoc_path(), "-t", "html5", *[f"--lua-filter={f}" for f in golden.filters_for("x")], str(post)],
        capture_output=True,
        text=True,
    )
    assert "citation nobody2020 not found" in done.stderr and "<strong>nobody2020?</strong>" in done.stdout


@pytest.mark.parametrize("name", ["crossref.lua", "math.lua", "references.lua"])
def test_filters_do_nothing_under_quarto(tmp_path, name):
    shim = tmp_path / "shim.lua"
    shim.write_text(f"quarto = {{}}\nreturn dofile({str(EXTENSION / name)!r})\n")
    source = golden.HERE / "input-crossref.md"
    args = [pypandoc.get_pandoc_path(), "-f", "markdown", "-t", "html5", "--mathml"]
    plain = subprocess.run([*args, str(source)], capture_output=True, text=True).stdout
    shimmed = subprocess.run([*args, f"--lua-filter={shim}", str(source)], capture_output=True, text=True).stdout
    assert shimmed == plain


def test_infix_fraction_renders_without_warning():
    done = golden.run("math")
    assert "Could not convert" not in done.stderr and 'class="math' not in done.stdout
    assert done.stdout.count("<mfrac") >= 4


def test_crossref_options_apply_and_unknown_ones_are_reported():
    done = golden.run("crossref-options")
    assert "<figcaption>Fig.\u00a01— Shapes</figcaption>" in done.stdout and ">fig.\u00a01</a>" in done.stdout
    assert "coursenotes-warning\tcrossref:\tcrossref option `fig-labels` is not supported" in done.stderr


def test_ref_hyperlink_false_gives_plain_text(tmp_path):
    post = tmp_path / "p.md"
    post.write_text("---\ncrossref:\n  ref-hyperlink: false\n---\n\n![A](a.png){#fig-a}\n\nSee @fig-a.\n")
    done = subprocess.run(
        [pypandoc.get_pandoc_path(), "-t", "html5", f"--lua-filter={EXTENSION / 'crossref.lua'}", str(post)],
        capture_output=True,
        text=True,
    )
    assert "<p>See Figure\u00a01.</p>" in done.stdout
