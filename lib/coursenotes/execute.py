"""Run one post's code cells on a Jupyter kernel; return what happened, never raise."""
from __future__ import annotations

import atexit
import copy
import json
import os
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from coursenotes.execopts import options_of

# Run after the post's cells, in the same kernel: what the code actually ran on. Only a post that
# imported torch asks CUDA, so a plain post pays nothing for it.
kProbe = """\
def _coursenotes_probe():
    import importlib.metadata, json, platform, sys
    def version(name):
        mod = sys.modules.get(name)
        if getattr(mod, "__version__", None): return str(mod.__version__)
        try: return importlib.metadata.version(name)
        except Exception: return None
    device, torch = "cpu", sys.modules.get("torch")
    try:
        if torch is not None and torch.cuda.is_available(): device = torch.cuda.get_device_name(0)
    except Exception: pass
    print(json.dumps({"python": platform.python_version(), "torch": version("torch"),
                      "fastai": version("fastai"), "device": device}))
_coursenotes_probe(); del _coursenotes_probe
"""


# Run first, in the same kernel: our display formatters (mermaid-py diagrams as ```mermaid markdown).
# The module's source is sent, not imported, so a kernel without coursenotes installed (a gateway's) gets them too.
kSetup = """\
def _coursenotes_setup(source):
    try:
        namespace = {"__name__": "coursenotes_kernel_formatters"}
        exec(compile(source, "coursenotes_kernel_formatters", "exec"), namespace)
        namespace["register"]()
    except Exception:
        pass   # formatters are a nicety: never let them fail a post
_coursenotes_setup(%r); del _coursenotes_setup
"""


def setup_code() -> str:
    """The hidden first cell: the kernel_formatters module, sent as source."""
    return kSetup % (Path(__file__).parent / "kernel_formatters.py").read_text()


@dataclass(frozen=True)
class Run:
    """What executing a post did: the executed notebook, or which cell failed and why."""
    ok: bool
    nb: object = None             # the key notebook with outputs, when ok
    message: str = ""             # `cell 3: ZeroDivisionError: division by zero`
    cell: int | None = None       # the failing code cell, counted from 1
    seconds: float = 0.0
    env: dict = field(default_factory=dict)   # python/torch/fastai versions and device, from the kernel


def quiet_at_exit(client):
    """Make the kernel cleanup nbclient registers with atexit silent: when the process exits mid-cell
    (Ctrl-C in preview, where builds run in a thread) the kernel may already be gone, and a traceback
    at exit would be noise. nbclient registers `self._cleanup_kernel`, so an instance attribute wins."""
    cleanup = client._cleanup_kernel

    def quiet_cleanup():
        try: cleanup()
        except Exception: pass
    client._cleanup_kernel = quiet_cleanup
    return client


def new_client(nb, kernel: str, cwd: Path, timeout: float | None):
    """The one place a kernel is made: a local ipykernel-style kernel started in `cwd`."""
    from nbclient import NotebookClient
    from traitlets.config import Config
    # IPC sockets: a local kernel needs no TCP port (and ipykernel warns about unencrypted TCP). The
    # socket path must be absolute and unique: the kernel runs in the post's folder, we do not.
    ip = os.path.join(tempfile.gettempdir(), f"coursenotes-{uuid.uuid4().hex[:12]}-ipc")
    config = Config({"KernelManager": {"transport": "ipc", "ip": ip}})
    return quiet_at_exit(NotebookClient(nb, kernel_name=kernel, timeout=timeout, record_timing=False,
                                        shutdown_kernel="immediate", resources={"metadata": {"path": str(cwd)}},
                                        config=config))


def runnable(key_nb):
    """A copy to execute, with nbclient's tags for `eval: false` and `error: true` cells, setup first and the probe last."""
    import nbformat
    nb = copy.deepcopy(key_nb)
    for cell in nb.cells:
        opts = options_of(cell)
        tags = (["skip-execution"] if opts.get("eval") is False else []) + (["raises-exception"] if opts.get("error") else [])
        if tags: cell.metadata["tags"] = tags
    hidden = {"tags": ["raises-exception"]}
    nb.cells.insert(0, nbformat.v4.new_code_cell(setup_code(), metadata=hidden))
    nb.cells.append(nbformat.v4.new_code_cell(kProbe, metadata=hidden))
    return nb


