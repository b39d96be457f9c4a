"""Render each tests/lua/input-<case>.md with plain pandoc; `python tests/lua/regenerate.py` rewrites the goldens."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pypandoc

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
EXTENSION = REPO / "_extensions" / "coursenotes"
# Cases named quarto* run the same filters with a stub `quarto` global (see fake-quarto.lua).
FAKE_QUARTO = HERE / "fake-quarto.lua"
# The build's fragment template: the body, then its table of contents (so goldens show what reaches the TOC).
TEMPLATE = REPO / "lib" / "coursenotes" / "templates" / "fragment.html"


def cases() -> list[str]:
    """The case names, from the input files present."""
    return sorted(p.stem.removeprefix("input-") for p in HERE.glob("input-*.md"))


def filters_for(case: str) -> list[Path]:
    """The Lua filters a case runs under: every filter of the extension in order, as the build runs them."""
    return [FAKE_QUARTO] if case.startswith("quarto") else sorted(EXTENSION.glob("*.lua"))


def run(case: str, to: str = "html5") -> subprocess.CompletedProcess:
    """Pandoc on the case's input with the filters and MathML, as the build runs it (front matter is metadata here)."""
    args = [pypandoc.get_pandoc_path(), "-f", "markdown", "-t", to, "--mathml", "--toc", "--template", str(TEMPLATE)]
    args += [f"--lua-filter={f}" for f in filters_for(case)]
    return subprocess.run([*args, str(HERE / f"input-{case}.md")], capture_output=True, text=True, cwd=REPO)


def render(case: str, to: str = "html5") -> str:
    """The case's input rendered by pandoc with the filters; raises with pandoc's stderr on failure."""
    done = run(case, to)
    if done.returncode:
        raise RuntimeError(f"pandoc failed on {case}: {done.stderr.strip()}")
    return done.stdout


def normalise(html: str) -> str:
    """The text with trailing whitespace dropped from each line and the end: nothing else changes."""
    return "\n".join(line.rstrip() for line in html.rstrip().splitlines()) + "\n"


def expected_path(case: str) -> Path:
    """Where a case's golden file lives."""
    return HERE / f"expected-{case}.html"


def main() -> int:
    """Rewrite every golden file; review the diff before committing it."""
    for case in cases():
        expected_path(case).write_text(normalise(render(case)))
        print(f"wrote {expected_path(case).relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
