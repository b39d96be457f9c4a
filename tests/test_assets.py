"""Locating browser assets: the npm-installed mermaid ES modules and the package's own files."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from coursenotes.errors import ConfigError
from coursenotes.site.assets import MERMAID_CHUNKS, MERMAID_CORE, mermaid_modules, package_assets

REPO = Path(__file__).resolve().parents[1]


def test_missing_mermaid_names_package_json(tmp_path):
    with pytest.raises(ConfigError) as info:
        mermaid_modules(tmp_path)
    assert info.value.path == tmp_path / "package.json"
    assert "npm ci" in str(info.value) and "package.json" in str(info.value)


def test_mermaid_core_without_its_chunks_is_not_installed(tmp_path):
    dist = tmp_path / "node_modules" / "mermaid" / "dist"
    dist.mkdir(parents=True)
    (dist / "mermaid.esm.min.mjs").write_text("/* stub */")
    with pytest.raises(ConfigError, match="npm ci"):
        mermaid_modules(tmp_path)


def test_mermaid_modules_found_in_a_project_without_source_maps(tmp_path):
    dist = tmp_path / "node_modules" / "mermaid" / "dist"
    (dist / "chunks" / "mermaid.esm.min").mkdir(parents=True)
    for name in ("mermaid.esm.min.mjs", "chunks/mermaid.esm.min/flow-X.mjs", "chunks/mermaid.esm.min/flow-X.mjs.map"):
        (dist / name).write_text("/* stub */")
    assert mermaid_modules(tmp_path) == {
        "mermaid.esm.min.mjs": dist / "mermaid.esm.min.mjs",
        "chunks/mermaid.esm.min/flow-X.mjs": dist / "chunks/mermaid.esm.min/flow-X.mjs",
    }


def test_repo_mermaid_core_imports_only_its_published_chunks():
    modules = mermaid_modules(REPO)
    core = modules[MERMAID_CORE].read_text(encoding="utf-8")
    # diagrams.js imports the core's default export; the core imports chunks beside it by relative URL.
    imported = set(re.findall(r"""(?:from|import)\s*\(?["']\./([^"']+)["']""", core))
    assert "export{" in core.replace(" ", "") and imported and all(i.startswith(MERMAID_CHUNKS + "/") for i in imported)
    assert imported <= set(modules) and len(modules) > 50


def test_package_assets_holds_diagrams_js():
    assert package_assets().is_dir() and (package_assets() / "diagrams.js").is_file()
