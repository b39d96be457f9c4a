"""One cell output (stream, rich display, error) as pandoc markdown, the way Quarto lays it out."""

from __future__ import annotations

import base64
import hashlib
import re
from dataclasses import dataclass, field

from coursenotes.markdown import ansi
from coursenotes.markdown.htmlclean import clean_html
from coursenotes.sources import ticks_for

MIME_ORDER = ("text/markdown", "image/svg+xml", "image/png", "image/jpeg", "text/html", "text/latex", "text/plain")
IMAGE_EXT = {"image/svg+xml": "svg", "image/png": "png", "image/jpeg": "jpg"}
WIDGET = "application/vnd.jupyter.widget-view+json"
# fasthtml objects (fastprogress 1.1's result tables) offer their HTML source as a ```html block for text/markdown.
HTML_SOURCE_MARKDOWN = re.compile(r"\s*(`{3,})html\s*\n.*\n\1\s*", re.S)


def joined(value) -> str:
    """nbformat text, which may be stored as a list of lines."""
    return "".join(value) if isinstance(value, list) else str(value or "")


def fence(code: str, lang: str = "python", classes: str = "") -> str:
    """A fenced code block long enough not to clash with backticks inside the code."""
    ticks = ticks_for(code)
    info = "{." + lang + (" " + classes if classes else "") + "}" if classes else lang
    return f"{ticks}{info}\n{code.rstrip()}\n{ticks}"


def raw_html(markup: str) -> str:
    """HTML that pandoc passes through untouched."""
    ticks = ticks_for(markup)
    return f"{ticks}{{=html}}\n{markup.strip()}\n{ticks}"


def div(classes: str, body: str, ident: str = "", colons: int = 3) -> str:
    """A pandoc fenced div."""
    head = " ".join(([f"#{ident}"] if ident else []) + classes.split())
    return f"{':' * colons} {{{head}}}\n{body.strip(chr(10))}\n{':' * colons}"


def attr(value) -> str:
    """A value quoted for a pandoc attribute."""
    return '"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"'


def nth(value, i: int):
    """A per-image option: item i of a list, or a single value for the first image only."""
    if isinstance(value, list):
        return value[i] if i < len(value) else None
    return value if i == 0 else None


@dataclass
class CellContext:
    """What rendering one code cell's outputs needs: its number, its options, the page's files."""

    number: int
    opts: dict
    files: dict = field(default_factory=dict)
    images: int = 0

    @property
    def asis(self) -> bool:
        return self.opts.get("output") == "asis"

    def image_text(self) -> tuple[str, str]:
        """(caption, alt text) for the cell's next image; alt is never empty."""
        i, self.images = self.images, self.images + 1
        cap, alt = self.opts.get("fig-cap"), self.opts.get("fig-alt")
        caption = nth(cap, i)
        alt_text = (alt if isinstance(alt, str) else nth(alt, i)) or caption or (cap if isinstance(cap, str) else None)
        return (
            str(caption or "").replace("\n", " "),
            str(alt_text or self.opts.get("label") or f"Output of cell {self.number}"),
        )


def image_markdown(mime: str, value, meta: dict, ctx: CellContext) -> str:
    """An image output written to a content-addressed file; a figure when the cell gives a caption."""
    data = joined(value).encode() if mime == "image/svg+xml" else base64.b64decode(joined(value))
    name = f"figure-{hashlib.sha256(data).hexdigest()[:16]}.{IMAGE_EXT[mime]}"
    ctx.files[name] = data
    caption, alt = ctx.image_text()
    size = [f"{k}={attr(meta[k])}" for k in ("width", "height") if isinstance(meta.get(k), (int, float, str))]
    return f"![{caption}]({name}){{{' '.join(['.cell-output-image', f'alt={attr(alt)}', *size])}}}"


