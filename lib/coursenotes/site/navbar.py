"""Navbar links must lead somewhere: a link to a page the build did not make fails it, naming `_quarto.yml:line`."""

from __future__ import annotations

from pathlib import Path

from coursenotes.errors import ConfigError, CoursenotesError
from coursenotes.settings import QUARTO_FILE, SiteConfig
from coursenotes.urls import is_site_path, page_path


def navbar_problems(config: SiteConfig, files: dict[str, bytes | Path]) -> list[CoursenotesError]:
    """An error for each navbar entry whose page is not among the site's files."""
    problems: list[CoursenotesError] = []
    for item in config.navbar:
        href = item.href.split("#", 1)[0].split("?", 1)[0]
        if not href or not is_site_path(href):
            continue
        if page_path(href) not in files and page_path(href.rstrip("/") + "/") not in files:
            problems.append(
                ConfigError(
                    f"navbar link {item.text!r} goes to {href}, which the site does not have: "
                    "add the page (e.g. a top-level .qmd) or fix the href",
                    config.root / QUARTO_FILE,
                    item.line,
                )
            )
    return problems
