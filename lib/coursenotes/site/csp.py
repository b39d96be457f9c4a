"""The Content-Security-Policy, generated from what the built pages load, written to `_headers` for Netlify."""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

from coursenotes.settings import SiteConfig

TAG = re.compile(r"<(iframe|img|source|video|audio|track|script|embed|object)\b([^>]*)>", re.I)
ATTR = re.compile(r"""\b(src|poster|data)\s*=\s*(["'])(.*?)\2""", re.I | re.S)
INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc\s*=)[^>]*>(.*?)</script>", re.I | re.S)
EVENT_ATTR = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.I)
DIRECTIVE = {"iframe": "frame-src", "img": "img-src", "source": "media-src", "video": "media-src", "audio": "media-src"}
DIRECTIVE["track"] = "media-src"
# Why each fixed source is there: pandoc's table widths, mermaid's SVG and notebook HTML use style
# attributes; notebook outputs inline images as data: URIs.
FIXED = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:"],
    "media-src": ["'self'"],
    "frame-src": [],
    "font-src": ["'self'", "data:"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}
OTHER_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
}


def origin(url: str) -> str:
    """`https://www.youtube.com` from a URL; '' for site paths and data: URIs."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return ""
    return f"https://{parts.netloc}"  # upgrade-insecure-requests loads http: resources over https


def sources(html: str) -> dict[str, set[str]]:
    """Other hosts each directive needs for one page, and the hashes of its inline scripts."""
    need: dict[str, set[str]] = {}
    for tag, attrs in TAG.findall(html):
        directive = DIRECTIVE.get(tag.lower())
        for _, _, url in ATTR.findall(attrs):
            host = origin(url)
            if directive and host:
                need.setdefault(directive, set()).add(host)
    for body in INLINE_SCRIPT.findall(html):
        digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
        need.setdefault("script-src", set()).add(f"'sha256-{digest}'")
    return need


def page_text(data: bytes | Path) -> str:
    """A page's HTML as text, whether rendered (bytes) or copied from the project (a path)."""
    return data.decode() if isinstance(data, bytes) else data.read_text(encoding="utf-8", errors="replace")


def policy(pages: list[dict[str, set[str]]]) -> str:
    """The Content-Security-Policy header value that lets every page load what it uses, and nothing else."""
    directives = {k: list(v) for k, v in FIXED.items()}
    for need in pages:
        for directive, values in need.items():
            directives[directive] += sorted(set(values) - set(directives[directive]))
    directives["frame-src"] = directives["frame-src"] or ["'none'"]
    parts = [f"{k} {' '.join(dict.fromkeys(v))}" for k, v in directives.items()]
    return "; ".join([*parts, "upgrade-insecure-requests"])


def header_files(
    config: SiteConfig,
    files: dict[str, bytes | Path],
    sources_of: Callable[[str, bytes | Path], dict[str, set[str]]] | None = None,
) -> dict[str, bytes]:
    """`_headers` (Netlify reads it from the publish folder) with the generated policy for every path.

    `sources_of(path, data)` gives one page's needs; by default each page is read (an incremental build
    passes one that remembers pages whose content is unchanged)."""
    read = sources_of or (lambda _, data: sources(page_text(data)))
    pages = [read(name, data) for name, data in files.items() if name.endswith(".html")]
    lines = ["/*", f"  Content-Security-Policy: {policy(pages)}"]
    lines += [f"  {name}: {value}" for name, value in OTHER_HEADERS.items()]
    return {"_headers": ("\n".join(lines) + "\n").encode()}


def blocked(html: str) -> list[str]:
    """What a post's HTML would load that the generated policy never allows, in words (for `check`)."""
    found = []
    for tag, attrs in TAG.findall(html):
        urls = [u for _, _, u in ATTR.findall(attrs)]
        if tag.lower() == "script" and any(origin(u) for u in urls):
            found.append(
                f"a script from {origin(next(u for u in urls if origin(u)))} (only the site's own scripts run)"
            )
        elif tag.lower() in ("embed", "object"):
            found.append(f"an <{tag.lower()}> (plugins are blocked: use an <iframe> or <video>)")
    if EVENT_ATTR.search(html):
        found.append("an inline event handler such as onclick= (inline handlers are blocked: use a script file)")
    if re.search(r"""href\s*=\s*["']\s*javascript:""", html, re.I):
        found.append("a javascript: link (blocked)")
    return found
