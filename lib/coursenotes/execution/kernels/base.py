"""One way to run a post on any kernel: the Executor protocol and the run skeleton its implementations share.

The skeleton adds the hidden setup and probe cells, tracks the running cell, applies the timeout,
tells the author's Ctrl-C from a failing post, and turns every failure into one line; an
executor (local.py, gateway/) only makes the kernel client and names its own failures.
"""

from __future__ import annotations

import atexit
import copy
import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from coursenotes.execution.kernels.setup import PROBE, setup_code
from coursenotes.sources import cell_options


@dataclass(frozen=True)
class Run:
    """What executing a post did: the executed notebook, or which cell failed and why."""

    ok: bool
    nb: object = None  # the key notebook with outputs, when ok
    message: str = ""  # `cell 3: ZeroDivisionError: division by zero`
    cell: int | None = None  # the failing code cell, counted from 1
    seconds: float = 0.0
    env: dict = field(default_factory=dict)  # python/torch/fastai versions and device, from the kernel


@dataclass
class RunState:
    """What the skeleton and the executor learn while a post runs."""

    cell: int | None = None  # the post's code cell now running, from 1
    process: object = None  # a local kernel's process, to say how it died
    kc: object = None  # a gateway kernel client, to tell a lost connection from a dead kernel
    setup: dict = field(default_factory=dict)  # what the gateway's working-folder step found


class Executor(Protocol):
    """A place kernels run: this machine, or a Jupyter gateway."""

    @property
    def label(self) -> str:
        """How messages name where the kernel ran."""
        ...

    def start(self, kernel: str, cwd: Path) -> object | None:
        """A kernel started ahead of its post in `cwd` (for `client`'s `started`); None if this executor cannot."""
        ...

    def client(self, nb, kernel: str, cwd: Path, timeout: float | None, state: RunState, started=None):
        """An nbclient NotebookClient over `nb` whose kernel starts (or was `started`) in the post's folder `cwd`."""
        ...

    def execute(self, client, cwd: Path) -> None:
        """Run every cell of the client's notebook."""
        ...

    def failure(self, e: Exception, state: RunState, cwd: Path, timeout: float | None) -> str:
        """One line saying why execution stopped."""
        ...

    def environment(self, kernel: str, names: tuple[str, ...]) -> dict:
        """The kernel's fingerprint (Python and package versions) for the cache key."""
        ...


def runnable(key_nb):
    """A copy to execute: nbclient's tags for `eval: false` and `error: true` cells, setup first, probe last."""
    import nbformat

    nb = nbformat.from_dict(key_nb)  # a copy, and nbformat's own node type for nbclient
    for cell in nb.cells:
        opts = cell_options(cell)
        tags = ["skip-execution"] if opts.get("eval") is False else []
        tags += ["raises-exception"] if opts.get("error") else []
        if tags:
            cell.metadata["tags"] = tags
    hidden = {"tags": ["raises-exception"]}
    nb.cells.insert(0, nbformat.v4.new_code_cell(setup_code(), metadata=hidden))
    nb.cells.append(nbformat.v4.new_code_cell(PROBE, metadata=hidden))
    return nb


def cell_number(cell_index: int, n_code: int) -> int | None:
    """The post's code cell (from 1) at a runnable notebook's index; None for our hidden cells."""
    return cell_index if 1 <= cell_index <= n_code else None


def probe_result(cell) -> dict:
    """The probe's JSON line, or {} when the kernel could not run it (not a Python kernel)."""
    text = "".join(o.get("text", "") for o in cell.get("outputs", []) if o.get("name") == "stdout")
    try:
        return json.loads(text.strip().splitlines()[-1])
    except (ValueError, IndexError):
        return {}


def collect(key_nb, ran_nb):
    """The key notebook with the executed outputs copied in, and the probe's findings."""
    done, env = copy.deepcopy(key_nb), probe_result(ran_nb.cells[-1])
    hidden = ran_nb.cells[0].get("execution_count") or 0  # the setup cell took a number: the post's start at 1
    for cell, ran in zip(done.cells, ran_nb.cells[1:-1]):
        count = ran.get("execution_count")
        cell.outputs, cell.execution_count = ran.outputs, count - hidden if count else count
    return done, env


def cell_failure(e: Exception, cell: int | None, timeout: float | None) -> str | None:
    """The line for a failure inside a cell (an exception, a timeout), whatever the kernel; None for others."""
    from nbclient.exceptions import CellExecutionError, CellTimeoutError

    where = f"cell {cell}: " if cell else ""
    if isinstance(e, CellTimeoutError):
        return f"{where}timed out after {timeout or 0:g} s"
    if isinstance(e, CellExecutionError):
        evalue = (e.evalue or "").strip().splitlines()
        return f"{where}{e.ename}: {evalue[0]}" if evalue else f"{where}{e.ename}"
    return None


def quiet_at_exit(client):
    """Make the kernel cleanup nbclient registers with atexit silent.

    When the process exits mid-cell (Ctrl-C in preview, where builds run in a thread) the kernel
    may already be gone, and a traceback at exit would be noise. nbclient registers
    `self._cleanup_kernel`, so an instance attribute wins."""
    cleanup = client._cleanup_kernel

    def quiet_cleanup():
        try:
            cleanup()
        except Exception:
            pass

    client._cleanup_kernel = quiet_cleanup
    return client


def interrupted(client) -> bool:
    """True when nbclient's own SIGINT/SIGTERM handler shut the kernel down.

    It installs one on the main thread and swallows the signal: that is the author's Ctrl-C, not a failing post."""
    return client is not None and getattr(client, "_async_cleanup_kernel_future", None) is not None


def stop(started) -> None:
    """Shut down a kernel started ahead (a NotebookClient whose kernel runs) that no post will use."""
    if isinstance(started, BaseException) or getattr(started, "km", None) is None:
        return
    try:
        started._cleanup_kernel()  # nbclient's own: kill the kernel, remove its connection and IPC files
    except Exception:
        pass  # already gone


def run_notebook(executor: Executor, key_nb, kernel: str, cwd: Path, timeout: float | None = None, started=None) -> Run:
    """Execute the key notebook's code cells in order on a fresh kernel of `executor`; a Run, never an exception.

    `started` is what `executor.start` gave for this post: its kernel is used (and shut down as
    usual), and a start that failed fails the post with the message a start here would have given."""
    nb, state, n_code = runnable(key_nb), RunState(), len(key_nb.cells)
    start, client = time.perf_counter(), None
    try:
        if isinstance(started, BaseException):
            raise started
        client, started = executor.client(nb, kernel, cwd, timeout, state, started), None
        client.on_cell_start = lambda cell, cell_index: setattr(state, "cell", cell_number(cell_index, n_code))
        executor.execute(client, cwd)
    except ImportError as e:
        message = f"executing posts needs the exec extra (`pip install -e .[exec]`): {e}"
        return Run(False, message=message, cell=state.cell, seconds=time.perf_counter() - start)
    except Exception as e:  # every way a kernel can fail becomes one line; the build goes on
        if interrupted(client):
            raise KeyboardInterrupt from None
        message = executor.failure(e, state, cwd, timeout)
        return Run(False, message=message, cell=state.cell, seconds=time.perf_counter() - start)
    finally:  # nbclient leaves its exit hook registered when a kernel fails to start
        if client is not None:
            atexit.unregister(client._cleanup_kernel)
        stop(started)  # a kernel started ahead that never reached its client (client() failed)
    done, env = collect(key_nb, nb)
    return Run(True, done, seconds=time.perf_counter() - start, env=env)
