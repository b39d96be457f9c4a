"""Run the posts that have to run, side by side; record each result in the cache, frozen store and report."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor, as_completed

from coursenotes.errors import ExecutionError
from coursenotes.execution.frozen import Frozen
from coursenotes.execution.kernels import Ahead, Run
from coursenotes.execution.limits import cap_notebook
from coursenotes.execution.outcome import Executed
from coursenotes.execution.plan import Context, Job, cwd
from coursenotes.execution.report import PostRun
from coursenotes.settings import DEFAULT_TIMEOUT
from coursenotes.sources import cell_line, code_cells, outputs_of, with_outputs


def run(job: Job, ahead: Ahead) -> Run:
    """Execute one job on a fresh kernel (the one started ahead for it, if any) in the post's folder: a plain result."""
    timeout, started = job.opts.get("timeout", DEFAULT_TIMEOUT), ahead.take(job.post)
    return ahead.pool.run(job.key_nb, job.kernel, cwd(job.post), timeout, job.where, started)


def run_all(jobs: list[Job], workers: int | None, ahead: Ahead) -> Iterator[tuple[Job, Run]]:
    """Each job with its result as it finishes: up to `workers` at once, each on its own kernel."""
    workers = min(len(jobs), max(1, workers or os.cpu_count() or 1))
    ahead.wait([(job.post, job.kernel, cwd(job.post), job.where) for job in jobs])
    if workers <= 1:
        for job in jobs:
            yield job, run(job, ahead)
        return
    with ThreadPoolExecutor(max_workers=workers) as pool:
        running = {pool.submit(run, job, ahead): job for job in jobs}
        try:
            for done in as_completed(running):
                yield running[done], done.result()
        finally:  # Ctrl-C: start no other post, let the running ones end
            for future in running:
                future.cancel()


def failing_line(job: Job, cell: int | None) -> int | None:
    """The source line of the n-th code cell (from 1), where the notebook stage recorded one."""
    cells = code_cells(job.nb)
    return cell_line(cells[cell - 1]) if cell and cell <= len(cells) else None


def finish(job: Job, result: Run, ctx: Context) -> Executed | ExecutionError:
    """Cache and freeze a successful run; an error naming the failing cell's line otherwise."""
    post, seconds = job.post, time.perf_counter() - job.started
    if not result.ok:
        ctx.report.add(
            PostRun(ctx.rel(post), post.url, "failed", seconds, job.kernel, code_hash=job.code_hash,
                    message=result.message)
        )  # fmt: skip
        return ExecutionError(result.message, post.source, failing_line(job, result.cell))
    cap_notebook(result.nb)  # before the cache and the frozen store keep it
    data = {"seconds": round(result.seconds, 2), "environment": result.env, "kernel": job.kernel}
    key = ctx.cache.store(result.nb, ctx.rel(post), data)
    cells = outputs_of(result.nb)
    ctx.store.write(post.slug, Frozen(ctx.rel(post), job.kernel, job.code_hash, key, result.seconds, result.env, cells))
    ctx.report.add(
        PostRun(ctx.rel(post), post.url, "executed", seconds, job.kernel, key, job.code_hash,
                round(result.seconds, 2), result.env)
    )  # fmt: skip
    return Executed(with_outputs(job.nb, cells), job.opts, "executed")
