"""Decide, per post, how it gets its outputs: run it, reuse the cache, use the frozen store, or show code only."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path

from coursenotes.errors import ExecutionError
from coursenotes.execution.cache import ExecutionCache, code_hash, key_notebook
from coursenotes.execution.fingerprint import KernelMissingError
from coursenotes.execution.frozen import Frozen, FrozenStore
from coursenotes.execution.kernels import Ahead, GatewayError, Pool
from coursenotes.execution.options import execute_options, gateway_names, kernel_name, runs_code
from coursenotes.execution.outcome import Executed
from coursenotes.execution.refresh import refreshing
from coursenotes.execution.report import PostRun, Report
from coursenotes.settings import Settings
from coursenotes.sources import Post, to_notebook, with_outputs

NEEDS_EXEC = (
    "executing posts needs the exec extra (`pip install -e .[exec]`); or build from the frozen store with --frozen"
)


@dataclass
class Job:
    """A post that has to run: its notebook, options, kernel and keys."""

    post: Post
    nb: object  # the whole post as a notebook (prose too)
    opts: dict  # merged `execute:` options
    kernel: str
    key_nb: object  # code cells + keyed options + kernel + environment
    code_hash: str
    started: float
    where: tuple[str, ...] = ()  # the gateways (or `local`) the post names; () = the site's default


class Context:
    """One build's view of the site's cache, frozen store, fingerprints, executor and report."""

    def __init__(self, settings: Settings, executor: Pool, report: Report):
        self.settings, self.config, self.options = settings, settings.site, settings.options
        self.store = FrozenStore(settings.root)
        self.cache = ExecutionCache(settings.root, report.note)
        self.executor, self.report = executor, report
        self.ahead = Ahead(executor, self.options.jobs or os.cpu_count() or 1)

    def rel(self, post: Post) -> str:
        """The post's file relative to the site root, as reports show it."""
        try:
            return post.source.resolve().relative_to(self.config.root).as_posix()
        except ValueError:
            return str(post.source)

    def environment(self, post: Post, kernel: str, where: tuple[str, ...] = ()) -> dict:
        """The kernel's fingerprint where the post runs, or an ExecutionError naming the post."""
        try:
            return self.executor.environment(kernel, where)
        except (KernelMissingError, GatewayError) as e:
            message = e.message if isinstance(e, GatewayError) else str(e)
            raise ExecutionError(f"{message}; or build with --frozen", post.source, jupyter_line(post)) from None
        except ImportError:
            raise ExecutionError(NEEDS_EXEC, post.source) from None


def cwd(post: Post) -> Path:
    """The folder a post's kernel runs in: the post's own."""
    return post.source.parent.resolve()


def jupyter_line(post: Post) -> int | None:
    """The front-matter line naming the kernel, for errors about it."""
    return post.raw.key_lines.get("jupyter")


def stale_message(post: Post, frozen: Frozen | None) -> str:
    """What `--frozen` says about a post it cannot render."""
    what = "code changed since it was frozen" if frozen else "not frozen yet"
    return f"{what}; run `coursenotes build --refresh {post.slug}` where its kernel is available, and commit _frozen/"


def from_frozen(post: Post, nb, opts: dict, kernel: str, frozen: Frozen, ctx: Context, started: float) -> Executed:
    """The post with the frozen store's outputs, no kernel started."""
    merged = with_outputs(nb, ctx.store.outputs(post.slug, frozen))
    seconds = time.perf_counter() - started
    ctx.report.add(
        PostRun(ctx.rel(post), post.url, "frozen", seconds, kernel, frozen.cache_key, frozen.code_hash,
                frozen.seconds, frozen.environment)
    )  # fmt: skip
    return Executed(merged, opts, "frozen")


def plan(post: Post, ctx: Context) -> Executed | Job:
    """The post's notebook when nothing has to run, else the Job that runs it."""
    started = time.perf_counter()
    nb = to_notebook(post)
    opts = execute_options(post, ctx.config)
    if not runs_code(post, nb, opts, ctx.options.execute):
        return Executed(nb, opts)
    kernel = kernel_name(post, nb, ctx.config)
    where = gateway_names(post, ctx.executor.names())
    code, refresh = code_hash(nb, opts, kernel), refreshing(post, ctx.config.root, ctx.options)
    frozen = None if refresh else ctx.store.read(post.slug)
    freeze = opts.get("freeze", False)
    if ctx.options.frozen:
        if frozen is None or frozen.code_hash != code:
            raise ExecutionError(stale_message(post, frozen), post.source)
        return from_frozen(post, nb, opts, kernel, frozen, ctx, started)
    if frozen and (freeze is True or (freeze == "auto" and frozen.code_hash == code)):
        return from_frozen(post, nb, opts, kernel, frozen, ctx, started)
    if refresh or frozen is None or frozen.code_hash != code:
        # Its code is not what last ran here: it will most likely run, so its kernel boots while the key is made.
        ctx.ahead.start(post, kernel, cwd(post), where)
    key_nb = key_notebook(nb, opts, kernel, ctx.environment(post, kernel, where))
    try:
        hit = None if refresh else ctx.cache.lookup(key_nb)
    except ImportError:
        raise ExecutionError(NEEDS_EXEC, post.source) from None
    if hit is None:
        return Job(post, nb, opts, kernel, key_nb, code, started, where)
    data = hit.data
    if frozen is None or frozen.code_hash != code:  # keep the committed store in step with the source
        ctx.store.write(
            post.slug,
            Frozen(ctx.rel(post), kernel, code, hit.key, data.get("seconds", 0.0), data.get("environment", {}),
                   hit.cells),
        )  # fmt: skip
    ctx.report.add(
        PostRun(ctx.rel(post), post.url, "cached", time.perf_counter() - started, kernel, hit.key, code,
                data.get("seconds"), data.get("environment", {}))
    )  # fmt: skip
    return Executed(with_outputs(nb, hit.cells), opts, "cached")
