"""The execution stage: each post's notebook with its outputs, from a kernel, the cache or the frozen store.

A post's code runs only when it changed (the cache key covers code, options, kernel and the
kernel's environment, never prose); results go to jupyter-cache, to the committed frozen store
and to the execution report. The stage hands back executed notebooks; turning them into page
Markdown is the markdown stage's job.
Public names: execute_posts, Executed, Report, PostRun, ExecutionCache, FrozenStore, cap_outputs.
"""

from __future__ import annotations

from collections.abc import Callable

from coursenotes.errors import CoursenotesError, ExecutionError, InternalError
from coursenotes.execution.cache import ExecutionCache
from coursenotes.execution.frozen import FrozenStore
from coursenotes.execution.limits import cap_outputs
from coursenotes.execution.outcome import Executed
from coursenotes.execution.report import PostRun, Report
from coursenotes.settings import Settings
from coursenotes.sources import Post

__all__ = ["Executed", "ExecutionCache", "FrozenStore", "PostRun", "Report", "cap_outputs", "execute_posts"]


def execute_posts(
    posts: list[Post], settings: Settings, progress: Callable[[str], None] | None = None
) -> tuple[dict[Post, Executed | CoursenotesError], Report]:
    """Each post's executed notebook (or the error that stopped it), and the execution report."""
    # Imported here: kernels, asyncio and the gateway client load only when some post's code must run.
    from coursenotes.execution.kernels import Pool
    from coursenotes.execution.plan import Context, Job, plan
    from coursenotes.execution.refresh import check_refresh
    from coursenotes.execution.runner import finish, run_all

    report = Report(progress)
    check_refresh(posts, settings.root, settings.options)
    ctx = Context(settings, Pool.from_settings(settings), report)
    results: dict[Post, Executed | CoursenotesError] = {}
    jobs: list[Job] = []
    try:
        for post in posts:
            try:
                step = plan(post, ctx)
            except CoursenotesError as e:
                if isinstance(e, ExecutionError):
                    report.add(PostRun(ctx.rel(post), post.url, "failed", message=e.message))
                results[post] = e
            except Exception as e:  # a bug on this post: name it and go on with the others
                results[post] = InternalError(e, post.source)
            else:
                if isinstance(step, Job):
                    jobs.append(step)
                    continue
                results[post] = step
            ctx.ahead.discard(post)  # it will not run: a kernel started for it must not wait for the end
        for job, result in run_all(jobs, settings.options.jobs, ctx.ahead):
            try:
                results[job.post] = finish(job, result, ctx)
            except CoursenotesError as e:
                results[job.post] = e
    finally:  # no kernel started ahead outlives the stage; nothing a gateway was sent stays on its side
        ctx.ahead.close()
        ctx.executor.close()
    return {p: results[p] for p in posts}, report
