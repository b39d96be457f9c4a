"""The Quarto bridge: what `quarto render` needs from our posts before it runs, and our URLs after it.

Public modules: bridge (listings, tag pages, drafts for Quarto), urls (moves post pages to
/posts/<slug>/ and fixes links), commands (the `quarto-prerender` / `quarto-postrender` CLI).
"""

__all__ = ["bridge", "commands", "urls"]
