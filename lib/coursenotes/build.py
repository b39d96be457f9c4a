"""The pipeline, one stage after another: sources -> execution -> markdown -> render -> site -> _site/.

Every build is incremental (docs/incremental.md): a post whose source, frozen entry and shared
inputs are unchanged keeps its rendered body, a page whose context is unchanged keeps its
file, and a build whose inputs are all unchanged publishes nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from coursenotes.errors import CoursenotesError, InternalError
from coursenotes.incremental.session import Session
from coursenotes.incremental.update import update
from coursenotes.render import inline_diagrams
from coursenotes.settings import BuildOptions, Settings, load_settings
from coursenotes.site import (
    DEFAULT,
    check_out,
    navbar_problems,
    newest_first,
    publish,
    report_files,
    site_files,
)
from coursenotes.sources import Post, check_unique, discover, discover_pages
from coursenotes.urls import page_folder

UNDRAWN = "build once where Chromium is installed and commit _frozen/diagrams/ (docs/diagrams.md)"

if TYPE_CHECKING:  # for annotations only: these stages load only when a post has to be rendered
    from coursenotes.execution import Report
    from coursenotes.render import Fragment, PandocMeta


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
    up_to_date: bool = False  # nothing changed since the last build into `out`: nothing was written

    @property
    def ok(self) -> bool:
        """Whether the site was published."""
        return not self.errors


def in_file_order(warnings: list) -> list:
    """A post's warnings in the order an author reads the file (those without a line last)."""
    return sorted(warnings, key=lambda w: (w.line is None, w.line or 0))


def pandoc_metas(posts: list[Post], settings: Settings) -> tuple[dict[Post, PandocMeta], list[CoursenotesError]]:
    """Each post's pandoc options from its front matter (bibliography, csl, number-sections, ...), and the errors."""
    from coursenotes.render import post_pandoc_meta

    metas: dict[Post, PandocMeta] = {}
    errors: list[CoursenotesError] = []
    for post in posts:
        meta = post_pandoc_meta(post, settings.root, settings.site.html)
        if isinstance(meta, CoursenotesError):
            errors.append(meta)
        else:
            metas[post] = meta
    return metas, errors


def lay_out(
    executed: dict[Post, Any], settings: Settings, metas: dict[Post, PandocMeta]
) -> tuple[dict, dict, list[CoursenotesError]]:
    """Markdown and pandoc for executed posts: (fragments, output files, errors)."""
    from coursenotes.markdown import PageSource, page_source
    from coursenotes.render import render_all

    sources: dict[Post, PageSource] = {}
    errors: list[CoursenotesError] = []
    for post, done in executed.items():
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
    return bodies, extra, errors


def render_posts(
    posts: list[Post], settings: Settings, metas: dict[Post, PandocMeta], progress: Callable[[str], None] | None = None
) -> tuple[dict[Post, Fragment], dict[Post, dict], list[CoursenotesError], Report, dict]:
    """Execute, lay out and render every post: (fragments, output files, errors, report, executed notebooks)."""
    # Imported here: a build where no post's code changed never loads jupyter-cache or a kernel.
    from coursenotes.execution import Executed, execute_posts

    executed, report = execute_posts(posts, settings, progress)
    errors = [e for e in executed.values() if isinstance(e, CoursenotesError)]
    done = {p: e for p, e in executed.items() if isinstance(e, Executed)}
    bodies, extra, more = lay_out(done, settings, metas)
    return bodies, extra, errors + more, report, done


def reusable_outputs(posts: list[Post], session: Session) -> tuple[dict[Post, tuple], dict[Post, str]]:
    """({post: (executed notebook, report row)} for posts whose code is as last built, {post: code key})."""
    from coursenotes.incremental.outputs import Reused, code_key
    from coursenotes.sources import to_notebook, with_outputs

    reused, codes = {}, {}
    for post in posts:
        try:
            nb = to_notebook(post)
        except CoursenotesError:
            continue  # the execution stage reports it
        codes[post] = code_key(post, nb)
        hit = session.remembered_outputs(post, codes[post])
        if hit is not None:
            cells, options, run = hit
            reused[post] = (Reused(with_outputs(nb, cells), options), run)
    return reused, codes


