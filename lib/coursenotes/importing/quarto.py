"""Another Quarto blog's posts/ folder, copied file by file into ours: Quarto posts need no conversion."""

from __future__ import annotations

from pathlib import Path

from coursenotes.importing.report import ImportReport
from coursenotes.importing.writer import Writer

SKIP = (".ipynb_checkpoints", "_freeze", ".quarto", "_site")


def import_quarto(source: Path, writer: Writer, report: ImportReport) -> None:
    """Every file under the blog's posts/ (sources, images, data, `_metadata.yml`) at the same path in ours."""
    posts = source.resolve() / "posts"
    if not posts.is_dir():
        report.not_converted.append(f"{source}: no posts/ folder: copy its posts by hand")
        return
    for path in sorted(posts.rglob("*")):
        rel = path.relative_to(posts)
        if path.is_file() and not any(part in SKIP or part.startswith(".") for part in rel.parts):
            writer.write(f"posts/{rel.as_posix()}", path.read_bytes())
    outside = [p.name for p in sorted(source.iterdir()) if p.suffix in (".qmd", ".md") and p.stem != "index"]
    if outside:
        report.not_converted.append(f"{source}: pages {', '.join(outside)} are not posts: copy them beside _quarto.yml")
