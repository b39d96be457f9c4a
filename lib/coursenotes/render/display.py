"""Front matter as Quarto shows it: inline Markdown titles, authors, `date-format`, `toc` settings.

`title`, `subtitle` and `description` are inline Markdown in Quarto (code, emphasis, entities such
as `&#58;`): the page shows them as HTML, and `<title>`, listings' plain parts, feeds, search and
Open Graph get the same text with the markup removed. All posts' fields go through one pandoc
run per build (one div per field), with raw HTML off so a title can never inject markup.
"""

from __future__ import annotations

import html
import re
import subprocess
from dataclasses import dataclass, replace

from coursenotes.errors import CoursenotesError, FrontMatterError, RenderError
from coursenotes.render.dateformat import date_style, format_date
from coursenotes.render.pandoc import pandoc_env, pandoc_path
from coursenotes.sources import Post

FIELDS = ("title", "subtitle", "description")
# Inline Markdown only: no raw HTML/TeX (a title is text), no footnotes or figures (nowhere to put them).
READER = "markdown-raw_html-raw_tex-raw_attribute-footnotes-inline_notes-implicit_figures-yaml_metadata_block"
BLOCK_START = re.compile(r"^()([#>:|]|~(?=~~)|[+*-](?=\s)|\d+[.)](?=\s|$))")  # would start a block, not a line of text
DIV = re.compile(r'<div id="f(\d+)">\n?(.*?)\n?</div>', re.S)
TAG = re.compile(r"<[^>]+>")
SAFE_URL = re.compile(r"^(?:https?:|mailto:|/|\.|#|[^:/?#]+(?:[/?#]|$))", re.I)
TOC_TITLE = "Contents"


@dataclass(frozen=True)
class Author:
    """One author as shown: a name, and a link when the front matter gives a safe `url`."""

    name: str
    url: str = ""


@dataclass(frozen=True)
class Display:
    """What a post's header and listings show, ready for the templates (HTML fields are safe to insert)."""

    title_html: str
    subtitle_html: str = ""
    description_html: str = ""
    subtitle: str = ""
    authors: tuple[Author, ...] = ()
    date_text: str = ""
    toc: bool = True
    toc_title: str = TOC_TITLE


def one_line(value) -> str:
    """A front-matter value as one line of Markdown that pandoc reads as a paragraph, not a block."""
    text = " ".join(str(value or "").split())
    return BLOCK_START.sub(lambda m: m.group(2)[:-1] + "\\" + m.group(2)[-1], text)


def render_inline(texts: list[str], known: dict[str, str] | None = None) -> list[str]:
    """Each Markdown text as inline HTML: `known` ones (from earlier builds) as they were, the rest in one run."""
    known = {} if known is None else known
    missing = [t for t in dict.fromkeys(texts) if t not in known]
    if missing:
        known.update(zip(missing, run_inline(missing)))
    return [known[t] for t in texts]


def run_inline(texts: list[str]) -> list[str]:
    """Each Markdown text as inline HTML, in one pandoc run."""
    doc = "".join(f"::: {{#f{i}}}\n{one_line(t) or ' '}\n:::\n\n" for i, t in enumerate(texts))
    try:
        proc = subprocess.run(
            [pandoc_path(), "-f", READER, "-t", "html5", "--wrap=none", "--mathml"],
            input=doc.encode(),
            capture_output=True,
            timeout=120,
            env=pandoc_env(),
        )
    except subprocess.TimeoutExpired:
        raise RenderError("pandoc took over 120 s on the posts' titles") from None
    if proc.returncode:
        raise RenderError(f"pandoc on the posts' titles: {proc.stderr.decode(errors='replace').strip()}")
    found = {int(i): body for i, body in DIV.findall(proc.stdout.decode())}
    return [re.sub(r"^<p>(.*)</p>$", r"\1", found.get(i, "").strip(), flags=re.S) for i in range(len(texts))]


def plain(fragment: str) -> str:
    """Inline HTML as the text a reader sees (for `<title>`, feeds, Open Graph): Jinja escapes it again."""
    return " ".join(html.unescape(TAG.sub("", fragment)).split())


def author_of(value, path, line) -> Author:
    """One author entry: a name, or a mapping with `name` (text, or given/family) and optional `url`."""
    if isinstance(value, (str, int, float)):
        return Author(str(value).strip())
    if isinstance(value, dict):
        name = value.get("name")
        if isinstance(name, dict):
            name = name.get("literal") or " ".join(str(name[k]) for k in ("given", "family") if name.get(k))
        url = str(value.get("url") or "").strip()
        if name:
            return Author(str(name).strip(), url if SAFE_URL.match(url) else "")
    raise FrontMatterError("`author` must be a name, a list of names, or mappings with `name` (and `url`)", path, line)


def authors_of(post: Post) -> tuple[Author, ...]:
    """The post's authors, in order."""
    value, line = (
        post.meta.get("author", post.meta.get("authors")),
        post.raw.key_lines.get("author") if post.raw else None,
    )
    if value is None or value == "":
        return ()
    return tuple(author_of(v, post.source, line) for v in (value if isinstance(value, list) else [value]))


def toc_settings(post: Post) -> tuple[bool, str]:
    """`toc` (false hides the contents) and `toc-title`."""
    lines = post.raw.key_lines if post.raw else {}
    toc, title = post.meta.get("toc", True), post.meta.get("toc-title", TOC_TITLE)
    if not isinstance(toc, bool):
        raise FrontMatterError(f"`toc` must be true or false, not {toc!r}", post.source, lines.get("toc"))
    return toc, " ".join(str(title).split()) or TOC_TITLE


def with_display(posts: list[Post], known: dict[str, str] | None = None) -> tuple[list[Post], list[CoursenotesError]]:
    """Posts with plain-text title/description/author and their Display; wrong front matter becomes errors.

    `known` holds titles rendered by earlier builds (text -> HTML) and gains this build's."""
    fields = [str(p.meta.get(f) or (p.title if f == "title" else "")) for p in posts for f in FIELDS]
    texts = render_inline(fields, known)
    shown, errors = [], []
    for i, post in enumerate(posts):
        title, subtitle, description = texts[3 * i : 3 * i + 3]
        try:
            authors, (toc, toc_title) = authors_of(post), toc_settings(post)
            style = date_style(
                post.meta.get("date-format"), post.source, post.raw.key_lines.get("date-format") if post.raw else None
            )
        except CoursenotesError as e:
            errors.append(e)
            continue
        display = Display(
            title, subtitle, description, plain(subtitle), authors, format_date(post.date, style), toc, toc_title
        )
        shown.append(
            replace(
                post,
                title=plain(title) or post.title,
                description=plain(description),
                author=", ".join(a.name for a in authors),
                display=display,
            )
        )
    return shown, errors