def render_changed(
    posts: list[Post],
    settings: Settings,
    session: Session,
    progress: Callable[[str], None] | None = None,
    always: Sequence[Post] = (),
) -> tuple[dict[Post, Fragment], dict[Post, dict], list[CoursenotesError], Report, int]:
    """render_posts for changed posts (and `always`); the others' bodies, files and report rows from the memo;
    and how many diagrams are left for the reader's browser."""
    from coursenotes.execution import Report
    from coursenotes.sources import outputs_of

    remembered = {p: hit for p in posts if (hit := session.remembered(p)) is not None}
    # A remembered post's options were read when it was rendered, from the same source and settings.
    metas, errors = pandoc_metas([*(p for p in posts if p not in remembered), *always], settings)
    posts = [p for p in posts if p in metas or p in remembered]
    fresh = [p for p in posts if p not in remembered]
    reused, codes = reusable_outputs(fresh, session)
    run = [p for p in fresh if p not in reused] + [p for p in always if p in metas]
    if run:
        bodies, extra, more, report, done = render_posts(run, settings, metas, progress)
        errors += more
    else:
        bodies, extra, report, done = {}, {}, Report(progress), {}
    if reused:
        more_bodies, more_extra, more_errors = lay_out({p: r[0] for p, r in reused.items()}, settings, metas)
        bodies.update(more_bodies)
        extra.update(more_extra)
        errors += more_errors
    for post, (fragment, files, _) in remembered.items():
        bodies[post], extra[post] = fragment, files
    # Diagrams before the memo: a reused body is kept with its SVGs inlined (inlining costs more than pandoc).
    drawn, undrawn = inline_diagrams(bodies, settings.root, allow_browser=not settings.options.frozen)
    for post, (fragment, files, row) in remembered.items():
        if drawn[post] is not fragment:  # a diagram drawn since it was remembered: never inline it again
            session.remember(post, (drawn[post], files, row))
    bodies = drawn
    rows = [r for _, r in reused.values() if r is not None] + [
        hit[2] for hit in remembered.values() if hit[2] is not None
    ]
    for row in rows:
        report.add(row.reused())
    runs = {r.url: r for r in report.runs}
    for post in fresh:
        if post in bodies:
            session.remember(post, (bodies[post], extra[post], runs.get(post.url)))
    for post, executed in done.items():
        if post in codes and post in bodies:
            session.remember_outputs(post, codes[post], (outputs_of(executed.nb), executed.options, runs.get(post.url)))
    wanted = [*posts, *always]
    return {p: bodies[p] for p in wanted if p in bodies}, extra, errors, report, undrawn


def up_to_date_result(session: Session, out: Path, options: BuildOptions) -> BuildResult:
    """What a build that found nothing changed reports: the last build's posts, runs, notes and warnings."""
    from coursenotes.execution import PostRun, Report

    report = Report()  # quiet: nothing ran, and the published report already says how each post's outputs came
    for row in session.entry.get("runs", []):
        report.add(PostRun(**row).reused())
    notes = list(session.entry.get("notes", []))
    warnings = [CoursenotesError(line) for line in session.entry.get("warnings", [])]
    shown = [p for p in session.sources.posts() if options.drafts or not p.draft]
    return BuildResult(newest_first(shown), [], out, report=report, notes=notes, warnings=warnings, up_to_date=True)


def build(
    root: Path | str, options: BuildOptions | None = None, progress: Callable[[str], None] | None = None
) -> BuildResult:
    """Build the site under `root`; publish only when every post succeeded."""
    from coursenotes.render import as_warnings, with_display

    settings = load_settings(root, options)
    options, config = settings.options, settings.site
    out = check_out(options.out or config.root / DEFAULT, config.root)  # before anything is read or written
    session = Session(config.root, out, options)
    if session.unchanged():
        return up_to_date_result(session, out, options)
    posts, errors = discover(config.posts_dir, config.url_style, read=session.sources.read)
    site_pages, page_errors = discover_pages(config.root, config.render)
    errors += page_errors + check_unique(site_pages)
    # Inline-Markdown titles, authors, date-format: pandoc runs only for titles no earlier build rendered.
    posts, display_errors = with_display(posts, session.inline)
    site_pages, page_display_errors = with_display(site_pages, session.inline)
    errors += display_errors + page_display_errors
    visible = [p for p in posts if options.drafts or not p.draft]
    bodies, extra, render_errors, report, undrawn = render_changed(visible, settings, session, progress, site_pages)
    errors += render_errors
    shown = [p for p in [*visible, *site_pages] if p in bodies]
    warnings = [w for p in shown for w in in_file_order(as_warnings(bodies[p].warnings, p.source))]
    if errors:
        session.sources.save()
        return BuildResult(visible, errors, out, report=report, warnings=warnings)
    notes = report.notes + list(config.notes)
    if undrawn:
        notes.append(f"{undrawn} diagram(s) left for the reader's browser to draw (mermaid.js): {UNDRAWN}")
    try:
        search = options.search and config.search
        pages = session.pages(config, search)
        files = site_files(config, visible, bodies, extra, search, site_pages, pages)
        problems = navbar_problems(config, files)
        if problems:
            return BuildResult(visible, problems, out, report=report, notes=notes, warnings=warnings)
        files.update(report_files(pages, report))
        if search:
            files.update(session.search_files(visible, site_pages, bodies))
        reuse = session.reuse(files)
        if session.in_place(files, reuse):  # a few files changed: write those (docs/incremental.md)
            update(files, reuse, out, session.entry.get("files", {}))
        else:
            publish(files, out, reuse=reuse)
    except CoursenotesError as e:
        return BuildResult(visible, [e], out, report=report, notes=notes, warnings=warnings)
    session.record(len(visible), [asdict(r) for r in report.runs], notes, [str(w) for w in warnings])
    return BuildResult(newest_first(visible), [], out, files, report=report, notes=notes, warnings=warnings)
