"""Where the site's browser assets live: the package's own files and the npm-installed mermaid ES modules."""

from __future__ import annotations

from pathlib import Path

from coursenotes.errors import ConfigError

MERMAID_DIST = Path("node_modules", "mermaid", "dist")
MERMAID_CORE = "mermaid.esm.min.mjs"  # imports its chunks by relative URL: publish them side by side
MERMAID_CHUNKS = "chunks/mermaid.esm.min"


def mermaid_modules(root: Path) -> dict[str, Path]:
    """The pinned mermaid ESM build, {path under dist/: file}: the core module and every code-split chunk.

    All chunks are published, but a reader's browser fetches only the core and the chunks the page's
    diagram types import. Source maps are left out. ConfigError naming package.json when not installed."""
    dist = Path(root) / MERMAID_DIST
    # No CDN fallback: the site serves its own copy, so a missing install is a set-up error.
    if not (dist / MERMAID_CORE).is_file() or not (dist / MERMAID_CHUNKS).is_dir():
        raise ConfigError(
            "mermaid.js is not installed: run `npm ci` (the set-up command does)", Path(root) / "package.json"
        )
    chunks = sorted((dist / MERMAID_CHUNKS).glob("*.mjs"))
    return {MERMAID_CORE: dist / MERMAID_CORE, **{f"{MERMAID_CHUNKS}/{p.name}": p for p in chunks}}


def package_assets() -> Path:
    """The folder of assets shipped inside the package (diagrams.js, ...)."""
    return Path(__file__).parent.parent / "assets"
