"""Kernels behind a Jupyter Kernel Gateway or Enterprise Gateway: the Executor for a gateway.

The protocol is jupyter_server's: `GatewayKernelManager` starts and stops kernels over HTTP and
`GatewayKernelClient` carries the kernel messages over the gateway's websocket; our fixes to
them live in client.py. This module checks the gateway once per build, starts each post's kernel
in the post's folder on the gateway host, and names every failure in one line.
"""

from __future__ import annotations

import ast
import atexit
import json
import posixpath
import threading
from pathlib import Path

from coursenotes.execution.fingerprint import SCRIPT
from coursenotes.execution.kernels.base import Run, RunState, cell_failure, quiet_at_exit, run_notebook
from coursenotes.execution.kernels.gateway.http import GatewayError, kernelspecs, log, problem
from coursenotes.settings import GatewaySettings

POST_DIR_ENV = "KERNEL_COURSENOTES_POST_DIR"
DOCS = "see docs/gateway.md"

# Evaluated in the kernel as a user expression of a silent request, before the first cell: it
# moves to the post's folder where the gateway host has it. It runs in a throwaway namespace, so
# it adds no names, no history and no execution count; the post's outputs stay as a local run's.
CHDIR = r"""
def main():
    import os
    for d in (os.environ.get("KERNEL_WORKING_DIR"), os.environ.get("KERNEL_COURSENOTES_POST_DIR")):
        if d and os.path.isdir(d):
            os.chdir(d)
            return {"cwd": os.getcwd(), "found": True}
    return {"cwd": os.getcwd(), "found": False}
"""
CHDIR_EXPR = f"(lambda ns: (exec({CHDIR!r}, ns), ns['main']())[1])({{}})"


class Gateway:
    """One build's gateway: checked once, then used by every post that has to run, from any thread."""

    def __init__(self, settings: GatewaySettings, root: Path):
        self.settings, self.root = settings, Path(root).resolve()
        self._specs: dict | GatewayError | None = None
        self._lock = threading.Lock()

    @property
    def label(self) -> str:
        return self.settings.label

    def specs(self) -> dict:
        """The gateway's kernelspecs, asked once; a failure is remembered, so a dead gateway costs one timeout."""
        with self._lock:
            if self._specs is None:
                try:
                    self._specs = kernelspecs(self.settings)
                except GatewayError as e:
                    self._specs = e
        if isinstance(self._specs, GatewayError):
            raise self._specs
        return self._specs or {}

    def check_kernel(self, name: str) -> dict:
        """The kernelspec of a kernel the gateway offers, or a GatewayError listing the ones it does."""
        offered = self.specs()["kernelspecs"]
        if name not in offered:
            raise GatewayError(
                f"{self.label}: has no kernel `{name}` (it offers: {', '.join(sorted(offered)) or 'none'})"
            )
        return offered[name] or {}

    def remote_dirs(self, folder: Path) -> dict:
        """The env that tells the kernel where the post's folder is on the gateway host."""
        folder = Path(folder).resolve()
        rel = folder.relative_to(self.root).as_posix() if folder.is_relative_to(self.root) else "."
        work = posixpath.join(self.settings.root, rel) if self.settings.root else str(folder)
        return {"KERNEL_WORKING_DIR": work, POST_DIR_ENV: rel}

    def client(self, nb, kernel: str, cwd: Path, timeout: float | None, state: RunState):
        """A NotebookClient whose kernel is started by the gateway and moved to the post's folder."""
        from nbclient import NotebookClient

        from coursenotes.execution.kernels.gateway.client import classes, configure

        self.check_kernel(kernel)
        configure(self.settings.url, self.settings.token)
        manager, _ = classes()
        client = quiet_at_exit(
            NotebookClient(
                nb,
                kernel_manager_class=manager,
                kernel_name=kernel,
                timeout=timeout,
                log=log,
                record_timing=False,
                resources={"metadata": {"path": str(cwd)}},
            )
        )

        async def setup(notebook=None):
            state.kc = client.kc
            msg_id = client.kc.execute("", silent=True, store_history=False, user_expressions={"cn": CHDIR_EXPR})
            reply = await client.async_wait_for_reply(msg_id)
            value = (reply or {}).get("content", {}).get("user_expressions", {}).get("cn") or {}
            try:
                state.setup = ast.literal_eval(value.get("data", {}).get("text/plain", "{}"))
            except (ValueError, SyntaxError):
                state.setup = {}

        client.on_notebook_start = setup
        return client

    def execute(self, client, cwd: Path) -> None:
        """Run every cell, with the post's folder in the kernel's environment."""
        client.execute(env=self.remote_dirs(cwd))

    def failure(self, e: Exception, state: RunState, cwd: Path, timeout: float | None) -> str:
        """One line for a gateway failure, naming the gateway where the fault is the connection's."""
        from nbclient.exceptions import CellExecutionError

        if isinstance(e, GatewayError):
            return e.message
        if isinstance(e, CellExecutionError) and e.ename == "FileNotFoundError":
            return self.missing_file(e, state, cwd)
        in_cell = cell_failure(e, state.cell, timeout)
        if in_cell:
            return in_cell
        where = f"cell {state.cell}: " if state.cell else ""
        return f"{self.label}: {where}{problem(e, state.kc)}"

    def run(self, key_nb, kernel: str, cwd: Path, timeout: float | None = None) -> Run:
        """Execute the key notebook on a gateway kernel: a Run, never an exception."""
        return run_notebook(self, key_nb, kernel, cwd, timeout)

    def missing_file(self, e, state: RunState, cwd: Path) -> str:
        """A FileNotFoundError raised by a cell on the gateway, with the rule for files a post reads."""
        setup, rel = state.setup, self.remote_dirs(cwd)[POST_DIR_ENV]
        where = f"cell {state.cell}: " if state.cell else ""
        if setup.get("found"):
            hint = (
                f"the kernel ran in {setup.get('cwd')} on the gateway host and the file is not there: "
                "make the data in code, or sync the gateway host's copy of the repository"
            )
        else:
            hint = (
                f"the post's folder {rel} is not on the gateway host (the kernel ran in {setup.get('cwd') or '?'}): "
                "make the data in code, or start the gateway in a checkout of this repository, or set gateway-root"
            )
        return f"{self.label}: {where}FileNotFoundError: {(e.evalue or '').strip()}; {hint}; {DOCS}"

    def environment(self, kernel: str, names: tuple[str, ...]) -> dict:
        """The cache key's environment fingerprint, read in a kernel on the gateway (the same script as locally)."""
        import nbformat

        spec = self.check_kernel(kernel).get("spec") or {}
        if (spec.get("language") or "").lower() != "python":
            return {"kernel": kernel}
        code = f"import os, sys\nos.chdir(os.sep)\nsys.argv = ['fingerprint', *{list(names)!r}]\n" + SCRIPT
        nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code)])
        state = RunState()
        try:
            client = self.client(nb, kernel, self.root, 120, state)
            try:
                self.execute(client, self.root)
            finally:  # nbclient leaves its exit hook registered when a start fails
                atexit.unregister(client._cleanup_kernel)
        except Exception as e:
            raise GatewayError(f"{self.label}: reading the kernel's environment: {problem(e, state.kc)}") from None
        text = "".join(o.get("text", "") for o in nb.cells[0].outputs if o.get("name") == "stdout")
        try:
            return json.loads(text.strip().splitlines()[-1])
        except (ValueError, IndexError):
            raise GatewayError(f"{self.label}: kernel `{kernel}` did not report its environment") from None
