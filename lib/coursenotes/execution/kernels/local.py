"""Kernels on this machine: ipykernel-style kernels started by nbclient in the post's folder."""

from __future__ import annotations

import os
import tempfile
import uuid
from pathlib import Path

from coursenotes.execution import fingerprint
from coursenotes.execution.kernels.base import Run, RunState, cell_failure, quiet_at_exit, run_notebook, stop
from coursenotes.execution.kernels.quick import manager_class


def new_client(nb, kernel: str, cwd: Path, timeout: float | None):
    """The one place a local kernel is made: a kernel started in `cwd`."""
    from nbclient import NotebookClient
    from traitlets.config import Config

    # IPC sockets: a local kernel needs no TCP port (and ipykernel warns about unencrypted TCP). The
    # socket path must be absolute and unique: the kernel runs in the post's folder, we do not.
    ip = os.path.join(tempfile.gettempdir(), f"coursenotes-{uuid.uuid4().hex[:12]}-ipc")
    config = Config({"KernelManager": {"transport": "ipc", "ip": ip}})
    client = NotebookClient(
        nb,
        kernel_manager_class=manager_class(),
        kernel_name=kernel,
        timeout=timeout,
        record_timing=False,
        shutdown_kernel="immediate",
        resources={"metadata": {"path": str(cwd)}},
        config=config,
    )
    return quiet_at_exit(client)


def exit_status(process) -> str:
    """How a dead kernel's process ended, for the message."""
    code = process.poll() if process is not None else None
    if code is None:
        return ""
    return f" (signal {-code})" if code < 0 else f" (exit {code})"


def start_kernel(kernel: str, cwd: Path):
    """A NotebookClient (no notebook yet) whose kernel is starting in `cwd`; or the exception its start raised.

    nbclient's own steps, so the kernel gets the command line, folder and settings a run would give
    it; this returns once the process is launched, and the kernel boots while the build goes on."""
    client = None
    try:
        client = new_client(None, kernel, cwd, None)
        client.create_kernel_manager()
        client.start_new_kernel()
        return client
    except Exception as e:
        stop(client)
        return e
    except BaseException:  # Ctrl-C mid-launch: leave no process behind
        stop(client)
        raise


class LocalKernels:
    """The Executor for kernels on this machine."""

    label = "local kernel"

    def start(self, kernel: str, cwd: Path):
        """A kernel started ahead of its post (see start_kernel)."""
        return start_kernel(kernel, cwd)

    def client(self, nb, kernel: str, cwd: Path, timeout: float | None, state: RunState, started=None):
        """A NotebookClient that remembers its kernel's process: after it dies, its exit code says why."""
        if started is None:
            client = new_client(nb, kernel, cwd, timeout)
        else:  # nbclient sees a kernel manager with a kernel: it connects, runs, and shuts it down as its own
            client, client.nb, client.timeout = started, nb, timeout
        client.on_notebook_start = lambda notebook: setattr(
            state, "process", getattr(getattr(client.km, "provisioner", None), "process", None)
        )
        return client

    def execute(self, client, cwd: Path) -> None:
        """Run every cell."""
        client.execute()

    def failure(self, e: Exception, state: RunState, cwd: Path, timeout: float | None) -> str:
        """One line for a local failure: a cell's error or timeout, a dead kernel, a kernel not installed."""
        from jupyter_client.kernelspec import NoSuchKernel
        from nbclient.exceptions import DeadKernelError

        in_cell = cell_failure(e, state.cell, timeout)
        if in_cell:
            return in_cell
        where = f"cell {state.cell}: " if state.cell else ""
        if isinstance(e, DeadKernelError):
            return f"{where}kernel died{exit_status(state.process)}"
        if isinstance(e, NoSuchKernel):
            return f"kernel `{e.name}` is not installed here (see `jupyter kernelspec list`)"
        detail = str(e).strip().splitlines()
        return f"{where}kernel failed: {type(e).__name__}" + (f": {detail[0]}" if detail else "")

    def environment(self, kernel: str, names: tuple[str, ...]) -> dict:
        """The local kernel's fingerprint."""
        return fingerprint.environment(kernel, names)


def execute(key_nb, kernel: str, cwd: Path, timeout: float | None = None) -> Run:
    """Execute the key notebook's code cells on a fresh local kernel whose working folder is `cwd`."""
    return run_notebook(LocalKernels(), key_nb, kernel, cwd, timeout)