def cell_number(cell_index: int, n_code: int) -> int | None:
    """The post's code cell (from 1) at a runnable notebook's index; None for our hidden cells."""
    return cell_index if 1 <= cell_index <= n_code else None


def collect(key_nb, ran_nb):
    """The key notebook with the executed outputs copied in, and the probe's findings."""
    done, env = copy.deepcopy(key_nb), probe_result(ran_nb.cells[-1])
    hidden = ran_nb.cells[0].get("execution_count") or 0     # the setup cell took a number: the post's start at 1
    for cell, ran in zip(done.cells, ran_nb.cells[1:-1]):
        count = ran.get("execution_count")
        cell.outputs, cell.execution_count = ran.outputs, count - hidden if count else count
    return done, env


def probe_result(cell) -> dict:
    """The probe's JSON line, or {} when the kernel could not run it (not a Python kernel)."""
    text = "".join(o.get("text", "") for o in cell.get("outputs", []) if o.get("name") == "stdout")
    try: return json.loads(text.strip().splitlines()[-1])
    except (ValueError, IndexError): return {}


def exit_status(process) -> str:
    """How a dead kernel's process ended, for the message."""
    code = process.poll() if process is not None else None
    if code is None: return ""
    return f" (signal {-code})" if code < 0 else f" (exit {code})"


def failure(e: Exception, cell: int | None, timeout, process) -> str:
    """One line saying why execution stopped."""
    if isinstance(e, ImportError): return f"executing posts needs the exec extra (`pip install -e .[exec]`): {e}"
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError
    from jupyter_client.kernelspec import NoSuchKernel
    where = f"cell {cell}: " if cell else ""
    if isinstance(e, CellTimeoutError): return f"{where}timed out after {timeout:g} s"
    if isinstance(e, DeadKernelError): return f"{where}kernel died{exit_status(process)}"
    if isinstance(e, CellExecutionError):
        evalue = (e.evalue or "").strip().splitlines()
        return f"{where}{e.ename}: {evalue[0]}" if evalue else f"{where}{e.ename}"
    if isinstance(e, NoSuchKernel): return f"kernel `{e.name}` is not installed here (see `jupyter kernelspec list`)"
    detail = str(e).strip().splitlines()
    return f"{where}kernel failed: {type(e).__name__}" + (f": {detail[0]}" if detail else "")


def interrupted(client) -> bool:
    """True when nbclient's own SIGINT/SIGTERM handler shut the kernel down (it installs one on the main
    thread and swallows the signal): that is the author's Ctrl-C, not a failing post."""
    return client is not None and getattr(client, "_async_cleanup_kernel_future", None) is not None


def execute(key_nb, kernel: str, cwd: Path, timeout: float | None = None) -> Run:
    """Execute the key notebook's code cells in order on a fresh kernel whose working folder is `cwd`."""
    nb, state = runnable(key_nb), {"cell": None, "process": None}
    n_code = len(key_nb.cells)
    start, client = time.perf_counter(), None
    try:
        client = new_client(nb, kernel, cwd, timeout)
        client.on_cell_start = lambda cell, cell_index: state.update(cell=cell_number(cell_index, n_code))
        # Keep the kernel's process: after it dies, its exit code says why.
        client.on_notebook_start = lambda notebook: state.update(
            process=getattr(getattr(client.km, "provisioner", None), "process", None))
        client.execute()
    except Exception as e:   # every way a kernel can fail becomes one line; the build goes on
        if interrupted(client): raise KeyboardInterrupt from None
        return Run(False, message=failure(e, state["cell"], timeout, state["process"]), cell=state["cell"],
                   seconds=time.perf_counter() - start)
    finally:   # nbclient leaves its exit hook registered when a kernel fails to start
        if client is not None: atexit.unregister(client._cleanup_kernel)
    done, env = collect(key_nb, nb)
    return Run(True, done, seconds=time.perf_counter() - start, env=env)
