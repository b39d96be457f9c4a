"""Quarto's `include`, `meta` and `var` shortcodes, expanded in a post's source before it becomes a notebook.

`{{< include _part.qmd >}}` is replaced by the file's text (so its code cells run as part of the
post), `{{< meta key >}}` by a front-matter value, `{{< var key >}}` by one from the project's
`_variables.yml`; dotted keys reach into mappings. `video`, `kbd` and `pagebreak` are left for the
Lua filters. Any other shortcode is an error with its `path:line`, never literal text on the page.
Code blocks and inline code are left as written; `{{</* x */>}}` and `{{{< x >}}}` (Quarto's escapes)
show `{{< x >}}` literally wherever they are.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

import yaml

from coursenotes.errors import PostError
from coursenotes.sources.fences import fence_blocks
from coursenotes.sources.frontmatter import Source, cell_text, read_text

SHORTCODE = re.compile(r"\{\{<\s*(?P<name>[^\s>]+)(?P<args>(?:[^>]|>(?!\}\}))*?)\s*>\}\}")
ESCAPED = re.compile(r"\{\{\{<(?P<a>.*?)>\}\}\}|\{\{</\*(?P<b>.*?)\*/>\}\}")
INLINE_CODE = re.compile(r"(`+)(?:(?!\1).)+?\1")
LEFT_FOR_FILTERS = ("video", "kbd", "pagebreak")  # drawn by the Lua filters in _extensions/
VARIABLES_FILE = "_variables.yml"
PROJECT_FILE = "_quarto.yml"
MAX_DEPTH = 10  # includes nested deeper than this are a cycle
SHOWN_FIELDS = ("title", "subtitle", "description")


class ShortcodeError(PostError):
    """A shortcode that cannot be expanded: unknown, missing its file or key, or leaving the project."""


@dataclass(frozen=True)
class Context:
    """What expanding one post needs: its front matter, the project root and the files being included."""

    meta: dict
    root: Path
    stack: tuple[Path, ...] = ()


def project_root(path: Path) -> Path:
    """The nearest folder above the post holding `_quarto.yml`, else the folder that holds `posts/`."""
    parents = list(path.resolve().parents)
    found = next((p for p in parents if (p / PROJECT_FILE).is_file()), None)
    return found or next((p.parent for p in parents if p.name == "posts"), path.resolve().parent)


@cache
def yaml_file(path: Path, mtime: float) -> dict:
    """A YAML mapping file (read once per version), or {} when it is not a mapping."""
    data = yaml.safe_load(read_text(path)) if path.is_file() else None
    return data if isinstance(data, dict) else {}


def load_mapping(path: Path) -> dict:
    """`_variables.yml` or `_quarto.yml` as a dict; a ShortcodeError when its YAML is broken."""
    try:
        return yaml_file(path, path.stat().st_mtime if path.is_file() else 0.0)
    except yaml.YAMLError as e:
        raise ShortcodeError(f"invalid YAML: {getattr(e, 'problem', e)}", path) from None


def lookup(data: dict, key: str):
    """A dotted key's value in nested mappings, or None."""
    for part in key.split("."):
        if not isinstance(data, dict) or part not in data:
            return None
        data = data[part]
    return data


