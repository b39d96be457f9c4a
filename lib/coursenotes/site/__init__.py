"""The site stage: rendered posts in, every file of `_site/` out (pages, listings, tags, feeds, search, assets).

Only this stage writes the output folder, and it writes a new tree beside it and swaps it in.
Public names: site_files, report_files, Pages, publish, search (module), tags_of, newest_first,
check_out (which folders --out may name), DEFAULT (the output folder's name).
"""

from coursenotes.site import search
from coursenotes.site.layout import report_files, site_files
from coursenotes.site.outdir import DEFAULT, check_out
from coursenotes.site.pages import Pages
from coursenotes.site.taxonomy import newest_first, tags_of
from coursenotes.site.writer import publish

__all__ = [
    "DEFAULT",
    "Pages",
    "check_out",
    "newest_first",
    "publish",
    "report_files",
    "search",
    "site_files",
    "tags_of",
]
