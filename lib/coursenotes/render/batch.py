"""Many posts through the driver pool (server.py), each rendered as its own `pandoc` command line would.

A post takes the command line (pandoc.render_markdown) instead when its arguments hold an option
the driver does not reproduce, when the driver reports an error for it (the command line then
gives pandoc's own message, or renders what the driver could not), and, with the rest of that
worker's posts, when its driver died, hung or answered garbage. Workers share one queue, so a
long post holds up only its own worker.
"""

from __future__ import annotations

import json
import os
import re
import threading
import time
from collections import deque
from dataclasses import dataclass
from pathlib import Path

from coursenotes.errors import RenderError
from coursenotes.render import pandoc
from coursenotes.render.pandoc_meta import PandocMeta
from coursenotes.render.server import Command, Driver, DriverError, Pool, pool_for
from coursenotes.render.warnings import parsed

TIMEOUT = 120.0  # seconds per post, as a command-line run gets
# Posts left in the queue per worker that make starting a driver (0.1 s, and one command-line run
# for its options the first time) worth it over command-line runs (0.11 s each; 0.035 s in a driver).
# An idle driver is always used: the preview's later builds render their one post in a warm one.
COLD_START = 3
# Options whose whole effect is on the reader and writer options, which cli_options.lua reads from pandoc itself.
FLAGS = ("--mathml", "--toc")
VALUED = ("--wrap=", "--syntax-highlighting=", "--template=", "--toc-depth=")
BOOLEANS = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
TOC_DEPTH = re.compile(r"--toc-depth=([1-6])")


@dataclass(frozen=True)
class Plan:
    """A base command line (pandoc.pandoc_args) as the driver runs it."""

    command: Command
    reader: str
    writer: str
    template: str
    filters: tuple[str, ...]
    toc_depth: int


def plan(args: list[str]) -> Plan | None:
    """The driver's reading of a base command line; None when it holds an option the driver does not reproduce."""
    options: list[str] = []
    filters, template, depth = [], None, 3  # 3: pandoc's default --toc-depth
    formats: dict[str, str] = {}
    rest = iter(args[1:])
    for arg in rest:
        if arg in ("-f", "-t"):
            formats[arg] = next(rest, "")
            options += [arg, formats[arg]]
        elif arg.startswith("--lua-filter="):
            filters.append(arg.removeprefix("--lua-filter="))
        elif arg in FLAGS or arg.startswith(VALUED):
            options.append(arg)
            template = arg.removeprefix("--template=") if arg.startswith("--template=") else template
            if arg.startswith("--toc-depth="):
                if not (m := TOC_DEPTH.fullmatch(arg)):
                    return None
                depth = int(m[1])
        else:
            return None
    if not formats.get("-f") or not formats.get("-t") or not template:
        return None  # without a template the command line's output is not the writer's: it ends it with a newline
    return Plan(Command(args[0], tuple(options)), formats["-f"], formats["-t"], template, tuple(filters), depth)


def post_options(args: tuple[str, ...]) -> tuple[list, int | None] | None:
    """A post's `--metadata` pairs as pandoc's command line reads them, and its --toc-depth; None for anything else.

    pandoc splits `K:V` / `K=V` at the first `:` or `=`; no value is true; true/false in three spellings
    are booleans, the rest strings."""
    meta, depth = [], None
    for arg in args:
        if "\0" in arg:
            return None  # no command line can carry it: the CLI path gives today's error
        if arg.startswith("--metadata="):
            field = arg.removeprefix("--metadata=")
            cut = min((i for i in (field.find(":"), field.find("=")) if i >= 0), default=-1)
            key, value = (field, True) if cut < 0 else (field[:cut], BOOLEANS.get(field[cut + 1 :], field[cut + 1 :]))
            if key == "lang":
                return None  # the command line also picks pandoc's translations from `-M lang`
            meta.append([key, value])
        elif m := TOC_DEPTH.fullmatch(arg):
            depth = int(m[1])
        else:
            return None
    return meta, depth


def cli_input(markdown: str) -> str:
    """The text pandoc's command line hands its reader: BOM and CRs dropped, tabs expanded, a newline added.

    Tabs as pandoc's tabFilter expands them (tab stop 4), which counts each tab's column from the
    previous tab rather than from the line's start."""
    text = markdown.removeprefix("\ufeff").replace("\r", "")
    lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()  # Haskell's T.lines: a final newline ends the last line
    out = []
    for line in lines:
        parts = line.split("\t")
        out.append("".join(p + " " * (4 - len(p) % 4) for p in parts[:-1]) + parts[-1] + "\n")
    return "".join(out) + "\n"  # the input is a named source, and pandoc ends each with a newline