def as_text(value, what: str, where: tuple) -> str:
    """A scalar value as the text Quarto prints (`true`, `3`, the string)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (str, int, float)):
        return str(value)
    if value is None:
        raise ShortcodeError(f"{what} has no value", *where)
    if isinstance(value, list):
        raise ShortcodeError(f"{what} is a list, not one value", *where)
    raise ShortcodeError(
        f"{what} is a mapping: name one of its keys, such as {what.split()[-1].strip('`')}.<key>", *where
    )


def included_text(arg: str, ctx: Context, where: tuple) -> str:
    """The expanded text of an included file: relative to the including file, inside the project."""
    base = where[0].parent
    path = (base / arg).resolve()
    if not path.is_relative_to(ctx.root):
        raise ShortcodeError(f"include {arg!r} is outside the project", *where)
    if not path.is_file():
        raise ShortcodeError(f"include {arg!r}: no such file (paths are relative to {where[0].name})", *where)
    if path in ctx.stack or len(ctx.stack) >= MAX_DEPTH:
        raise ShortcodeError(f"include {arg!r} includes itself", *where)
    text = read_text(path)
    if text.startswith("---\n"):  # an included file's own front matter is not page text
        end = text.find("\n---", 4)
        text = text[text.find("\n", end + 1) + 1 :] if end != -1 else text
    return expand_text(text, path, 1, replace(ctx, stack=(*ctx.stack, path))).rstrip("\n")


def expand_one(m: re.Match, ctx: Context, where: tuple) -> str:
    """The replacement for one shortcode."""
    name = m.group("name")
    if name in LEFT_FOR_FILTERS:
        return m.group(0)
    try:
        args = shlex.split(m.group("args"))
    except ValueError:
        raise ShortcodeError(f"shortcode {name}: unbalanced quotes in {m.group(0)!r}", *where) from None
    if name not in ("include", "meta", "var"):
        raise ShortcodeError(
            f"unknown shortcode {name!r}: coursenotes knows include, meta, var, "
            f"{', '.join(LEFT_FOR_FILTERS)}; write {{{{</* {name} */>}}}} to show it literally",
            *where,
        )
    if len(args) != 1:
        raise ShortcodeError(f"shortcode {name} takes one argument, got {len(args)}", *where)
    if name == "include":
        return included_text(args[0], ctx, where)
    if name == "meta":
        value = lookup(ctx.meta, args[0])
        if value is None:
            value = lookup(load_mapping(ctx.root / PROJECT_FILE), args[0])
        if value is None:
            raise ShortcodeError(f"meta {args[0]!r}: no such key in the front matter or {PROJECT_FILE}", *where)
        return as_text(value, f"meta `{args[0]}`", where)
    value = lookup(load_mapping(ctx.root / VARIABLES_FILE), args[0])
    if value is None:
        raise ShortcodeError(f"var {args[0]!r}: no such key in {VARIABLES_FILE} at the project root", *where)
    return as_text(value, f"var `{args[0]}`", where)


def literal(m: re.Match, in_code: bool) -> str:
    """An escaped shortcode shown as written: raw HTML in prose, so no filter expands it afterwards."""
    text = "{{<" + (m.group("a") if m.group("a") is not None else m.group("b")) + ">}}"
    return text if in_code else "`" + text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;") + "`{=html}"


def expand_prose(line: str, ctx: Context, where: tuple) -> str:
    """One prose line: inline code only unescaped, everything else expanded."""
    out, pos = [], 0
    for code in INLINE_CODE.finditer(line):
        out.append(expand_plain(line[pos : code.start()], ctx, where))
        out.append(ESCAPED.sub(lambda m: literal(m, True), code.group(0)))
        pos = code.end()
    out.append(expand_plain(line[pos:], ctx, where))
    return "".join(out)


def expand_plain(text: str, ctx: Context, where: tuple) -> str:
    """Text outside code: escapes become literals, shortcodes their values."""
    parts, pos = [], 0
    for m in ESCAPED.finditer(text):
        parts.append(SHORTCODE.sub(lambda s: expand_one(s, ctx, where), text[pos : m.start()]))
        parts.append(literal(m, False))
        pos = m.end()
    parts.append(SHORTCODE.sub(lambda s: expand_one(s, ctx, where), text[pos:]))
    return "".join(parts)


def expand_text(text: str, path: Path, first_line: int | None, ctx: Context) -> str:
    """Markdown with its shortcodes expanded; `first_line` is where the text starts in the file (None: notebook)."""
    if "{{<" not in text:
        return text
    lines, out = text.splitlines(), []
    for piece in fence_blocks(text):
        start = piece[-1]
        if piece[0] == "fence":
            end = min(start + len(piece[2]) + 2, len(lines))
            out += [ESCAPED.sub(lambda m: literal(m, True), line) for line in lines[start:end]]
            continue
        out += [
            expand_prose(line, ctx, (path, first_line and first_line + start + i)) for i, line in enumerate(piece[1])
        ]
    return "\n".join(out) + ("\n" if text.endswith("\n") else "")


def expand_meta(src: Source, ctx: Context) -> dict:
    """Front matter with `meta`/`var` shortcodes expanded in the fields a page shows (Quarto expands them there too)."""
    meta = dict(src.meta)
    for key in SHOWN_FIELDS:
        if isinstance(meta.get(key), str) and "{{<" in meta[key]:
            if re.search(r"\{\{<\s*include\s", meta[key]):
                raise ShortcodeError(
                    f"`{key}` cannot include a file: include works in the body", src.path, src.key_lines.get(key)
                )
            meta[key] = expand_plain(meta[key], replace(ctx, meta=meta), (src.path, src.key_lines.get(key)))
    return meta


def expand_source(src: Source, root: Path | None = None) -> Source:
    """A post's Source with shortcodes expanded in its body (or its notebook's markdown cells) and shown fields."""
    ctx = Context(src.meta, (root or project_root(src.path)).resolve(), (src.path.resolve(),))
    src = replace(src, meta=expand_meta(src, ctx))
    ctx = replace(ctx, meta=src.meta)  # `{{< meta title >}}` in the body shows the expanded title
    if src.notebook is None:
        return replace(src, body=expand_text(src.body, src.path, src.body_line, ctx))
    cells = [
        dict(c, source=expand_text(cell_text(c), src.path, None, ctx)) if c.get("cell_type") == "markdown" else c
        for c in src.notebook.get("cells", [])
    ]
    return replace(src, notebook=dict(src.notebook, cells=cells))
