"""Locating browser assets: the npm-installed mermaid.js and the package's own files."""

from __future__ import annotations

from pathlib import Path

import pytest

from coursenotes.errors import ConfigError
from coursenotes.site.assets import mermaid_js, package_assets

REPO = Path(__file__).resolve().parents[1]


def test_missing_mermaid_names_package_json(tmp_path):
    with pytest.raises(ConfigError) as info:
        mermaid_js(tmp_path)
    assert info.value.path == tmp_path / "package.json"
    assert "npm ci" in str(info.value) and "package.json" in str(info.value)


def test_mermaid_found_in_a_project(tmp_path):
    dist = tmp_path / "node_modules" / "mermaid" / "dist"
    dist.mkdir(parents=True)
    (dist / "mermaid.min.js").write_text("/* stub */")
    assert mermaid_js(tmp_path) == dist / "mermaid.min.js"


def test_repo_mermaid_is_a_classic_script():
    text = mermaid_js(REPO).read_text(encoding="utf-8")
    # diagrams.js relies on a plain <script> defining window.mermaid, not an ES module.
    assert 'globalThis["mermaid"]' in text and "\nexport " not in text


def test_package_assets_holds_diagrams_js():
    assert package_assets().is_dir() and (package_assets() / "diagrams.js").is_file()
