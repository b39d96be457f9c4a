"""The `coursenotes` command line: thin argument parsing over the library."""

from __future__ import annotations

import argparse
import gc
import sys
import traceback
from pathlib import Path
from types import SimpleNamespace

from coursenotes import __version__
from coursenotes.quarto.commands import add_quarto_commands
from coursenotes.startup import skip_unused_format_checkers

DESCRIPTION = """\
Build a static course-notes blog whose posts run their code.

Posts live in posts/<slug>/index.{qmd,md,ipynb} (or posts/<slug>.{qmd,md,ipynb}) and start
with YAML front matter: title (required), date, description, tags, published, time_to_read.
Site settings are read from _quarto.yml; the site is written to _site/.
"""

EPILOG = """\
examples:
  coursenotes build               build _site/ from posts/
  coursenotes build --drafts      include posts with `published: false` or `draft: true`
  coursenotes build --out /tmp/s  write the site somewhere else
  coursenotes build --gateway-url http://127.0.0.1:8888 --gateway-token T
                                  run the code on a (GPU) machine's Jupyter Kernel Gateway
  coursenotes build --frozen      never start a kernel: executed posts come from _frozen/ (Netlify, CI)
  coursenotes build --refresh x   run post x's code again even when its outputs are cached or frozen

An error in a post is printed as `path:line: message`; the previous _site/ is left as it was.
`--debug` (anywhere on the line) prints the traceback of an internal error.
"""
DEBUG_FLAG = "--debug"
DEBUG = False  # set by --debug: internal errors show their traceback


def add_build(sub) -> None:
    """The `build` command and its options."""
    p = sub.add_parser(
        "build",
        help="build the site into _site/",
        description="Render every post and write the site, replacing the output folder only on success.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--drafts", action="store_true", help="include draft posts (published: false / draft: true)")
    p.add_argument("--out", type=Path, metavar="DIR", help="output folder (default: _site/ beside _quarto.yml)")
    p.add_argument("--root", type=Path, default=Path("."), metavar="DIR", help="the site's folder (default: .)")
    p.add_argument("--jobs", type=int, metavar="N", help="posts executed and rendered at once (default: cores)")
    p.add_argument(
        "--gateway-url",
        metavar="URL",
        help="run posts on kernels of a Jupyter Kernel/Enterprise Gateway (else JUPYTER_GATEWAY_URL, "
        "[tool.coursenotes] gateway-url; see docs/gateway.md)",
    )
    p.add_argument(
        "--gateway-token",
        metavar="TOKEN",
        help="the gateway's auth token (else JUPYTER_GATEWAY_AUTH_TOKEN, [tool.coursenotes] gateway-token)",
    )
    p.add_argument(
        "--frozen",
        action="store_true",
        help="render executed posts from _frozen/ and never start a kernel; fail naming any post whose code changed",
    )
    p.add_argument(
        "--no-execute",
        dest="execute",
        action="store_false",
        help="show every post's code without running it (like `quarto render --no-execute`)",
    )
    p.add_argument("--no-search", dest="search", action="store_false", help="no search page or index")
    p.add_argument(
        "--refresh",
        nargs="*",
        metavar="POST",
        help="execute these posts (slugs or files) even when cached or frozen; every post when none is named",
    )
    p.set_defaults(run=run_build)


def report_errors(errors) -> None:
    """Every problem on its own `path:line: message` line (and, with --debug, an internal error's traceback)."""
    for e in errors:
        if DEBUG and e.__cause__ is not None:
            traceback.print_exception(e.__cause__, file=sys.stderr)
        print(f"error: {e}", file=sys.stderr)


def out_folder(root: Path, out: Path | None) -> Path:
    """Where a build of `root` writes (the CLI's --out, else _site/ beside _quarto.yml)."""
    return Path(out).resolve() if out else Path(root).resolve() / "_site"


def run_build(args) -> int:
    """Build the site; 0 on success, 1 when any post failed."""
    from coursenotes.incremental import up_to_date

    refresh = None if args.refresh is None else tuple(args.refresh)
    progress = lambda line: print(line, file=sys.stderr, flush=True)
    fields = dict(
        drafts=args.drafts,
        out=args.out,
        jobs=args.jobs,
        frozen=args.frozen,
        refresh=refresh,
        execute=args.execute,
        search=args.search,
        gateway_url=args.gateway_url,
        gateway_token=args.gateway_token,
    )
    # Checked before the settings and the pipeline are imported: an unchanged site answers at once.
    published = up_to_date(args.root, SimpleNamespace(**fields))
    if published is not None:
        for note in published.get("notes", []):
            print(f"note: {note}", file=sys.stderr)
        print(f"built {published.get('posts', 0)} post(s) into {out_folder(args.root, args.out)} (up to date)")
        return 0
    from coursenotes.render import warm

    warm(Path(args.root).resolve())  # a pandoc driver warms up while the pipeline is imported and the site read
    from coursenotes.build import BuildOptions, build

    # One short process: what is loaded stays; collecting every 700 allocations cost 0.02 s of a prose edit.
    gc.freeze()
    gc.set_threshold(50_000, 20, 20)

    options = BuildOptions(**fields)
    result = build(args.root, options, progress)
    for note in result.notes:
        print(f"note: {note}", file=sys.stderr)
    for warning in result.warnings:
        print(warning, file=sys.stderr)
    if not result.ok:
        report_errors(result.errors)
        print(f"build failed: {len(result.errors)} problem(s); {result.out} was left unchanged", file=sys.stderr)
        return 1
    summary = result.report.summary() if result.report else ""
    print(f"built {len(result.posts)} post(s) into {result.out}" + (f" ({summary})" if summary else ""))
    return 0


