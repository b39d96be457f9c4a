"""Kernels started ahead: a post that will probably run has its kernel booting while its cache key is made.

A kernel takes about half a second to boot, in its own process; the builder meanwhile imports
jupyter-cache, reads the kernel's fingerprint and looks the post up. When several posts run, each
run starts the kernel of the next post waiting, which boots while the running posts' cells run and
their results are stored. A kernel started for a post that turns out not to run (a cache hit, an
error, Ctrl-C) is shut down: by `discard` as soon as that is known, by `close` at the end of the
stage whatever happened.
"""

from __future__ import annotations

import threading
from pathlib import Path

from coursenotes.execution.kernels.base import stop
from coursenotes.execution.kernels.pool import Pool


class Ahead:
    """The kernels started for posts not yet run, at most `limit` at once (one per worker: more would only wait)."""

    def __init__(self, pool: Pool, limit: int):
        self.pool, self.limit = pool, limit
        self.started: dict[object, tuple[str, object] | None] = {}  # None: launching
        self.waiting: list[tuple[object, str, Path, tuple[str, ...]]] = []  # posts to run, in order, not yet taken
        self.taken: set[object] = set()
        self.closed = False
        self._lock = threading.Lock()

    def start(self, key: object, kernel: str, cwd: Path, wanted: tuple[str, ...] = ()) -> None:
        """Start the kernel `key`'s post will probably run on, if a slot is free and its place can."""
        with self._lock:
            if self.closed or key in self.started or key in self.taken or len(self.started) >= self.limit:
                return
            self.started[key] = None  # the slot is this start's while it launches
        got = None
        try:
            got = self.pool.start(kernel, cwd, wanted)
        finally:
            with self._lock:
                keep = got is not None and not self.closed and key not in self.taken
                if keep:
                    self.started[key] = got
                elif self.started.get(key, 0) is None:
                    del self.started[key]
            if got is not None and not keep:  # meanwhile the stage ended, or the post was taken and runs on its own
                stop(got[1])

    def wait(self, posts: list[tuple[object, str, Path, tuple[str, ...]]]) -> None:
        """The posts about to run, in the order they will be taken: (key, kernel, folder, places)."""
        with self._lock:
            self.waiting = list(posts)

    def take(self, key: object) -> tuple[str, object] | None:
        """The kernel started for `key`'s post, now the run's to use and shut down; the next post's starts."""
        with self._lock:
            got = self.started.pop(key, None)
            self.taken.add(key)
            self.waiting = [w for w in self.waiting if w[0] != key]
            following = next((w for w in self.waiting if w[0] not in self.started), None)
        if following is not None:
            self.start(*following)
        return got

    def discard(self, key: object) -> None:
        """`key`'s post will not run: shut its kernel down now, freeing the processor for the others."""
        with self._lock:
            got = self.started.pop(key, None)
        if got is not None:
            stop(got[1])

    def close(self) -> None:
        """Shut down every kernel no post took, and start no other (the stage ends, normally or not)."""
        with self._lock:
            self.closed, self.waiting = True, []
            left, self.started = list(self.started.values()), {}
        for got in left:
            if got is not None:  # a start still launching stops its own kernel (closed)
                stop(got[1])
