"""Shared fixtures: small throwaway sites built from text."""

from __future__ import annotations

import os
import textwrap
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]

QUARTO = """\
project:
  type: website
  output-dir: _site
website:
  title: "Test notes"
  site-url: "https://notes.example.org/"
  description: "Notes for tests."
"""


class SiteMaker:
    """Writes a site (config + posts) under a temp folder, sharing the repo's filters and mermaid.js."""

    def __init__(self, root: Path):
        self.root = root
        (root / "posts").mkdir(parents=True, exist_ok=True)
        (root / "_quarto.yml").write_text(QUARTO)
        (root / "_extensions").symlink_to(REPO / "_extensions", target_is_directory=True)
        if (REPO / "node_modules").exists():
            (root / "node_modules").symlink_to(REPO / "node_modules")

    def post(self, rel: str, text: str) -> Path:
        """Write posts/<rel> with dedented text."""
        path = self.root / "posts" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"))
        return path

    def read(self, rel: str, out: str = "_site") -> str:
        """A built file's text."""
        return (self.root / out / rel).read_text()


@pytest.fixture
def site(tmp_path) -> SiteMaker:
    """An empty site with the repo's extension folder."""
    return SiteMaker(tmp_path / "site")


def simple_post(
    title: str, tags: str = "[]", date: str = "2024-01-01", body: str = "Some words.", extra: str = ""
) -> str:
    """A minimal valid post."""
    return f'---\ntitle: "{title}"\ndate: {date}\ntags: {tags}\n{extra}---\n\n{body}\n'


@pytest.fixture(scope="session", autouse=True)
def no_diagram_browser():
    """Builds in tests draw no diagrams in Chromium (slow), module fixtures' builds included; see draws_diagrams."""
    before = os.environ.get("COURSENOTES_PRERENDER")
    os.environ["COURSENOTES_PRERENDER"] = "0"
    yield
    if before is None:
        os.environ.pop("COURSENOTES_PRERENDER", None)
    else:
        os.environ["COURSENOTES_PRERENDER"] = before


@pytest.fixture(autouse=True)
def draws_diagrams(request, monkeypatch):
    """A test marked `draws_diagrams` builds with Chromium drawing diagrams, as a real build does."""
    if "draws_diagrams" in request.keywords:
        monkeypatch.delenv("COURSENOTES_PRERENDER", raising=False)
