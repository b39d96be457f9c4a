"""The site stage: rendered posts in, every file of `_site/` out (pages, listings, tags, feeds, search, assets).

Only this stage writes the output folder, and it writes a new tree beside it and swaps it in.
Public names: site_files, navbar_problems, report_files, Pages, publish, search (the index package), Tag, tags_of,
newest_first, and what `check` reads pages with: the `<img>` patterns (IMG, SRC, ALT), blocked (the CSP),
listing_problems.,
check_out (which folders --out may name), DEFAULT (the output folder's name).
"""

from coursenotes.site import search
from coursenotes.site.csp import blocked
from coursenotes.site.images import ALT, IMG, SRC
from coursenotes.site.layout import report_files, site_files
from coursenotes.site.listing import listing_problems
from coursenotes.site.navbar import navbar_problems
from coursenotes.site.outdir import DEFAULT, check_out
from coursenotes.site.pages import Pages
from coursenotes.site.taxonomy import Tag, newest_first, tags_of
from coursenotes.site.writer import publish

__all__ = [
    "ALT",
    "DEFAULT",
    "IMG",
    "SRC",
    "Pages",
    "Tag",
    "blocked",
    "check_out",
    "listing_problems",
    "navbar_problems",
    "newest_first",
    "publish",
    "report_files",
    "search",
    "site_files",
    "tags_of",
]
