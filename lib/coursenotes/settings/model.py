"""The typed settings a build runs with: the site's, our tool's, the gateway's and the command line's."""

from __future__ import annotations

import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

from coursenotes.urls import absolute_url

DEFAULT_PACKAGES = ("torch", "fastai", "numpy", "pandas", "matplotlib")


@dataclass(frozen=True)
class NavLink:
    """One navbar entry."""

    text: str
    href: str
    line: int | None = field(default=None, compare=False)  # where `_quarto.yml` names it, for errors


FILES_MODES = ("auto", "send", "shared")  # how a post's files reach a gateway kernel (docs/gateway.md)


@dataclass(frozen=True)
class GatewaySettings:
    """Where the gateway is, its token, and how a post's files reach its kernels."""

    url: str
    token: str = ""
    root: str = ""  # the repository's path on the gateway host, for files = shared/auto
    name: str = "default"  # how posts and [tool.coursenotes.gateways] name it
    files: str = "auto"  # auto: the shared folder when the kernel sees it, else send; send; shared
    send_limit_mb: float = 50.0  # the most a post's folder may send
    token_env: str = ""  # the environment variable holding the token (named gateways: tokens stay out of git)

    @property
    def host(self) -> str:
        """The gateway's host and port, as the report shows it (never credentials)."""
        parts = urllib.parse.urlsplit(self.url)
        host = parts.hostname or ""
        return (f"[{host}]" if ":" in host else host) + (f":{parts.port}" if parts.port else "")

    @property
    def label(self) -> str:
        """How messages name the gateway: its URL without any credentials in it."""
        parts = urllib.parse.urlsplit(self.url)
        host = parts.hostname or ""
        netloc = f"[{host}]" if ":" in host else host
        netloc += f":{parts.port}" if parts.port else ""
        return f"gateway {urllib.parse.urlunsplit((parts.scheme, netloc, parts.path, '', ''))}"


@dataclass(frozen=True)
class ToolSettings:
    """`[tool.coursenotes]` in pyproject.toml: settings only coursenotes knows."""

    fingerprint_packages: tuple[str, ...] = DEFAULT_PACKAGES  # their versions go into the execution cache key
    gateway_url: str = ""
    gateway_token: str = ""
    gateway_root: str = ""  # the repository's path on the gateway host; "" = the same path as here
    gateways: tuple[GatewaySettings, ...] = ()  # [tool.coursenotes.gateways.<name>] tables
    default_gateway: tuple[str, ...] = ()  # `gateway = "gpu"` or a list: where posts naming none run


@dataclass(frozen=True)
class SiteConfig:
    """Everything the build needs to know about the site as a whole (from `_quarto.yml`)."""

    root: Path
    title: str = "Course notes"
    site_url: str = ""
    description: str = ""
    lang: str = "en"
    author: str = ""
    navbar: tuple[NavLink, ...] = ()
    execute: dict = field(default_factory=dict)  # site-wide `execute:` options, validated
    jupyter: str | None = None  # site-wide kernel name
    url_style: str = "slug"  # `coursenotes: urls:`: "slug" (/posts/<name>/) or "path" (Quarto's, dates kept)
    render: tuple[str, ...] = ()  # `project: render:` globs; empty = Quarto's default (every file)
    tool: ToolSettings = field(default_factory=ToolSettings)
    html: dict = field(default_factory=dict)  # site-wide `format: html:` options the Lua filters read (code-fold, ...)
    notes: tuple[str, ...] = ()  # `_quarto.yml: ...` lines about settings this build does not draw
    search: bool = True  # `website: search: false` turns the search page and index off, as in Quarto

    @property
    def posts_dir(self) -> Path:
        """Where the posts live."""
        return self.root / "posts"

    def absolute(self, url_path: str) -> str:
        """An absolute URL for a site path, from `website.site-url`."""
        return absolute_url(self.site_url, url_path)


@dataclass(frozen=True)
class BuildOptions:
    """What the author asked for on the command line."""

    drafts: bool = False
    out: Path | None = None
    jobs: int | None = None
    frozen: bool = False
    refresh: tuple[str, ...] | None = None  # None: no refresh; (): every post; else these posts
    search: bool = True  # write the search page and its index (search/)
    execute: bool = True  # False: show code without running it (`quarto render --no-execute`)
    gateway_url: str | None = None  # --gateway-url, over the environment and [tool.coursenotes]
    gateway_token: str | None = None


@dataclass(frozen=True)
class Settings:
    """One build's settings, resolved and validated."""

    site: SiteConfig
    options: BuildOptions
    gateway: GatewaySettings | None = None  # the command line's/environment's gateway; None: see gateways
    gateways: tuple[GatewaySettings, ...] = ()  # the named ones, tokens resolved

    @property
    def root(self) -> Path:
        """The site's folder."""
        return self.site.root
