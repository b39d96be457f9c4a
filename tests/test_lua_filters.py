"""The shared Lua filter under plain pandoc: each tests/lua/input-<case>.md against expected-<case>.html."""

from __future__ import annotations

import html
import importlib.util
import re
from pathlib import Path

import pytest

LUA = Path(__file__).resolve().parent / "lua"


def _load_golden():
    """tests/lua/regenerate.py as a module: it owns the pandoc call, so tests and goldens agree."""
    spec = importlib.util.spec_from_file_location("lua_golden", LUA / "regenerate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


golden = _load_golden()


@pytest.mark.parametrize("case", golden.cases())
def test_filter_matches_golden(case):
    expected = golden.expected_path(case)
    assert expected.exists(), f"no {expected.name}: run `python tests/lua/regenerate.py` and review it"
    assert golden.normalise(golden.render(case)) == golden.normalise(expected.read_text())


def test_cases_cover_the_brief():
    assert {"mermaid", "mermaid-escaping", "headings", "plain-code", "quarto"} <= set(golden.cases())


def test_diagram_source_round_trips():
    # The escaped <pre> must decode to exactly what the author wrote, or mermaid draws something else.
    fence = (LUA / "input-mermaid-escaping.md").read_text().split("```mermaid\n", 1)[1].split("\n```", 1)[0]
    pre = re.search(r'<pre class="mermaid">(.*?)</pre>', golden.render("mermaid-escaping"), re.S).group(1)
    assert "<" not in pre and html.unescape(pre) == fence


def test_non_html_output_is_untouched():
    out = golden.render("mermaid", to="markdown")
    assert "figure" not in out and "``` mermaid" in out
