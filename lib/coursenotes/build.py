"""The pipeline, one stage after another: sources -> execution -> markdown -> render -> site -> _site/."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from coursenotes.errors import CoursenotesError, InternalError
from coursenotes.execution import Executed, Report, execute_posts
from coursenotes.markdown import PageSource, page_source
from coursenotes.render import Fragment, as_warnings, post_pandoc_meta, render_all, with_display
from coursenotes.settings import BuildOptions, Settings, load_settings
from coursenotes.site import (
    DEFAULT,
    Pages,
    check_out,
    navbar_problems,
    newest_first,
    publish,
    report_files,
    search,
    site_files,
)
from coursenotes.sources import Post, check_unique, discover, discover_pages
from coursenotes.urls import page_folder


@dataclass
class BuildResult:
    """What a build did: the posts it published, the problems it found, where it wrote."""

    posts: list[Post]
    errors: list[CoursenotesError]
    out: Path
    files: dict[str, bytes | Path] = field(default_factory=dict)
    report: Report | None = None
    notes: list[str] = field(default_factory=list)  # things the author should know that are not errors
    warnings: Sequence[CoursenotesError] = ()  # `path:line: warning: ...`: shown, not fatal

    @property
    def ok(self) -> bool:
        """Whether the site was published."""
        return not self.errors


def in_file_order(warnings: list) -> list:
    """A post's warnings in the order an author reads the file (those without a line last)."""
    return sorted(warnings, key=lambda w: (w.line is None, w.line or 0))


def render_posts(
    posts: list[Post], settings: Settings, progress: Callable[[str], None] | None = None
) -> tuple[dict[Post, Fragment], dict[Post, dict], list[CoursenotesError], Report]:
    """Execute, lay out and render every post: (fragments, output files, errors, execution report)."""
    executed, report = execute_posts(posts, settings, progress)
    metas = {p: post_pandoc_meta(p, settings.root, settings.site.html) for p in posts}  # bibliography, csl, ...
    errors = [x for p in posts for x in (executed[p], metas[p]) if isinstance(x, CoursenotesError)]
    sources: dict[Post, PageSource] = {}
    for post, done in executed.items():
        if isinstance(done, Executed) and not isinstance(metas[post], CoursenotesError):
            try:
                sources[post] = page_source(done)
            except Exception as e:  # a bug on this post's outputs: name the post, build the others
                errors.append(e if isinstance(e, CoursenotesError) else InternalError(e, post.source))
    ready = list(sources)
    items = [(sources[p].markdown, p.source, metas[p]) for p in ready]
    rendered = render_all(items, settings.root, settings.options.jobs)
    bodies, extra = {}, {}
    for post, result in zip(ready, rendered):
        if isinstance(result, CoursenotesError):
            errors.append(result)
            continue
        bodies[post] = result
        extra[post] = {f"{page_folder(post.url)}/{name}": data for name, data in sources[post].files.items()}
    return bodies, extra, errors, report


def build(
    root: Path | str, options: BuildOptions | None = None, progress: Callable[[str], None] | None = None
) -> BuildResult:
    """Build the site under `root`; publish only when every post succeeded."""
    settings = load_settings(root, options)
    options, config = settings.options, settings.site
    out = check_out(options.out or config.root / DEFAULT, config.root)  # before anything is read or written
    posts, errors = discover(config.posts_dir, config.url_style)
    site_pages, page_errors = discover_pages(config.root, config.render)
    errors += page_errors + check_unique(site_pages)
    posts, display_errors = with_display(posts)  # inline-Markdown titles, authors, date-format: one pandoc run
    site_pages, page_display_errors = with_display(site_pages)
    errors += display_errors + page_display_errors
    visible = [p for p in posts if options.drafts or not p.draft]
    bodies, extra, render_errors, report = render_posts([*visible, *site_pages], settings, progress)
    errors += render_errors
    warnings = [w for p in visible if p in bodies for w in in_file_order(as_warnings(bodies[p].warnings, p.source))]
    if errors:
        return BuildResult(visible, errors, out, report=report, warnings=warnings)
    use_search = options.search and search.available()
    notes = report.notes + ([search.MISSING] if options.search and not use_search else [])
    notes += config.notes
    try:
        files = site_files(config, visible, bodies, extra, use_search, site_pages)
        errors = navbar_problems(config, files)
        if errors:
            return BuildResult(visible, errors, out, report=report, notes=notes)
        files.update(report_files(Pages(config, use_search), report))
        publish(files, out, finish=search.index if use_search else None)  # indexed in staging, before the swap
    except CoursenotesError as e:
        return BuildResult(visible, [e], out, report=report, notes=notes, warnings=warnings)
    return BuildResult(newest_first(visible), [], out, files, report=report, notes=notes, warnings=warnings)
