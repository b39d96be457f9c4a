"""fastpages' Jekyll/Liquid markup in Markdown, as Quarto writes the same things: shortcodes and callouts."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

INCLUDE = re.compile(r"\{%-?\s*include\s+([\w.-]+)\s*(.*?)-?%\}", re.S)
ARG = re.compile(r"""([\w-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'|(\S+))""", re.S)
BASEURL = re.compile(r"\{\{\s*site\.baseurl\s*\}\}")
TWITTER = re.compile(r"\{%\s*twitter\s+(\S+?)\s*%\}")
FOOTNOTE = re.compile(r"\{%\s*fn\s+(\w+)\s*%\}")
FOOTNOTE_TEXT = re.compile(r"""^\{\{\s*(["'])(.*?)\1\s*\|\s*fndetail:\s*(\w+)\s*\}\}""", re.M | re.S)
RAW = re.compile(r"\{%-?\s*(?:end)?raw\s*-?%\}")
LIQUID = re.compile(r"\{%.*?%\}|\{\{.*?\}\}", re.S)
HREF = re.compile(r"""href=["']([^"']+)["']""")
# nbdev/fastpages blockquote shortcuts in notebooks: `> Note: ...`, `> youtube: URL`.
QUOTE = re.compile(r"^> (Note|Tip|Warning|Important|youtube|twitter): ?(.*)$", re.M | re.I)
CALLOUTS = {
    "info.html": "note",
    "note.html": "note",
    "tip.html": "tip",
    "warning.html": "warning",
    "alert.html": "warning",
    "important.html": "important",
}


@dataclass
class Converted:
    """Markdown after conversion, what was converted, and (line, message) for what was left."""

    text: str
    done: list[str] = field(default_factory=list)
    left: list[tuple[int, str]] = field(default_factory=list)


def include_args(text: str) -> dict[str, str]:
    """`key="value"` arguments of a Liquid include."""
    return {m.group(1): next(g for g in m.groups()[1:] if g is not None) for m in ARG.finditer(text)}


def link_target(content: str) -> str:
    """The URL in an include's `content`: fastpages passes a rendered link or `<code>` around it."""
    m = HREF.search(content)
    text = m.group(1) if m else re.sub(r"<[^>]+>", "", content)
    return html.unescape(text).strip()


def callout(kind: str, text: str) -> str:
    """A Quarto callout block."""
    return f"\n::: {{.callout-{kind}}}\n{text.strip()}\n:::\n"


def include(name: str, args: dict[str, str]) -> str | None:
    """Quarto's way of writing one fastpages include, or None when there is none."""
    body = args.get("text") or args.get("content") or ""
    if name in CALLOUTS and body:
        return callout(CALLOUTS[name], body)
    if name == "youtube.html" and body:
        return f"{{{{< video {link_target(body)} >}}}}"
    if name == "video.html" and args.get("url"):
        return f"{{{{< video {args['url']} >}}}}"
    if name == "image.html" and args.get("file"):
        caption = args.get("caption") or args.get("alt") or ""
        alt = args.get("alt") or caption
        image = (
            f'![{caption}]({args["file"]}){{fig-alt="{alt}"}}' if alt != caption else f"![{caption}]({args['file']})"
        )
        return f"[{image}]({args['url']})" if args.get("url") else image
    return None


def line_at(text: str, index: int) -> int:
    """1-based line of a character index."""
    return text.count("\n", 0, index) + 1


FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
INLINE_CODE = re.compile(r"(`+)(?:(?!\1).)+?\1", re.S)


def convert_markdown(text: str) -> Converted:
    """fastpages Markdown to Quarto Markdown, leaving code (fenced blocks and `inline`) exactly as written."""
    out, start, fence = Converted(""), 0, ""
    chunk: list[str] = []
    lines = text.splitlines(keepends=True)

    def flush() -> None:
        part = convert_prose("".join(chunk))
        out.text += part.text
        out.done.extend(part.done)
        out.left.extend((start + line, msg) for line, msg in part.left)

    for i, line in enumerate(lines):
        m = FENCE.match(line)
        if fence:
            out.text += line
            fence = (
                ""
                if m and line.strip() == m.group(1)[0] * len(line.strip()) and line.strip().startswith(fence)
                else fence
            )
        elif m:
            flush()
            chunk, fence = [], m.group(1)
            out.text += line
        else:
            if not chunk:
                start = i
            chunk.append(line)
    flush()
    return out


def convert_prose(text: str) -> Converted:
    """Convert prose with inline code spans protected."""
    spans: list[str] = []

    def hide(m: re.Match) -> str:
        spans.append(m.group(0))
        return f"\x00{len(spans) - 1}\x00"

    out = convert(INLINE_CODE.sub(hide, text))
    out.text = re.sub("\x00(\\d+)\x00", lambda m: spans[int(m.group(1))], out.text)
    return out


def convert(text: str) -> Converted:
    """fastpages Markdown (no code in it) to Quarto Markdown."""
    out = Converted(text)

    def sub_include(m: re.Match) -> str:
        name, args = m.group(1), include_args(m.group(2))
        new = include(name, args)
        if new is None:
            out.left.append((line_at(text, m.start()), f"`{{% include {name} %}}` has no Quarto equivalent here"))
            return m.group(0)
        out.done.append(f"include {name}")
        return new

    def sub_quote(m: re.Match) -> str:
        kind, rest = m.group(1).lower(), m.group(2)
        out.done.append(f"> {m.group(1)}:")
        if kind == "youtube":
            return f"{{{{< video {rest.strip()} >}}}}"
        if kind == "twitter":
            return f"[A post on Twitter/X]({rest.strip()})"
        return callout(kind, rest)

    new = INCLUDE.sub(sub_include, text)

    def mark(label: str, pattern: re.Pattern, repl) -> None:
        nonlocal new
        new, count = pattern.subn(repl, new)
        out.done += [label] if count else []

    mark("{% twitter %}", TWITTER, lambda m: f"[A post on Twitter/X]({m.group(1)})")
    mark("{% fn %} footnotes", FOOTNOTE, lambda m: f"[^{m.group(1)}]")
    mark("fndetail footnotes", FOOTNOTE_TEXT, lambda m: f"[^{m.group(3)}]: {m.group(2)}")
    if BASEURL.search(new):
        out.done.append("{{ site.baseurl }}")
    new = BASEURL.sub("", new)
    new = RAW.sub("", new)
    new = QUOTE.sub(sub_quote, new)
    for m in LIQUID.finditer(text):
        tag = m.group(0)
        known = (INCLUDE, BASEURL, RAW, TWITTER, FOOTNOTE, FOOTNOTE_TEXT)
        if not tag.startswith("{{<") and not any(p.match(tag) for p in known):
            out.left.append((line_at(text, m.start()), f"Liquid `{tag[:40]}` is not Quarto: edit it by hand"))
    out.text = new
    return out
