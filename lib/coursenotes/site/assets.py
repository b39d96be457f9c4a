"""Where the site's browser assets live: the package's own files and the npm-installed mermaid.js."""

from __future__ import annotations

from pathlib import Path

from coursenotes.errors import ConfigError

MERMAID_JS = Path("node_modules", "mermaid", "dist", "mermaid.min.js")


def mermaid_js(root: Path) -> Path:
    """The pinned mermaid.min.js under the project root; ConfigError naming package.json when absent."""
    path = Path(root) / MERMAID_JS
    # No CDN fallback: the site serves its own copy, so a missing install is a set-up error.
    if not path.is_file():
        raise ConfigError(
            "mermaid.js is not installed: run `npm ci` (the set-up command does)", Path(root) / "package.json"
        )
    return path


def package_assets() -> Path:
    """The folder of assets shipped inside the package (diagrams.js, ...)."""
    return Path(__file__).parent.parent / "assets"
