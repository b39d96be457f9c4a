"""`coursenotes quarto-prerender` / `quarto-postrender`: the scripts `_quarto.yml` runs around `quarto render`."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

PRE_HELP = "write what `quarto render` needs from posts/ (run by _quarto.yml's pre-render)"
POST_HELP = "move Quarto's post pages to /posts/<slug>/ and fix links (run by _quarto.yml's post-render)"
PRE_DESCRIPTION = """\
Generate the git-ignored files that let `quarto render` list posts the way `coursenotes build`
does: posts-listing.yml (categories = tags + categories), archive/archive-listing.yml,
tags/tags-listing.yml, one tags/<slug>/index.qmd per tag, and _drafts.yml (posts with
`published: false`). Files that did not change are left untouched.
"""
POST_DESCRIPTION = """\
After a full `quarto render`, move posts/2024-09-21-name/ (and posts/2024-07-01-name.html) to
posts/name/ as our build does, rewrite the links to them in every page, feed, sitemap and
search index, and delete draft pages. Quarto sets QUARTO_PROJECT_RENDER_ALL on full renders; an
incremental render or `quarto preview` is left as Quarto wrote it, so the preview keeps working.
"""


def add_quarto_commands(sub) -> None:
    """Register both commands on the CLI's subparsers."""
    fmt = argparse.RawDescriptionHelpFormatter
    pre = sub.add_parser("quarto-prerender", help=PRE_HELP, description=PRE_DESCRIPTION, formatter_class=fmt)
    pre.add_argument("--root", type=Path, default=Path("."), metavar="DIR", help="the site's folder (default: .)")
    pre.set_defaults(run=run_prerender)
    post = sub.add_parser("quarto-postrender", help=POST_HELP, description=POST_DESCRIPTION, formatter_class=fmt)
    post.add_argument("--root", type=Path, default=Path("."), metavar="DIR", help="the site's folder (default: .)")
    post.add_argument(
        "--out",
        type=Path,
        metavar="DIR",
        help="Quarto's output folder (default: $QUARTO_PROJECT_OUTPUT_DIR, else _site)",
    )
    post.add_argument("--force", action="store_true", help="move outputs even when Quarto did not render everything")
    post.set_defaults(run=run_postrender)


def run_prerender(args) -> int:
    """Write the generated files; print what changed."""
    from coursenotes.quarto.bridge import generate, write

    changed = write(args.root, generate(args.root))
    print(f"coursenotes: {len(changed)} Quarto file(s) updated" + (f": {', '.join(changed)}" if changed else ""))
    return 0


def run_postrender(args) -> int:
    """Move post outputs to our URLs after a full render."""
    from coursenotes.quarto.urls import apply, plan
    from coursenotes.settings import QUARTO_FILE, load_config, load_yaml
    from coursenotes.sources import discover

    if (
        os.environ.get("QUARTO_PROJECT_OUTPUT_DIR") is not None
        and not os.environ.get("QUARTO_PROJECT_RENDER_ALL")
        and not args.force
    ):
        print(
            "coursenotes: partial render or preview: post URLs left as Quarto wrote them "
            "(a full `quarto render` moves them to /posts/<slug>/)",
            file=sys.stderr,
        )
        return 0
    config = load_config(args.root)
    out = args.out or config.root / os.environ.get("QUARTO_PROJECT_OUTPUT_DIR", "_site")
    posts, errors = discover(config.posts_dir, config.url_style)
    if errors:
        raise errors[0]
    # Quarto's `website: draft-mode:` (https://quarto.org/docs/websites/website-drafts.html): only `gone`,
    # the default, means a draft is not published, which is what our build does with it.
    draft_mode = (load_yaml(config.root / QUARTO_FILE).get("website") or {}).get("draft-mode") or "gone"
    moved = apply(Path(out), plan(posts), config.site_url, drop_drafts=draft_mode == "gone")
    print(f"coursenotes: {len(moved)} post(s) moved to /posts/<slug>/ in {out}")
    return 0