def add_new(sub) -> None:
    """The `new` command: scaffold a post."""
    p = sub.add_parser(
        "new",
        help="start a new post (a draft) in posts/<today>-<slug>/",
        description="Create posts/<today>-<slug>/index.<format> with front matter and a starter code cell. "
        "The post is a draft (`published: false`) until you publish it.",
        epilog='example:\n  coursenotes new "Lesson 2: Deployment" --tags fast.ai,courses',
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("title", help="the post's title; its slug names the folder")
    p.add_argument("--tags", default="", metavar="A,B", help="comma-separated tags, e.g. fast.ai,courses")
    p.add_argument(
        "--format", dest="fmt", choices=("qmd", "ipynb", "md"), default="qmd", help="source format (default: qmd)"
    )
    p.add_argument("--root", type=Path, default=Path("."), metavar="DIR", help="the site's folder (default: .)")
    p.set_defaults(run=run_new)


def run_new(args) -> int:
    """Create the post and print its path."""
    from coursenotes.authoring.scaffold import new_post
    from coursenotes.errors import display_path
    from coursenotes.settings import load_config

    path = new_post(load_config(args.root).posts_dir, args.title, args.tags.split(","), args.fmt)
    print(display_path(path))
    return 0


def add_preview(sub) -> None:
    """The `preview` command: serve with drafts and rebuild on change."""
    p = sub.add_parser(
        "preview",
        help="serve the site with drafts on 127.0.0.1, rebuilding as you edit",
        description="Build with drafts, serve on 127.0.0.1, watch posts/, _quarto.yml and _extensions/, "
        "rebuild on every change and reload the open page. Ctrl-C stops.",
    )
    p.add_argument(
        "--port", type=int, default=4000, metavar="N", help="port on 127.0.0.1 (default: 4000; 0 picks a free one)"
    )
    p.add_argument("--out", type=Path, metavar="DIR", help="where the preview is built (default: a temporary folder)")
    p.add_argument("--root", type=Path, default=Path("."), metavar="DIR", help="the site's folder (default: .)")
    p.set_defaults(run=run_preview)


def run_preview(args) -> int:
    """Serve until Ctrl-C."""
    from coursenotes.authoring.preview import preview

    return preview(args.root, args.port, args.out, say=lambda line: print(line, file=sys.stderr, flush=True))


def add_check(sub) -> None:
    """The `check` command: find problems without building."""
    p = sub.add_parser(
        "check",
        help="check every post: front matter, dates, tags, images, links",
        description="Check every post without running code: front matter, dates, duplicate slugs, "
        "near-duplicate tags (fastai vs fast.ai), missing images, images without alt text "
        "and internal links to pages that do not exist. One `path:line: message` per problem.",
    )
    p.add_argument("--root", type=Path, default=Path("."), metavar="DIR", help="the site's folder (default: .)")
    p.add_argument(
        "--explain", action="store_true", help="first list every source file: post, page or skipped, and the rule why"
    )
    p.set_defaults(run=run_check)


def run_check(args) -> int:
    """0 when no problem was found, else 1."""
    from coursenotes.authoring.check import check
    from coursenotes.authoring.explain import explain

    if args.explain:
        for line in explain(args.root):
            print(f"explain: {line}")
    posts, problems = check(args.root)
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} problem(s) in {len({str(p.path) for p in problems})} file(s)", file=sys.stderr)
        return 1
    print(f"checked {len(posts)} post(s): no problems", file=sys.stderr)
    return 0


def add_import(sub) -> None:
    """The `import` command: bring a fastpages or Quarto blog into posts/."""
    p = sub.add_parser(
        "import",
        help="bring a fastpages or Quarto blog into posts/",
        description="Copy a fastpages repository (_notebooks/, _posts/, images/) or another Quarto blog's posts/ "
        "into this site's posts/, converting fastpages front matter and Jekyll includes to Quarto's. "
        "Safe to run again: files you edited since the last import are kept. See docs/importing.md.",
        epilog="example:\n  coursenotes import ../my-fastpages-blog && coursenotes check",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("path", type=Path, help="the blog's folder")
    p.add_argument("--root", type=Path, default=Path("."), metavar="DIR", help="this site's folder (default: .)")
    p.set_defaults(run=run_import)


def run_import(args) -> int:
    """Import, print what happened; 0 even when some things need converting by hand (they are listed)."""
    from coursenotes.importing import import_blog

    for line in import_blog(args.path, args.root).lines():
        print(line)
    return 0


def parser() -> argparse.ArgumentParser:
    """The full argument parser."""
    p = argparse.ArgumentParser(
        prog="coursenotes", description=DESCRIPTION, epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument("--version", action="version", version=f"coursenotes {__version__}")
    p.add_argument(DEBUG_FLAG, action="store_true", help="show the traceback of an internal error (any position)")
    sub = p.add_subparsers(title="commands", metavar="COMMAND")
    add_build(sub)
    add_quarto_commands(sub)
    add_new(sub)
    add_preview(sub)
    add_check(sub)
    add_import(sub)
    return p


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; user errors print one line and exit 1, never a traceback."""
    skip_unused_format_checkers()
    from coursenotes.errors import CoursenotesError, InternalError

    global DEBUG
    argv = sys.argv[1:] if argv is None else list(argv)
    DEBUG = DEBUG_FLAG in argv
    words = [a for a in argv if a != DEBUG_FLAG]
    args = parser().parse_args(words)
    if not hasattr(args, "run"):
        parser().print_help()
        return 2
    try:
        return args.run(args)
    except CoursenotesError as e:
        report_errors([e])
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except Exception as e:  # the last resort: a bug prints one line, never a traceback (unless --debug)
        root = Path(getattr(args, "root", None) or ".").resolve()
        report_errors([InternalError(e, where=f"while running `coursenotes {words[0]}` in {root}")])
        return 1