def job_line(the_plan: Plan, index: int, markdown: str, root: Path, meta: PandocMeta) -> bytes | None:
    """One post's job for the driver as a JSON line; None when the post must take the command line."""
    options = post_options(meta.args)
    if options is None:
        return None
    job = {
        "id": index,
        "markdown": cli_input(markdown),
        "cwd": os.path.abspath(root),  # where the command line would run (a relative root is from here)
        "reader": the_plan.reader,
        "writer": the_plan.writer,
        "template": the_plan.template,
        "filters": list(the_plan.filters),
        "meta": options[0],
        "toc_depth": options[1] or the_plan.toc_depth,
    }
    try:
        return (json.dumps(job, ensure_ascii=False) + "\n").encode()
    except UnicodeEncodeError:
        return None  # a lone surrogate: the command line fails on it as it always did


def fragment_of(answer: dict, index: int, meta: PandocMeta) -> pandoc.Fragment | None:
    """The post's fragment from the driver's answer, None when it must take the command line; DriverError on garbage."""
    html, stderr = answer.get("html"), answer.get("stderr")
    if answer.get("id") != index:
        raise DriverError(f"answer for job {answer.get('id')!r}, not {index}")
    if isinstance(html, str) and isinstance(stderr, str):
        return pandoc.split_toc(html, tuple(parsed(stderr)) + meta.warnings)
    if isinstance(answer.get("error"), str):
        return None
    raise DriverError("answer without html")


def on_cli(item: tuple, root: Path) -> pandoc.Fragment | RenderError:
    """One post through the command line (render_markdown), its RenderError returned."""
    try:
        return pandoc.render_markdown(item[0], root, item[1], item[2] if len(item) > 2 else pandoc.NO_META)
    except RenderError as e:
        return e


def worker(pool: Pool | None, work: deque, results: list, raised: dict, root: Path, workers: int) -> None:
    """Take posts from the shared queue until it is empty, with one driver while it works, else the command line."""
    driver: Driver | None = None
    cli_only = pool is None
    try:
        while True:
            try:
                index, item, line = work.popleft()
            except IndexError:
                return
            try:
                if pool is not None and line is not None and not cli_only:
                    driver = driver or pool.checkout(root, start=len(work) + 1 >= COLD_START * workers)
                    if driver is not None:
                        try:
                            answer = driver.exchange(line, time.monotonic() + TIMEOUT)
                            fragment = fragment_of(answer, index, item[2] if len(item) > 2 else pandoc.NO_META)
                        except Exception:  # DriverError, or anything else of the driver's: never the build's end
                            pool.discard(driver)  # this post and the worker's next ones take the command line
                            driver, cli_only = None, True
                        else:
                            driver.answered += 1
                            if driver.worn():
                                pool.checkin(driver)  # closed: the next post starts a fresh one
                                driver = None
                            if fragment is not None:
                                results[index] = fragment
                                continue
                results[index] = on_cli(item, root)
            except Exception as e:  # not a RenderError: raised to render_all's caller, as before
                raised[index] = e
    finally:
        if driver is not None and pool is not None:
            pool.checkin(driver)


def render_many(items: list[tuple], root: Path, jobs: int) -> list[pandoc.Fragment | RenderError]:
    """Render (markdown, source[, PandocMeta]) items with `jobs` workers sharing one queue; errors are returned."""
    the_plan = plan(pandoc.pandoc_args(root)) if os.name == "posix" else None  # select() on pipes: POSIX only
    pool = pool_for(the_plan.command) if the_plan else None
    work: deque = deque()
    for index, item in enumerate(items):
        meta = item[2] if len(item) > 2 else pandoc.NO_META
        work.append((index, item, job_line(the_plan, index, item[0], root, meta) if the_plan else None))
    results: list = [None] * len(items)
    raised: dict[int, Exception] = {}
    workers = min(jobs, len(items))
    threads = [
        threading.Thread(target=worker, args=(pool, work, results, raised, root, workers), name=f"render-{n}")
        for n in range(workers)
    ]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    except BaseException:
        work.clear()  # Ctrl-C: each worker stops after its current post
        raise
    if raised:
        raise raised[min(raised)]
    return results
