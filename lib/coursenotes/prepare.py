"""Post -> PageSource: decide per post to execute it, reuse the cache, use the frozen store, or just show code."""
from __future__ import annotations

import os
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

from coursenotes import execute as executor
from coursenotes.cache import ExecutionCache, cells_of, code_hash, key_notebook, merge_outputs
from coursenotes.config import SiteConfig
from coursenotes.errors import CoursenotesError, ExecutionError
from coursenotes.execopts import code_cells, execute_options, kernel_name, runs_code
from coursenotes.fingerprint import Fingerprints, KernelMissing
from coursenotes.frozen import Frozen, FrozenStore
from coursenotes.gateway import Gateway, gateway_for
from coursenotes.gateway import fingerprints as gateway_fingerprints
from coursenotes.notebook import to_notebook
from coursenotes.outputs import PageSource, notebook_markdown
from coursenotes.posts import Post, post_name
from coursenotes.report import PostRun, Report

kNeedsExec = "executing posts needs the exec extra (`pip install -e .[exec]`); or build from the frozen store with --frozen"


@dataclass
class Job:
    """A post that has to run: its notebook, options, kernel and keys."""
    post: Post
    nb: object                  # the whole post as a notebook (prose too)
    opts: dict                  # merged `execute:` options
    kernel: str
    key_nb: object              # code cells + keyed options + kernel + environment
    code_hash: str
    started: float


class Context:
    """One build's view of the site's cache, frozen store, fingerprints and report."""

    def __init__(self, config: SiteConfig, options):
        self.config, self.options = config, options
        self.store = FrozenStore(config.root)
        self.cache = ExecutionCache(config.root)
        self.fingerprints = Fingerprints(config.tool)
        self.gateway = gateway_for(config, options)    # kernels on a Jupyter gateway (docs/gateway.md), else local
        if self.gateway: self.fingerprints = gateway_fingerprints(self.gateway, config.tool)
        self.report = Report(getattr(options, "progress", None))
        self.refresh = getattr(options, "refresh", None)

    def rel(self, post: Post) -> str:
        """The post's file relative to the site root, as reports show it."""
        try: return post.source.resolve().relative_to(self.config.root).as_posix()
        except ValueError: return str(post.source)

    def refreshing(self, post: Post) -> bool:
        """`--refresh` (every post) or `--refresh` naming this one."""
        return self.refresh is not None and (not self.refresh or any(names(n, post, self.config.root) for n in self.refresh))

    def environment(self, post: Post, kernel: str) -> dict:
        """The kernel's fingerprint, or an ExecutionError naming the post."""
        try: return self.fingerprints(kernel)
        except KernelMissing as e: raise ExecutionError(f"{e}; or build with --frozen", post.source, jupyter_line(post)) from None
        except ImportError: raise ExecutionError(kNeedsExec, post.source) from None


def names(name: str, post: Post, root: Path) -> bool:
    """Whether a `--refresh` argument (a slug, or the post's file or folder) means this post."""
    if name.strip("/") in (post.slug, post_name(post.source)): return True
    for base in (Path.cwd(), root):
        path = (base / name).resolve()
        if path in (post.source.resolve(), post.source.parent.resolve() if post.folder else None): return True
    return False


def check_refresh(posts: list[Post], config: SiteConfig, options) -> None:
    """A one-line error for `--refresh` with `--frozen`, or naming a post that is not there."""
    refresh = getattr(options, "refresh", None)
    if refresh is not None and options.frozen:
        raise ExecutionError("--refresh runs code and --frozen never does: use one of them")
    for name in refresh or ():
        if not any(names(name, p, config.root) for p in posts):
            raise ExecutionError(f"--refresh {name}: no such post (give its slug or its file; drafts need --drafts)")


def jupyter_line(post: Post) -> int | None:
    """The front-matter line naming the kernel, for errors about it."""
    return post.raw.key_lines.get("jupyter") if post.raw else None


def cell_line(post: Post, nb, cell: int | None) -> int | None:
    """The source line of the n-th code cell (from 1), where the notebook stage recorded one."""
    cells = code_cells(nb)
    if not cell or cell > len(cells): return None
    return cells[cell - 1].get("metadata", {}).get("coursenotes", {}).get("line")


def stale_message(post: Post, frozen: Frozen | None) -> str:
    """What `--frozen` says about a post it cannot render."""
    what = "code changed since it was frozen" if frozen else "not frozen yet"
    return f"{what}; run `coursenotes build --refresh {post.slug}` where its kernel is available, and commit _frozen/"


def from_frozen(post: Post, job_nb, opts, kernel, frozen: Frozen, ctx: Context, started: float) -> PageSource:
    """The post rendered with the frozen store's outputs, no kernel started."""
    nb = merge_outputs(job_nb, ctx.store.outputs(post.slug, frozen))
    ctx.report.add(PostRun(ctx.rel(post), post.url, "frozen", time.perf_counter() - started, kernel, frozen.cache_key,
                           frozen.code_hash, frozen.seconds, frozen.environment))
    return notebook_markdown(nb, opts)