def latex_markdown(text: str) -> str:
    """LaTeX output as pandoc math: `\\[..\\]` and `\\(..\\)` become dollars (pandoc reads `$` and environments)."""
    text = re.sub(r"\\\[(.*?)\\\]", r"$$\1$$", text, flags=re.S)
    return re.sub(r"\\\((.*?)\\\)", r"$\1$", text, flags=re.S).strip()


def pick_mime(data: dict) -> str | None:
    """The richest MIME type we show, in Quarto's HTML order."""
    for mime in MIME_ORDER:
        if mime not in data:
            continue
        if mime == "text/markdown" and "text/html" in data and HTML_SOURCE_MARKDOWN.fullmatch(joined(data[mime])):
            continue
        if mime == "text/plain" and WIDGET in data:
            return None  # a live widget's repr is noise on a static page
        return mime
    return None


def display_markdown(output: dict, ctx: CellContext) -> str:
    """A display_data/execute_result output; '' when nothing is left to show (e.g. a finished progress bar)."""
    data, mime = output.get("data", {}), pick_mime(output.get("data", {}))
    if mime is None:
        return ""
    if mime in IMAGE_EXT:
        body = image_markdown(mime, data[mime], output.get("metadata", {}).get(mime, {}) or {}, ctx)
        return body if ctx.asis else div(".cell-output .cell-output-display", body)
    text = joined(data[mime])
    if mime == "text/html":
        text = clean_html(text)
        body = raw_html(text) if text else ""
    elif mime == "text/markdown":
        body = text.strip("\n")
    elif mime == "text/latex":
        body = latex_markdown(text)
    else:
        body = text.rstrip() if ctx.asis else fence(text, "")
    if not body.strip() or ctx.asis:
        return body
    extra = " .cell-output-markdown" if mime == "text/markdown" else ""
    return div(".cell-output .cell-output-display" + extra, body)


def terminal_block(text: str) -> str:
    """Terminal text as a code block, coloured through raw HTML when it holds ANSI codes."""
    if not ansi.has_ansi(text):
        return fence(text, "")
    return raw_html(f"<pre><code>{ansi.to_html(text.rstrip())}</code></pre>")


def stream_markdown(name: str, text: str, ctx: CellContext) -> str:
    """Merged stdout or stderr text, progress-bar redraws collapsed."""
    text = ansi.collapse(text)
    if not ansi.strip_ansi(text).strip():
        return ""
    if ctx.asis and name == "stdout":
        return text.strip("\n")
    return div(f".cell-output .cell-output-{name}", terminal_block(text))


def error_markdown(output: dict, ctx: CellContext) -> str:
    """An exception: its coloured traceback, ending in `ename: evalue`."""
    tb = "\n".join(joined(line) for line in output.get("traceback", []))
    summary = f"{output.get('ename', 'Error')}: {output.get('evalue', '')}".rstrip(": ")
    if summary not in ansi.strip_ansi(tb):
        tb = f"{tb}\n{summary}" if tb.strip() else summary
    return div(".cell-output .cell-output-error", terminal_block(tb))


def merged_streams(outputs: list) -> list:
    """Outputs with consecutive stream outputs of the same name merged into one."""
    merged: list = []
    for out in outputs:
        if (
            out.get("output_type") == "stream"
            and merged
            and merged[-1].get("output_type") == "stream"
            and merged[-1].get("name") == out.get("name")
        ):
            merged[-1] = {**merged[-1], "text": joined(merged[-1]["text"]) + joined(out.get("text"))}
        else:
            merged.append(dict(out))
    return merged


def output_markdown(output: dict, ctx: CellContext) -> str:
    """Any one output as markdown ('' for nothing to show)."""
    kind = output.get("output_type")
    if kind == "stream":
        if output.get("name") == "stderr" and ctx.opts.get("warning") is False:
            return ""
        return stream_markdown(output.get("name", "stdout"), joined(output.get("text")), ctx)
    if kind == "error":
        return error_markdown(output, ctx)
    if kind in ("display_data", "execute_result", "update_display_data"):
        return display_markdown(output, ctx)
    return ""
