"""The build's places to run posts: this machine and each gateway, a post's pick or the least busy of several."""

from __future__ import annotations

import threading
from dataclasses import replace
from pathlib import Path

from coursenotes.execution.fingerprint import Fingerprints
from coursenotes.execution.kernels.base import Executor, Run, run_notebook
from coursenotes.execution.kernels.gateway import Gateway
from coursenotes.execution.kernels.local import LocalKernels
from coursenotes.settings import LOCAL, Settings

DEFAULT = "default"  # the gateway of --gateway-url / JUPYTER_GATEWAY_URL / gateway-url


class Pool:
    """Executors by name; each post runs on the least busy of the names it may use."""

    def __init__(self, executors: dict[str, Executor], default: tuple[str, ...], packages: tuple[str, ...]):
        self.executors, self.default = executors, default
        self.running = dict.fromkeys(executors, 0)
        self.prints = {name: Fingerprints(packages, ex.environment) for name, ex in executors.items()}
        self._lock = threading.Lock()

    @classmethod
    def from_settings(cls, settings: Settings) -> Pool:
        """Local kernels, the named gateways, and the command line's gateway (the default when given)."""
        executors: dict[str, Executor] = {LOCAL: LocalKernels()}
        for gateway in settings.gateways:
            executors[gateway.name] = Gateway(gateway, settings.root)
        default = settings.site.tool.default_gateway or (LOCAL,)
        if settings.gateway:
            executors[DEFAULT] = Gateway(settings.gateway, settings.root)
            default = (DEFAULT,)
        return cls(executors, default, settings.site.tool.fingerprint_packages)

    def names(self) -> tuple[str, ...]:
        """What a post may name."""
        return tuple(self.executors)

    def choices(self, wanted: tuple[str, ...]) -> tuple[str, ...]:
        """The names a post may run on: its own, else the site's default."""
        return wanted or self.default

    def environment(self, kernel: str, wanted: tuple[str, ...] = ()) -> dict:
        """The kernel's fingerprint where the post runs (the first of its names: spread gateways share one)."""
        return self.prints[self.choices(wanted)[0]](kernel)

    def acquire(self, wanted: tuple[str, ...]) -> str:
        """The least busy of the post's names (the first on a tie), counted as running one more post."""
        with self._lock:
            name = min(self.choices(wanted), key=lambda n: self.running[n])
            self.running[name] += 1
            return name

    def release(self, name: str) -> None:
        """One post fewer running there."""
        with self._lock:
            self.running[name] -= 1

    def start(self, kernel: str, cwd: Path, wanted: tuple[str, ...] = ()) -> tuple[str, object] | None:
        """(where, started kernel) for a post that will probably run, if its one place to run starts ahead."""
        names = self.choices(wanted)
        if len(names) != 1:  # the least busy place is chosen when the post runs
            return None
        started = self.executors[names[0]].start(kernel, cwd)
        return None if started is None else (names[0], started)

    def run(
        self, key_nb, kernel: str, cwd: Path, timeout: float | None, wanted: tuple[str, ...] = (), started=None
    ) -> Run:
        """Execute on a fresh kernel of the chosen executor (or `started`, from `start`); a gateway's run says where."""
        if started is None:
            name = self.acquire(wanted)
        else:
            name, started = started
            with self._lock:
                self.running[name] += 1
        executor = self.executors[name]
        try:
            done = run_notebook(executor, key_nb, kernel, cwd, timeout, started)
        finally:
            self.release(name)
        if done.ok and isinstance(executor, Gateway):
            return replace(done, env={**done.env, "gateway": executor.settings.host})
        return done

    def close(self) -> None:
        """End of the build: the gateways remove what they left on the kernels' side."""
        for executor in self.executors.values():
            if isinstance(executor, Gateway):
                executor.close()