def plan(post: Post, ctx: Context) -> PageSource | Job:
    """The post's page source when nothing has to run, else the Job that runs it."""
    started = time.perf_counter()
    nb = to_notebook(post)
    opts = execute_options(post, ctx.config)
    if not runs_code(post, nb, opts, ctx.options.extra): return notebook_markdown(nb, opts)
    kernel = kernel_name(post, nb, ctx.config)
    code, refresh = code_hash(nb, opts, kernel), ctx.refreshing(post)
    frozen = None if refresh else ctx.store.read(post.slug)
    freeze = opts.get("freeze", False)
    if ctx.options.frozen:
        if frozen is None or frozen.code_hash != code: raise ExecutionError(stale_message(post, frozen), post.source)
        return from_frozen(post, nb, opts, kernel, frozen, ctx, started)
    if frozen and (freeze is True or freeze == "auto" and frozen.code_hash == code):
        return from_frozen(post, nb, opts, kernel, frozen, ctx, started)
    key_nb = key_notebook(nb, opts, kernel, ctx.environment(post, kernel))
    try: hit = None if refresh else ctx.cache.lookup(key_nb)
    except ImportError: raise ExecutionError(kNeedsExec, post.source) from None
    if hit is None: return Job(post, nb, opts, kernel, key_nb, code, started)
    data = hit.data
    if frozen is None or frozen.code_hash != code:   # keep the committed store in step with the source
        ctx.store.write(post.slug, Frozen(ctx.rel(post), kernel, code, hit.key, data.get("seconds", 0.0),
                                          data.get("environment", {}), hit.cells))
    ctx.report.add(PostRun(ctx.rel(post), post.url, "cached", time.perf_counter() - started, kernel, hit.key, code,
                           data.get("seconds"), data.get("environment", {})))
    return notebook_markdown(merge_outputs(nb, hit.cells), opts)


def run(job: Job, gateway: Gateway | None = None) -> executor.Run:
    """Execute one job on a local kernel, or on the gateway's: a plain result, so jobs run side by side."""
    cwd = job.post.source.parent.resolve()
    if gateway: return gateway.run(job.key_nb, job.kernel, cwd, job.opts.get("timeout"))
    return executor.execute(job.key_nb, job.kernel, cwd, job.opts.get("timeout"))


def run_all(jobs: list[Job], workers: int | None, gateway: Gateway | None = None):
    """Each job with its result, as each finishes: up to `workers` (default: the cores) at once, each on its own kernel."""
    workers = min(len(jobs), max(1, workers or os.cpu_count() or 1))
    if workers <= 1:
        for job in jobs: yield job, run(job, gateway)
        return
    with ThreadPoolExecutor(max_workers=workers) as pool:
        running = {pool.submit(run, job, gateway): job for job in jobs}
        try:
            for done in as_completed(running): yield running[done], done.result()
        finally:   # Ctrl-C: start no other post, let the running ones end
            for future in running: future.cancel()


def finish(job: Job, result: executor.Run, ctx: Context) -> PageSource | ExecutionError:
    """Cache, freeze and render a successful run; an error naming the failing cell's line otherwise."""
    post, seconds = job.post, time.perf_counter() - job.started
    if not result.ok:
        ctx.report.add(PostRun(ctx.rel(post), post.url, "failed", seconds, job.kernel, code_hash=job.code_hash,
                               message=result.message))
        return ExecutionError(result.message, post.source, cell_line(post, job.nb, result.cell))
    data = {"seconds": round(result.seconds, 2), "environment": result.env, "kernel": job.kernel}
    key = ctx.cache.store(result.nb, ctx.rel(post), data)
    cells = cells_of(result.nb)
    ctx.store.write(post.slug, Frozen(ctx.rel(post), job.kernel, job.code_hash, key, result.seconds, result.env, cells))
    ctx.report.add(PostRun(ctx.rel(post), post.url, "executed", seconds, job.kernel, key, job.code_hash,
                           round(result.seconds, 2), result.env))
    return notebook_markdown(merge_outputs(job.nb, cells), job.opts)


def prepare(posts: list[Post], config: SiteConfig, options) -> tuple[dict[Post, PageSource | CoursenotesError], Report]:
    """Each post's markdown for pandoc (or the error that stopped it), and the execution report."""
    ctx = Context(config, options)
    check_refresh(posts, config, options)
    results, jobs = {}, []
    for post in posts:
        try: step = plan(post, ctx)
        except CoursenotesError as e:
            if isinstance(e, ExecutionError):
                ctx.report.add(PostRun(ctx.rel(post), post.url, "failed", message=e.message))
            results[post] = e; continue
        if isinstance(step, Job): jobs.append(step)
        else: results[post] = step
    for job, result in run_all(jobs, getattr(options, "jobs", None), ctx.gateway):
        try: results[job.post] = finish(job, result, ctx)
        except CoursenotesError as e: results[job.post] = e
    return {p: results[p] for p in posts}, ctx.report
