"""A fastpages repository (`_notebooks/`, `_posts/`, `images/`) as Quarto-style posts under posts/."""

from __future__ import annotations

import json
import re
from pathlib import Path

import yaml

from coursenotes.importing.assets import Assets
from coursenotes.importing.liquid import convert_markdown
from coursenotes.importing.report import ImportReport
from coursenotes.importing.writer import Writer
from coursenotes.sources import split_date_prefix

TITLE = re.compile(r"^#\s+(.+?)\s*$")
SUMMARY = re.compile(r"^>\s?(.*)$")
OPTION = re.compile(r"^-\s+([\w-]+)\s*:\s*(.*?)\s*$")
KEEP = ("title", "description", "categories", "tags", "author", "image", "toc", "date", "aliases")
DROPPED = {
    "layout": "Quarto has one post layout",
    "comments": "set up Quarto's `comments:` (utterances or giscus) yourself",
    "badges": "Colab/Binder/GitHub badges are not generated",
    "hide_binder_badge": "badges are not generated",
    "hide_colab_badge": "badges are not generated",
    "hide_github_badge": "badges are not generated",
    "hide_deepnote_badge": "badges are not generated",
    "branch": "badges are not generated",
    "sticky_rank": "listings are sorted by `sort:` in index.qmd",
    "search_exclude": "every post is searchable",
    "show_tags": "tags are always shown",
    "hide": "hidden-but-published posts have no Quarto equivalent; use `draft: true` to hide it",
    "nb_path": "fastpages bookkeeping",
}
# nbdev/fastpages cell flags (first line of a code cell) and Quarto's cell option for each.
FLAGS = {
    "hide": "include: false",
    "hide_input": "echo: false",
    "hide_output": "output: false",
    "collapse": "code-fold: true",
    "collapse-hide": "code-fold: true",
    "collapse_hide": "code-fold: true",
    "collapse-show": "code-fold: show",
    "collapse_show": "code-fold: show",
}
FLAG = re.compile(r"^#\s*([\w-]+)\s*$")


def scalar(text: str):
    """A front-matter value as YAML reads it (`[a, b]`, `true`), else the text."""
    try:
        return yaml.safe_load(text) if text else ""
    except yaml.YAMLError:
        return text


def notebook_front_matter(text: str) -> tuple[dict, str]:
    """fastpages' first-cell front matter (`# Title`, `> summary`, `- key: value`) and the cell's remaining text."""
    meta: dict = {}
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i].strip()
        if not line:
            i += 1
            continue
        if "title" not in meta and (m := TITLE.match(line)):
            meta["title"] = m.group(1).strip().strip('"')
        elif "title" in meta and (m := SUMMARY.match(line)) and "description" not in meta:
            meta["description"] = m.group(1).strip().strip('"')
        elif m := OPTION.match(line):
            meta[m.group(1)] = scalar(m.group(2))
        else:
            break
        i += 1
    return meta, "\n".join(lines[i:])


def jekyll_url(name: str, meta: dict) -> str:
    """Jekyll's default post URL, `/:categories/:year/:month/:day/:title.html`, unless `permalink:` names another."""
    if isinstance(meta.get("permalink"), str):
        return meta["permalink"]
    date, title = split_date_prefix(name)
    cats = meta["categories"] if isinstance(meta.get("categories"), list) else []
    parts = [str(c).lower() for c in cats] + (date.split("-") if date else []) + [title]
    return "/" + "/".join(parts) + ".html"


