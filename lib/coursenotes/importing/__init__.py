"""`coursenotes import PATH`: an existing blog (fastpages or Quarto) brought into posts/ as it was written.

Public names: import_blog, ImportReport, MANIFEST.
"""

from __future__ import annotations

from pathlib import Path

from coursenotes.errors import CoursenotesError
from coursenotes.importing.fastpages import Fastpages
from coursenotes.importing.quarto import import_quarto
from coursenotes.importing.report import ImportReport
from coursenotes.importing.writer import MANIFEST, Writer

__all__ = ["MANIFEST", "ImportReport", "import_blog"]


def import_blog(source: Path | str, root: Path | str) -> ImportReport:
    """Import the blog at `source` into the site at `root`; safe to run again (edited files are kept)."""
    source, root = Path(source).resolve(), Path(root).resolve()
    if not source.is_dir():
        raise CoursenotesError("not a folder: give the path of a fastpages or Quarto blog", source)
    if source == root:
        raise CoursenotesError("this is the site itself: give the path of another blog", source)
    report = ImportReport()
    writer = Writer(root, report)
    if (source / "_notebooks").is_dir() or (source / "_posts").is_dir():
        Fastpages(source, writer, report).run()
    elif (source / "_quarto.yml").is_file():
        import_quarto(source, writer, report)
    else:
        raise CoursenotesError("neither a fastpages blog (_notebooks/, _posts/) nor a Quarto one (_quarto.yml)", source)
    writer.save()
    return report
