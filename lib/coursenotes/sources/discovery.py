"""Which files under posts/ are posts, and the URL each one gets: Quarto's rules, written down."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from coursenotes.sources.slugs import slugify, split_date_prefix

EXTENSIONS = (".qmd", ".md", ".ipynb")


@dataclass(frozen=True)
class Decision:
    """What discovery decided about one file or folder, and which rule decided it."""

    path: Path
    post: bool
    rule: str


def hidden(name: str) -> bool:
    """Quarto ignores files and folders whose names start with `_` or `.`."""
    return name.startswith(("_", "."))


def walk(posts_dir: Path) -> list[Decision]:
    """Every source file under posts/ (recursively) and every skipped entry, with the rule applied, sorted."""
    decisions: list[Decision] = []
    if not posts_dir.is_dir():
        return decisions
    for entry in sorted(posts_dir.iterdir()):
        if hidden(entry.name):
            if entry.is_dir() or entry.suffix in EXTENSIONS:
                rule = "a name starting with `_` or `.` is not rendered (Quarto's rule)"
                decisions.append(Decision(entry, False, rule))
            continue
        if entry.is_dir():
            decisions += walk(entry)
        elif entry.is_file() and entry.suffix in EXTENSIONS:
            rule = "index file of its folder" if entry.stem == "index" else "a source file under posts/"
            decisions.append(Decision(entry, True, rule))
    return decisions


def find_sources(posts_dir: Path) -> list[Path]:
    """Post files: every .qmd/.md/.ipynb under posts/ not hidden by a `_` or `.` name, sorted."""
    return [d.path for d in walk(posts_dir) if d.post]


def relative_stem(posts_dir: Path, path: Path) -> str:
    """The source's path under posts/ without its extension, `index` dropped: Quarto's output path."""
    rel = path.relative_to(posts_dir).with_suffix("").as_posix()
    return rel.removesuffix("/index") if rel != "index" else ""


def url_name(posts_dir: Path, path: Path, style: str) -> str:
    """The part of a post's URL after /posts/: the slug (date dropped) or Quarto's path."""
    if style == "path":
        return "/".join(slugify(part) for part in relative_stem(posts_dir, path).split("/"))
    name = path.parent.name if path.stem == "index" else path.stem
    return slugify(split_date_prefix(name)[1])


def post_key(name: str) -> str:
    """A flat identifier for a post (frozen outputs, --refresh) from its URL name."""
    return name.replace("/", "--")
