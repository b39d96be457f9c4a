"""Kernels behind a Jupyter Kernel Gateway or Enterprise Gateway: the Executor for a gateway.

The protocol is jupyter_server's: `GatewayKernelManager` starts and stops kernels over HTTP and
`GatewayKernelClient` carries the kernel messages over the gateway's websocket; our fixes to
them live in client.py. This module checks the gateway once per build, starts each post's kernel
in the post's folder (the gateway host's copy, or the post's files sent over: transfer.py), and
names every failure in one line.
"""

from __future__ import annotations

import atexit
import json
import posixpath
import threading
from pathlib import Path

from coursenotes.execution.fingerprint import SCRIPT
from coursenotes.execution.kernels.base import Run, RunState, cell_failure, quiet_at_exit, run_notebook
from coursenotes.execution.kernels.gateway.http import GatewayError, kernelspecs, log, problem
from coursenotes.execution.kernels.gateway.remote import RemoteCallError, call
from coursenotes.execution.kernels.gateway.transfer import CLEANUP, Bundle, TooBigError, bundle, new_session, send
from coursenotes.settings import GatewaySettings

POST_DIR_ENV = "KERNEL_COURSENOTES_POST_DIR"
DOCS = "see docs/gateway.md"

# Run in the kernel by a silent request before the first cell (remote.py): it moves to the post's
# folder where the gateway host has it (a shared filesystem, or a gateway started in a checkout).
CHDIR = r"""
def main():
    import os
    for d in (os.environ.get("KERNEL_WORKING_DIR"), os.environ.get("KERNEL_COURSENOTES_POST_DIR")):
        if d and os.path.isdir(d):
            os.chdir(d)
            return {"cwd": os.getcwd(), "found": True}
    return {"cwd": os.getcwd(), "found": False}
"""


class Gateway:
    """One build's gateway: checked once, then used by every post that has to run, from any thread."""

    def __init__(self, settings: GatewaySettings, root: Path):
        self.settings, self.root = settings, Path(root).resolve()
        self._specs: dict | GatewayError | None = None
        self._lock = threading.Lock()
        self._manager = None  # the kernel manager class bound to this gateway's own GatewayClient
        self.session = new_session()  # names this build's folder on the kernels' side
        self._bundles: dict[Path, Bundle | TooBigError] = {}
        self.sent_with: set[str] = set()  # kernels that received files: the build's folder to remove at close

    @property
    def label(self) -> str:
        return self.settings.label

    def manager(self):
        """The kernel manager class for this gateway (its own GatewayClient: several gateways can serve one build)."""
        from coursenotes.execution.kernels.gateway.client import connection, manager_for

        with self._lock:
            if self._manager is None:
                self._manager = manager_for(connection(self.settings.url, self.settings.token))
            return self._manager

    def files(self, folder: Path) -> Bundle:
        """The post folder's files packed once per build (flat posts share theirs); TooBigError past the cap."""
        with self._lock:
            if folder not in self._bundles:
                try:
                    self._bundles[folder] = bundle(folder, self.settings.send_limit_mb, self.label)
                except TooBigError as e:
                    self._bundles[folder] = e
        found = self._bundles[folder]
        if isinstance(found, TooBigError):
            raise GatewayError(str(found))
        return found

    async def place(self, client, kernel: str, cwd: Path) -> dict:
        """Move the new kernel to the post's folder: the gateway host's copy, else a copy of the files sent over."""
        mode = self.settings.files
        try:
            if mode != "send":
                found = await call(client, CHDIR)
                if found.get("found") or mode == "shared":
                    return {**found, "mode": "shared"}
            files = self.files(cwd)
            with self._lock:
                self.sent_with.add(kernel)
            return {**await send(client, files, self.session), "mode": "sent"}
        except RemoteCallError as e:
            raise GatewayError(f"{self.label}: moving the kernel to the post's files: {e}") from None

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

    def start(self, kernel: str, cwd: Path) -> None:
        """None: a gateway kernel starts when its post runs.

        Its start is an HTTP request that returns once the kernel is up, so starting it here would
        wait for it here; and a kernel on a shared gateway is not ours to start on a guess."""
        return None

    def client(
        self, nb, kernel: str, cwd: Path, timeout: float | None, state: RunState, started=None, *, place: bool = True
    ):
        """A NotebookClient whose kernel is started by the gateway and (with `place`) moved to the post's folder."""
        from nbclient import NotebookClient

        language = ((self.check_kernel(kernel).get("spec") or {}).get("language") or "").lower()
        place = place and language == "python"  # our folder step is Python: other kernels stay where they start
        client = quiet_at_exit(
            NotebookClient(
                nb,
                kernel_manager_class=self.manager(),
                kernel_name=kernel,
                timeout=timeout,
                log=log,
                record_timing=False,
                resources={"metadata": {"path": str(cwd)}},
            )
        )

        async def setup(notebook=None):
            state.kc = client.kc
            state.setup = await self.place(client, kernel, cwd)

        if place:
            client.on_notebook_start = setup
        else:
            client.on_notebook_start = lambda notebook: setattr(state, "kc", client.kc)
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
        if setup.get("mode") == "sent":
            hint = (
                f"the kernel ran in a copy of the post's folder {rel} ({setup.get('files', 0)} files sent) "
                "and the file is not there: put it beside the post (not git-ignored), or make the data in code"
            )
        elif setup.get("found"):
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

    def side_run(self, kernel: str, code: str) -> str:
        """Run one cell of our own in a fresh kernel of the gateway, not moved anywhere: its stdout."""
        import nbformat

        nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code)])
        state = RunState()
        try:
            client = self.client(nb, kernel, self.root, 120, state, place=False)
            try:
                self.execute(client, self.root)
            finally:  # nbclient leaves its exit hook registered when a start fails
                atexit.unregister(client._cleanup_kernel)
        except Exception as e:
            raise GatewayError(f"{self.label}: {problem(e, state.kc)}") from e
        return "".join(o.get("text", "") for o in nb.cells[0].outputs if o.get("name") == "stdout")

    def environment(self, kernel: str, names: tuple[str, ...]) -> dict:
        """The cache key's environment fingerprint, read in a kernel on the gateway (the same script as locally)."""
        spec = self.check_kernel(kernel).get("spec") or {}
        if (spec.get("language") or "").lower() != "python":
            return {"kernel": kernel}
        code = f"import os, sys\nos.chdir(os.sep)\nsys.argv = ['fingerprint', *{list(names)!r}]\n" + SCRIPT
        try:
            text = self.side_run(kernel, code)
        except GatewayError as e:
            detail = e.message.removeprefix(f"{self.label}: ")
            raise GatewayError(f"{self.label}: reading the kernel's environment: {detail}") from None
        try:
            return json.loads(text.strip().splitlines()[-1])
        except (ValueError, IndexError):
            raise GatewayError(f"{self.label}: kernel `{kernel}` did not report its environment") from None

    def close(self) -> None:
        """Remove this build's folder from the kernels' side, where files were sent (best effort: the build is done)."""
        for kernel in sorted(self.sent_with):
            try:
                self.side_run(kernel, f"exec({CLEANUP!r})\nmain(__import__('os').path.join("
                              f"__import__('tempfile').gettempdir(), {'coursenotes-' + self.session!r}))")  # fmt: skip
            except GatewayError as e:
                log.info("could not remove the build's files on %s: %s", self.label, e.message)
        self.sent_with.clear()
