"""The site stage: rendered posts in, every file of `_site/` out (pages, listings, tags, feeds, search, assets).

Only this stage writes the output folder, and it writes a new tree beside it and swaps it in.
Public names: site_files, report_files, Pages, publish, search (module), Tag, tags_of, newest_first,
and the `<img>` patterns (IMG, SRC, ALT) that `check` reads pages with.
"""

from coursenotes.site import search
from coursenotes.site.images import ALT, IMG, SRC
from coursenotes.site.layout import report_files, site_files
from coursenotes.site.pages import Pages
from coursenotes.site.taxonomy import Tag, newest_first, tags_of
from coursenotes.site.writer import publish

__all__ = [
    "ALT",
    "IMG",
    "SRC",
    "Pages",
    "Tag",
    "newest_first",
    "publish",
    "report_files",
    "search",
    "site_files",
    "tags_of",
]
