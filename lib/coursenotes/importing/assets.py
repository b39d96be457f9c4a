"""Images and files an imported post references: found in the old layout, copied into posts/, paths fixed."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import quote, unquote

from coursenotes.importing.report import ImportReport
from coursenotes.importing.writer import Writer
from coursenotes.urls import has_scheme

MD_IMAGE = re.compile(r"(!\[[^\]]*\]\(\s*<?)([^\s)>]+)")
HTML_SRC = re.compile(r"""(<img\b[^>]*?\ssrc=["'])([^"']+)""", re.I)
COPIED = "images/copied_from_nb/"
SHARED = "images"  # fastpages' site-wide image folder; it becomes posts/images/


class Assets:
    """Copies what one source repository's posts reference, and says how each post must now name it."""

    def __init__(self, source: Path, writer: Writer, report: ImportReport):
        self.source, self.writer, self.report = source.resolve(), writer, report

    def place(self, ref: str, from_dir: Path, post_dir: str, where: str) -> str:
        """The reference as the imported post (posts/<name>/index.*) must write it, after copying the file."""
        if not ref or has_scheme(ref) or ref.startswith(("#", "data:", "attachment:")):
            return ref
        name = unquote(ref).split("?", 1)[0].split("#", 1)[0]
        tries = [self.source / name.lstrip("/")] if name.startswith("/") else [from_dir / name, self.source / name]
        if name.lstrip("/").startswith(COPIED):  # where fastpages' converter put a notebook's images
            tries.append(self.source / "_notebooks" / name.lstrip("/")[len(COPIED) :])
        found = next((p.resolve() for p in tries if p.resolve().is_file()), None)
        if found is None or not found.is_relative_to(self.source):
            self.report.not_converted.append(f"{where}: file {ref!r} not found in {self.source}: fix the path by hand")
            return ref
        rel = found.relative_to(self.source)
        if rel.parts[0] == SHARED:
            self.writer.write(f"posts/{rel.as_posix()}", found.read_bytes())
            return "../" + (quote(rel.as_posix()) if "%" in ref else rel.as_posix())
        if found.is_relative_to(from_dir.resolve()):
            beside = found.relative_to(from_dir.resolve()).as_posix()
            self.writer.write(f"{post_dir}/{beside}", found.read_bytes())
            return ref if (from_dir / name).resolve() == found else beside
        self.writer.write(f"{post_dir}/{found.name}", found.read_bytes())
        return found.name

    def fix(self, text: str, from_dir: Path, post_dir: str, where: str) -> str:
        """Markdown and <img> image paths in text, rewritten after copying their files."""

        def sub(m: re.Match) -> str:
            return m.group(1) + self.place(m.group(2), from_dir, post_dir, where)

        return HTML_SRC.sub(sub, MD_IMAGE.sub(sub, text))
