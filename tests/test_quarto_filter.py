"""The Quarto-only filter (_extensions/coursenotes-quarto) under plain pandoc: tests/quarto/input-<case>.md
against expected-<case>.md. It only rewrites metadata, so pandoc's markdown writer shows all it does."""

import subprocess
from pathlib import Path

import pytest
import yaml
from tests.conftest import REPO

from coursenotes.render.pandoc import pandoc_path

CASES = Path(__file__).resolve().parent / "quarto"
FILTER = REPO / "_extensions" / "coursenotes-quarto" / "tags-as-categories.lua"


def render(case: str) -> str:
    """pandoc -s -t markdown --wrap=none with the filter, as Quarto would run it (no `quarto` API is used)."""
    proc = subprocess.run(
        [
            pandoc_path(),
            "-s",
            "-t",
            "markdown",
            "--wrap=none",
            "--lua-filter",
            str(FILTER),
            str(CASES / f"input-{case}.md"),
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def split(text: str) -> tuple[dict, str]:
    """(front matter, body): compared as data and as text, so YAML layout never matters."""
    _, meta, body = text.split("---\n", 2)
    return yaml.safe_load(meta), body.strip()


@pytest.mark.parametrize("case", sorted(p.stem.removeprefix("input-") for p in CASES.glob("input-*.md")))
def test_filter_matches_expected(case):
    assert split(render(case)) == split((CASES / f"expected-{case}.md").read_text())


def test_extension_lists_the_filter():
    ext = yaml.safe_load((FILTER.parent / "_extension.yml").read_text())
    assert ext["contributes"]["filters"] == [FILTER.name]
