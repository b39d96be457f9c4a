"""The diagram store: `_frozen/diagrams/<key>.json`, one rendered diagram each, keyed by source and mermaid version."""

from __future__ import annotations

import hashlib
import json
from functools import cache
from pathlib import Path

FOLDER = Path("_frozen", "diagrams")
FAILED = Path(".coursenotes-cache", "diagrams-failed.json")  # keys mermaid could not draw (not committed)
FORMAT = 1  # bump when the rendering settings change: every key changes with it
MERMAID_PACKAGE = Path("node_modules", "mermaid", "package.json")


@cache
def mermaid_version(root: Path) -> str:
    """The installed mermaid's version ('' when it is not installed)."""
    try:
        return str(json.loads((root / MERMAID_PACKAGE).read_text(encoding="utf-8"))["version"])
    except (OSError, ValueError, KeyError):
        return ""


class DiagramStore:
    """Rendered diagrams under the site root, read once per build."""

    def __init__(self, root: Path):
        self.root = Path(root)
        self.folder = self.root / FOLDER
        self.seen: dict[str, dict | None] = {}
        try:
            self.failed = set(json.loads((self.root / FAILED).read_text(encoding="utf-8")))
        except (OSError, ValueError, TypeError):
            self.failed = set()

    def key(self, source: str) -> str:
        """The diagram's key: its source, the rendering format and the mermaid version that drew it."""
        text = f"{FORMAT}\0{mermaid_version(self.root)}\0{source}"
        return hashlib.sha256(text.encode()).hexdigest()[:24]

    def read(self, source: str) -> dict | None:
        """{'light': svg, 'dark': svg} for a source, or None when it was never rendered here."""
        key = self.key(source)
        if key not in self.seen:
            try:
                data = json.loads((self.folder / f"{key}.json").read_text(encoding="utf-8"))
                ok = isinstance(data, dict) and data.get("source") == source and "light" in data and "dark" in data
                self.seen[key] = data if ok else None
            except (OSError, ValueError):
                self.seen[key] = None
        return self.seen[key]

    def write(self, source: str, light: str, dark: str) -> None:
        """Keep a rendered diagram (committed with the frozen store, so browserless builds have it)."""
        key = self.key(source)
        data = {"format": FORMAT, "mermaid": mermaid_version(self.root), "source": source, "light": light, "dark": dark}
        self.folder.mkdir(parents=True, exist_ok=True)
        text = json.dumps(data, indent=1, ensure_ascii=False) + "\n"
        (self.folder / f"{key}.json").write_text(text, encoding="utf-8")
        self.seen[key] = data

    def fail(self, source: str) -> None:
        """Remember that mermaid could not draw this source, so later builds do not start a browser for it."""
        self.failed.add(self.key(source))
        try:
            (self.root / FAILED).parent.mkdir(parents=True, exist_ok=True)
            (self.root / FAILED).write_text(json.dumps(sorted(self.failed)), encoding="utf-8")
        except OSError:
            pass
