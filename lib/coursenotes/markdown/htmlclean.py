"""HTML outputs made fit for a static page: notebook-only styles and progress bars removed."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"}
# Elements that are content even without text: an output holding one of them is kept.
CONTENT = re.compile(r"<(?:img|svg|table|video|audio|iframe|canvas|object|embed|math|script|hr|input|picture)\b", re.I)
# Boxes whose only job is holding a progress bar go with it; these mean the box holds results too.
KEEPS = {"table", "img", "svg", "pre", "video", "canvas"}


@dataclass
class Element:
    """One parsed element and where it sits in the source (end is past its closing tag)."""

    tag: str
    attrs: dict
    start: int
    end: int = -1
    parent: Element | None = None
    children: list = field(default_factory=list)
    text: str = ""

    def walk(self):
        """This element and all below it."""
        yield self
        for child in self.children:
            yield from child.walk()


class Tree(HTMLParser):
    """A forgiving element tree with source offsets, enough to cut elements out of the original text."""

    def __init__(self, source: str):
        super().__init__(convert_charrefs=True)
        self.source, self.root = source, Element("#root", {}, 0, len(source))
        self.lines = [0] + [m.end() for m in re.finditer("\n", source)]
        self.stack = [self.root]
        self.feed(source)
        self.close()
        for open_el in self.stack[1:]:
            open_el.end = len(source)

    def here(self) -> int:
        """The source offset of the construct being parsed."""
        line, col = self.getpos()
        return self.lines[line - 1] + col

    def handle_starttag(self, tag, attrs):
        start = self.here()
        el = Element(tag, dict(attrs), start, parent=self.stack[-1])
        self.stack[-1].children.append(el)
        if tag in VOID:
            el.end = start + len(self.get_starttag_text() or "")
        else:
            self.stack.append(el)

    def handle_startendtag(self, tag, attrs):
        start = self.here()
        el = Element(tag, dict(attrs), start, start + len(self.get_starttag_text() or ""), self.stack[-1])
        self.stack[-1].children.append(el)

    def handle_endtag(self, tag):
        if not any(el.tag == tag for el in self.stack[1:]):
            return  # a stray end tag
        start = self.here()
        end = self.source.find(">", start) + 1 or len(self.source)
        while self.stack[-1].tag != tag:
            self.stack.pop().end = start
        self.stack.pop().end = end

    def handle_data(self, data):
        self.stack[-1].text += data


def is_noise_style(el: Element) -> bool:
    """pandas' `<style scoped>` (meant for the notebook, leaks site-wide here) or fastprogress's bar styles."""
    return el.tag == "style" and ("scoped" in el.attrs or re.search(r"\bprogress\b", el.text) is not None)


def progress_box(el: Element) -> Element:
    """What to remove for a `<progress>`: its nearest enclosing div when that holds nothing else worth keeping."""
    box = el.parent
    while box is not None and box.tag != "div":
        box = box.parent
    if box is None or any(e.tag in KEEPS for e in box.walk()):
        return el
    return box


def cut(source: str, spans: list[tuple[int, int]]) -> str:
    """Source with the (start, end) spans removed; spans inside others are skipped."""
    out, pos = [], 0
    for start, end in sorted(spans):
        if start < pos:
            continue
        out.append(source[pos:start])
        pos = end
    return "".join(out) + source[pos:]


def is_empty(fragment: str) -> bool:
    """True when HTML shows nothing: no text and no image, table or other content element."""
    if CONTENT.search(fragment):
        return False
    text = re.sub(r"<[^>]*>", "", re.sub(r"<(style|script)\b.*?</\1\s*>", "", fragment, flags=re.S | re.I))
    return not html.unescape(text).strip()


def clean_html(source: str) -> str:
    """HTML output without notebook-only styles and progress bars; '' when nothing visible is left."""
    tree = Tree(source)
    spans = [(e.start, e.end) for e in tree.root.walk() if is_noise_style(e)]
    spans += [(box.start, box.end) for box in (progress_box(e) for e in tree.root.walk() if e.tag == "progress")]
    cleaned = cut(source, spans).strip()
    return "" if is_empty(cleaned) else cleaned
