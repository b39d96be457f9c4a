"""Kernels started ahead: a post that will probably run has its kernel booting while its cache key is made.

A kernel takes about half a second to boot, in its own process; the builder meanwhile imports
jupyter-cache, reads the kernel's fingerprint and looks the post up. A kernel started for a post
that turns out not to run (a cache hit, an error, Ctrl-C) is shut down: by `discard` as soon as
that is known, by `close` at the end of the stage whatever happened.
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
        self.started: dict[object, tuple[str, object]] = {}
        self._lock = threading.Lock()

    def start(self, key: object, kernel: str, cwd: Path, wanted: tuple[str, ...] = ()) -> None:
        """Start the kernel `key`'s post will probably run on, if a slot is free and its place can."""
        with self._lock:
            if key in self.started or len(self.started) >= self.limit:
                return
        got = self.pool.start(kernel, cwd, wanted)
        if got is not None:
            with self._lock:
                self.started[key] = got

    def take(self, key: object) -> tuple[str, object] | None:
        """The kernel started for `key`'s post, now the run's to use and shut down."""
        with self._lock:
            return self.started.pop(key, None)

    def discard(self, key: object) -> None:
        """`key`'s post will not run: shut its kernel down now, freeing the processor for the others."""
        got = self.take(key)
        if got is not None:
            stop(got[1])

    def close(self) -> None:
        """Shut down every kernel no post took (the stage ends, normally or not)."""
        for key in list(self.started):
            self.discard(key)
