"""A post's front matter that changes how pandoc renders it, as extra pandoc arguments.

The build splits front matter off before pandoc (its reader has no `yaml_metadata_block`), so
the keys the Lua filters and pandoc need travel as arguments: `bibliography` and `csl` (paths
from the post's folder, kept inside the project), `number-sections`, `crossref` options, `toc-depth`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from coursenotes.errors import FrontMatterError
from coursenotes.settings import metadata_args, page_options, unsupported_options

PATH_KEYS = ("bibliography", "csl")
# Quarto front matter this build does not show: each is a `path:line` warning instead of silence.
UNSUPPORTED = {
    "abstract": "the abstract is not shown",
    "citation": 'no "cite this page" block is made',
    "citation-location": "references are listed at the end",
    "cite-method": "citations always go through citeproc",
    "doi": "the DOI is not shown",
    "license": "the license is not shown",
    "copyright": "the copyright is not shown",
    "funding": "funding is not shown",
    "affiliations": "affiliations are not shown",
}
BIBLIOGRAPHY_TYPES = (".bib", ".bibtex", ".json", ".yaml", ".yml", ".ris")


@dataclass(frozen=True)
class PandocMeta:
    """Extra pandoc arguments for one post, the files they name (their content is in the cache key), and warnings."""

    args: tuple[str, ...] = ()
    files: tuple[Path, ...] = ()
    warnings: tuple[tuple[str, str], ...] = ()  # (needle, message), as render_warnings reads them


def meta_path(value, key: str, source: Path, root: Path, line: int | None) -> Path:
    """A front-matter path resolved from the post's folder: an existing file inside the project."""
    if not isinstance(value, str) or not value.strip():
        raise FrontMatterError(f"`{key}` must be a file name", source, line)
    path = (source.parent / value.strip()).resolve()
    if not path.is_relative_to(root.resolve()):
        raise FrontMatterError(f"`{key}`: {value!r} is outside the project; keep it beside the post", source, line)
    if not path.is_file():
        raise FrontMatterError(f"`{key}`: no such file {value!r} (paths are relative to the post)", source, line)
    if key == "bibliography" and path.suffix.lower() not in BIBLIOGRAPHY_TYPES:
        raise FrontMatterError(
            f"`bibliography`: {value!r} is not BibTeX (.bib), CSL-JSON (.json) or CSL-YAML (.yaml)", source, line
        )
    return path


def toc_depth(value, source: Path, line: int | None) -> list[str]:
    """`toc-depth: N` as pandoc's option."""
    if value is None:
        return []
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 6:
        raise FrontMatterError(f"`toc-depth` must be a whole number from 1 to 6, not {value!r}", source, line)
    return [f"--toc-depth={value}"]


def pandoc_meta(meta: dict, key_lines: dict, source: Path, root: Path, site_html: dict | None = None) -> PandocMeta:
    """The pandoc arguments a post's front matter asks for; FrontMatterError with the key's line when one is wrong."""
    args, files = [], []
    for key in PATH_KEYS:
        values = meta.get(key)
        for value in values if isinstance(values, list) else ([] if values is None else [values]):
            path = meta_path(value, key, source, root, key_lines.get(key))
            args.append(f"--metadata={key}:{path}")
            files.append(path)
    if meta.get("number-sections") is True:
        args.append("--metadata=number-sections:true")
    for key in ("number-depth", "number-offset"):  # read (or reported as unsupported) by crossref.lua
        if meta.get(key) is not None:
            args.append(f"--metadata={key}={meta[key]}")
    crossref = meta.get("crossref")
    if crossref is not None and not isinstance(crossref, dict):
        raise FrontMatterError(
            "`crossref` must be a mapping of options (fig-title: Fig., ...)", source, key_lines.get("crossref")
        )
    # -M takes only strings and booleans, so each option travels as its own `crossref-<option>` key.
    for key, value in (crossref or {}).items():
        args.append(f"--metadata=crossref-{key}=" + (str(value).lower() if isinstance(value, bool) else str(value)))
    if meta.get("nocite"):
        args.append(f"--metadata=nocite={meta['nocite']}")  # references.lua reads the @keys
    args += toc_depth(meta.get("toc-depth"), source, key_lines.get("toc-depth"))
    args += metadata_args(page_options(site_html or {}, meta))  # code-fold, callout-appearance, ... for the filters
    warnings = tuple(
        (f"{key}:", f"`{key}` is not supported by the coursenotes build: {why}")
        for key, why in UNSUPPORTED.items()
        if key in meta
    ) + tuple((f"{key}:", f"`{key}` {why}") for key, why in unsupported_options(meta))
    return PandocMeta(tuple(args), tuple(files), warnings)


def post_pandoc_meta(post, root: Path, site_html: dict | None = None) -> PandocMeta | FrontMatterError:
    """`pandoc_meta` for a Post, the error returned rather than raised so one bad post never stops the others."""
    try:
        return pandoc_meta(post.meta, post.raw.key_lines, post.source, root, site_html)
    except FrontMatterError as e:
        return e