class Fastpages:
    """One fastpages repository being imported."""

    def __init__(self, source: Path, writer: Writer, report: ImportReport):
        self.source, self.writer, self.report = source.resolve(), writer, report
        self.assets = Assets(self.source, writer, report)

    def front_matter(self, meta: dict, name: str, from_dir: Path, where: str) -> dict:
        """fastpages keys as Quarto's; what has no equivalent is dropped and reported."""
        out = {k: meta[k] for k in KEEP if k in meta}
        out["aliases"] = [*(out.get("aliases") or []), jekyll_url(name, meta)]
        for key in meta:
            if key in DROPPED and meta[key] in (False, None):
                continue  # an option turned off: nothing is lost
            if key in DROPPED:
                value = dump({key: meta[key]}).strip()
                self.report.not_converted.append(f"{where}: `{value}` dropped: {DROPPED[key]}")
            elif key not in KEEP and key != "permalink":
                out[key] = meta[key]
        if isinstance(out.get("image"), str):
            out["image"] = self.assets.place(out["image"], from_dir, f"posts/{name}", where)
        self.report.converted.append(f"{where}: front matter ({', '.join(sorted(meta))})")
        return out

    def markdown(self, text: str, from_dir: Path, name: str, where: str) -> str:
        """Jekyll markup and image paths in one piece of Markdown."""
        conv = convert_markdown(text)
        self.report.converted += [f"{where}: {item}" for item in dict.fromkeys(conv.done)]
        self.report.not_converted += [f"{where}:{line}: {msg}" for line, msg in conv.left]
        return self.assets.fix(conv.text, from_dir, f"posts/{name}", where)

    def code_cell(self, cell: dict, where: str) -> dict:
        """nbdev flags (`#hide`, `#collapse-show`) as Quarto `#|` options."""
        lines = "".join(cell.get("source") or "").splitlines()
        m = FLAG.match(lines[0]) if lines else None
        if not m or m.group(1) not in FLAGS:
            if m and m.group(1).startswith(("collapse", "hide")):
                self.report.not_converted.append(f"{where}: cell flag `{lines[0]}` has no Quarto option")
            return cell
        self.report.converted.append(f"{where}: `{lines[0]}` -> `#| {FLAGS[m.group(1)]}`")
        return dict(cell, source="\n".join([f"#| {FLAGS[m.group(1)]}", *lines[1:]]))

    def notebook(self, path: Path) -> None:
        """_notebooks/<name>.ipynb -> posts/<name>/index.ipynb with YAML front matter in a raw cell."""
        name, where = path.stem, path.relative_to(self.source).as_posix()
        nb = json.loads(path.read_text(encoding="utf-8"))
        cells = nb.get("cells", [])
        first = next((i for i, c in enumerate(cells) if c.get("cell_type") == "markdown"), None)
        meta, rest = notebook_front_matter("".join(cells[first]["source"])) if first is not None else ({}, "")
        front = self.front_matter(meta, name, path.parent, where)
        body = []
        for i, cell in enumerate(cells):
            source = rest if i == first else "".join(cell.get("source") or "")
            if cell.get("cell_type") == "markdown":
                if source.strip():
                    body.append(dict(cell, source=self.markdown(source, path.parent, name, f"{where} cell {i + 1}")))
            elif cell.get("cell_type") == "code":
                body.append(self.code_cell(cell, f"{where} cell {i + 1}"))
            else:
                body.append(cell)
        raw = {"cell_type": "raw", "metadata": {}, "source": "---\n" + dump(front) + "---"}
        out = dict(nb, cells=[raw, *body])
        self.writer.write(f"posts/{name}/index.ipynb", (json.dumps(out, indent=1, ensure_ascii=False) + "\n").encode())

    def post(self, path: Path) -> None:
        """_posts/<name>.md -> posts/<name>/index.md."""
        name, where = path.stem, path.relative_to(self.source).as_posix()
        text = path.read_text(encoding="utf-8").removeprefix("\ufeff")
        meta, body = {}, text
        parts = re.match(r"\s*---\s*\n(.*?)\n---\s*\n(.*)$", text, re.S)
        if parts:
            loaded = yaml.safe_load(parts.group(1))
            meta, body = (loaded if isinstance(loaded, dict) else {}), parts.group(2)
        meta.setdefault("title", split_date_prefix(name)[1].replace("-", " ").title())
        front = self.front_matter(meta, name, path.parent, where)
        body = self.markdown(body, path.parent, name, where)
        self.writer.write(f"posts/{name}/index.md", f"---\n{dump(front)}---\n\n{body.lstrip()}".encode())

    def run(self) -> None:
        """Every notebook and Markdown post of the repository."""
        notebooks = sorted((self.source / "_notebooks").glob("*.ipynb"))
        posts = sorted((self.source / "_posts").glob("*.md")) + sorted((self.source / "_posts").glob("*.markdown"))
        for path in notebooks + posts:
            if split_date_prefix(path.stem)[0] is None:  # Jekyll publishes only YYYY-MM-DD-title files
                self.report.not_converted.append(f"{path.relative_to(self.source)}: not a post (no date in its name)")
            elif path.suffix == ".ipynb":
                self.notebook(path)
            else:
                self.post(path)
        skipped = sorted((self.source / "_word").glob("*.docx")) if (self.source / "_word").is_dir() else []
        self.report.not_converted += [f"{p.relative_to(self.source)}: Word posts are not imported" for p in skipped]


def dump(meta: dict) -> str:
    """Front matter as YAML, keys in the order given."""
    return yaml.safe_dump(meta, sort_keys=False, allow_unicode=True, default_flow_style=False, width=1000)
