"""Run a post's notebook on a kernel behind a Jupyter Kernel Gateway or Enterprise Gateway.

The protocol is jupyter_server's: `GatewayKernelManager` starts and stops kernels over HTTP and
`GatewayKernelClient` carries the kernel messages over the gateway's websocket; our fixes to
them live in gateway_client.py. This module resolves the settings, checks the gateway once per
build, runs posts on it and turns every failure into one line.
"""
from __future__ import annotations

import ast
import atexit
import json
import logging
import os
import posixpath
import threading
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from coursenotes.errors import ConfigError, ExecutionError

kSpecTimeout = 10.0          # seconds for the preflight GET /api/kernelspecs
kLost = "the connection to the gateway was lost"
kPostDirEnv = "KERNEL_COURSENOTES_POST_DIR"
kDocs = "see docs/gateway.md"

log = logging.getLogger("coursenotes.gateway")
log.addHandler(logging.NullHandler())   # the CLI prints one line per problem, not library logs

# Evaluated in the kernel as a user expression of a silent request, before the first cell: it
# moves to the post's folder where the gateway host has it. It runs in a throwaway namespace, so
# it adds no names, no history and no execution count; the post's outputs stay as a local run's.
kChdir = r'''
def main():
    import os
    for d in (os.environ.get("KERNEL_WORKING_DIR"), os.environ.get("KERNEL_COURSENOTES_POST_DIR")):
        if d and os.path.isdir(d):
            os.chdir(d)
            return {"cwd": os.getcwd(), "found": True}
    return {"cwd": os.getcwd(), "found": False}
'''
kChdirExpr = f"(lambda ns: (exec({kChdir!r}, ns), ns['main']())[1])({{}})"


class GatewayError(ExecutionError):
    """The gateway could not run a post: unreachable, refused, no such kernel, connection lost."""


@dataclass(frozen=True)
class GatewaySettings:
    """Where the gateway is, its token, and where this repository is on the gateway host."""
    url: str
    token: str = ""
    root: str = ""      # the repository's path on the gateway host; "" = the same path as here

    @property
    def label(self) -> str: return f"gateway {self.url}"


def normal_url(url: str, where: str) -> str:
    """`http(s)://host[:port][/base]` without a trailing slash, or a ConfigError."""
    url = url.strip().rstrip("/")
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ConfigError(f"gateway URL must look like http://host:port, not {url!r}", where)
    return url


def resolve(url: str | None = None, token: str | None = None, tool: dict | None = None,
            environ: dict | None = None, where: str = "pyproject.toml") -> GatewaySettings | None:
    """Gateway settings from the command line, else the environment, else `[tool.coursenotes]`; None = local kernels."""
    env, tool = os.environ if environ is None else environ, tool or {}
    url = url or env.get("JUPYTER_GATEWAY_URL") or tool.get("gateway-url")
    if not url: return None
    token = token if token is not None else env.get("JUPYTER_GATEWAY_AUTH_TOKEN", tool.get("gateway-token", ""))
    return GatewaySettings(normal_url(str(url), where), str(token or ""), str(tool.get("gateway-root") or ""))


def http_problem(code: int, body: str) -> str:
    """What an HTTP status from the gateway means to an author."""
    try: detail = json.loads(body).get("message") or ""
    except (ValueError, AttributeError): detail = ""
    if code == 401: return "the token was refused (HTTP 401 Unauthorized); check --gateway-token or JUPYTER_GATEWAY_AUTH_TOKEN"
    if code == 403: return "access is forbidden (HTTP 403 Forbidden); check the token and the gateway's limits" + (f": {detail}" if detail else "")
    if code == 404: return "no Jupyter kernel API here (HTTP 404); check the URL and its base path"
    return f"HTTP {code}" + (f": {detail}" if detail else "")


def kernelspecs(settings: GatewaySettings, timeout: float = kSpecTimeout) -> dict:
    """GET /api/kernelspecs: {'default': name, 'kernelspecs': {...}}, or a GatewayError saying why not."""
    req = urllib.request.Request(settings.url + "/api/kernelspecs", headers={"Authorization": f"token {settings.token}"})
    try:
        # No proxies from the environment: the kernel requests (tornado's client) do not use them either.
        with urllib.request.build_opener(urllib.request.ProxyHandler({})).open(req, timeout=timeout) as r:
            body = r.read().decode()
    except urllib.error.HTTPError as e:
        raise GatewayError(f"{settings.label}: {http_problem(e.code, e.read().decode(errors='replace'))}") from None
    except (urllib.error.URLError, OSError) as e:
        reason = getattr(e, "reason", e)
        what = "timed out" if isinstance(reason, TimeoutError) or "timed out" in str(reason) else \
            getattr(reason, "strerror", None) or str(reason)
        raise GatewayError(f"{settings.label}: not reachable ({what}); is the gateway running?") from None
    try: specs = json.loads(body)
    except ValueError: specs = None
    if not isinstance(specs, dict) or not isinstance(specs.get("kernelspecs"), dict):
        raise GatewayError(f"{settings.label}: did not answer like a Jupyter gateway (GET /api/kernelspecs)")
    return specs


def chain(e: BaseException):
    """The exception and everything it was raised from or during."""
    seen = set()
    while e is not None and id(e) not in seen:
        seen.add(id(e)); yield e
        e = e.__cause__ or e.__context__


def problem(e: BaseException, kc=None) -> str:
    """A one-line reason for an exception met while running a post over the gateway."""
    from tornado import web
    from websocket import WebSocketBadStatusException
    if kc is not None and kc.lost: return kLost
    if kc is not None and kc.kernel_gone: return "the kernel died (the gateway restarted it)"
    errors = list(chain(e))
    for x in errors:
        if isinstance(x, RuntimeError) and kLost in str(x): return kLost
    for x in errors:
        if isinstance(x, WebSocketBadStatusException): return http_problem(x.status_code, "") + " opening the kernel's websocket"
    for x in errors:
        if isinstance(x, web.HTTPError):
            if x.status_code == 503: return "not reachable (connection refused); is the gateway running?"
            if x.status_code == 599: return "timed out"
            return http_problem(x.status_code, json.dumps({"message": (x.log_message or "") % tuple(x.args)}))
    for x in errors:
        if isinstance(x, OSError): return f"{kLost} ({x})"
    return f"{type(errors[-1]).__name__}: {str(errors[-1]).strip().splitlines()[0] if str(errors[-1]).strip() else ''}".rstrip(": ")


class Gateway:
    """One build's gateway: checked once, then used by every post that has to run, from any thread."""

    def __init__(self, settings: GatewaySettings, root: Path):
        self.settings, self.root = settings, Path(root).resolve()
        self._specs, self._lock = None, threading.Lock()

    @property
    def label(self) -> str: return self.settings.label

    def specs(self) -> dict:
        """The gateway's kernelspecs, asked once; a failure is remembered, so a dead gateway costs one timeout."""
        with self._lock:
            if self._specs is None:
                try: self._specs = kernelspecs(self.settings)
                except GatewayError as e: self._specs = e
        if isinstance(self._specs, GatewayError): raise self._specs
        return self._specs

    def check_kernel(self, name: str) -> dict:
        """The kernelspec of a kernel the gateway offers, or a GatewayError listing the ones it does."""
        offered = self.specs()["kernelspecs"]
        if name not in offered:
            raise GatewayError(f"{self.label}: has no kernel `{name}` (it offers: {', '.join(sorted(offered)) or 'none'})")
        return offered[name] or {}

    def remote_dirs(self, folder: Path) -> dict:
        """The env that tells the kernel where the post's folder is on the gateway host."""
        folder = Path(folder).resolve()
        rel = folder.relative_to(self.root).as_posix() if folder.is_relative_to(self.root) else "."
        work = posixpath.join(self.settings.root, rel) if self.settings.root else str(folder)
        return {"KERNEL_WORKING_DIR": work, kPostDirEnv: rel}

    def client(self, nb, kernel: str, cwd: Path, timeout: float | None, state: dict):
        """An nbclient NotebookClient whose kernel is started by the gateway and moved to the post's folder."""
        from nbclient import NotebookClient
        from coursenotes.gateway_client import classes, configure
        configure(self.settings.url, self.settings.token)
        manager, _ = classes()
        from coursenotes.execute import quiet_at_exit
        client = quiet_at_exit(NotebookClient(nb, kernel_manager_class=manager, kernel_name=kernel, timeout=timeout,
                                              log=log, record_timing=False, resources={"metadata": {"path": str(cwd)}}))

        async def setup(notebook=None):
            state["kc"] = client.kc
            msg_id = client.kc.execute("", silent=True, store_history=False, user_expressions={"cn": kChdirExpr})
            reply = await client.async_wait_for_reply(msg_id)
            value = (reply or {}).get("content", {}).get("user_expressions", {}).get("cn") or {}
            try: state["setup"] = ast.literal_eval(value.get("data", {}).get("text/plain", "{}"))
            except (ValueError, SyntaxError): state["setup"] = {}

        client.on_notebook_start = setup
        return client

    def run_client(self, client, cwd: Path) -> None:
        """Execute with the post's folder in the kernel's env; nbclient's exit hook is dropped afterwards."""
        try: client.execute(env=self.remote_dirs(cwd))
        finally: atexit.unregister(client._cleanup_kernel)   # nbclient leaves it registered when a start fails

    def run(self, key_nb, kernel: str, cwd: Path, timeout: float | None = None):
        """Like `execute.execute` on a gateway kernel: an `execute.Run`, never an exception."""
        import time
        from nbclient.exceptions import CellExecutionError, CellTimeoutError
        from coursenotes import execute as executor
        nb, n_code = executor.runnable(key_nb), len(key_nb.cells)
        state = {"cell": None, "setup": {}, "kc": None}
        start = time.perf_counter()
        fail = lambda message: executor.Run(False, message=message, cell=state["cell"], seconds=time.perf_counter() - start)  # noqa: E731
        try:
            self.check_kernel(kernel)
            client = self.client(nb, kernel, cwd, timeout, state)
            client.on_cell_start = lambda cell, cell_index: state.update(cell=executor.cell_number(cell_index, n_code))
            self.run_client(client, cwd)
        except GatewayError as e: return fail(e.message)
        except CellExecutionError as e:
            if e.ename == "FileNotFoundError": return fail(self.missing_file(e, state, cwd))
            return fail(executor.failure(e, state["cell"], timeout, None))
        except CellTimeoutError as e: return fail(executor.failure(e, state["cell"], timeout, None))
        except Exception as e:
            where = f"cell {state['cell']}: " if state["cell"] else ""
            return fail(f"{self.label}: {where}{problem(e, state['kc'])}")
        done, env = executor.collect(key_nb, nb)
        return executor.Run(True, done, seconds=time.perf_counter() - start, env=env)

    def missing_file(self, e, state: dict, cwd: Path) -> str:
        """A FileNotFoundError raised by a cell on the gateway, with the rule for files a post reads."""
        setup, rel = state["setup"], self.remote_dirs(cwd)[kPostDirEnv]
        where = f"cell {state['cell']}: " if state["cell"] else ""
        if setup.get("found"):
            hint = (f"the kernel ran in {setup.get('cwd')} on the gateway host and the file is not there: "
                    "make the data in code, or sync the gateway host's copy of the repository")
        else:
            hint = (f"the post's folder {rel} is not on the gateway host (the kernel ran in {setup.get('cwd') or '?'}): "
                    "make the data in code, or start the gateway in a checkout of this repository, or set gateway-root")
        return f"{self.label}: {where}FileNotFoundError: {(e.evalue or '').strip()}; {hint}; {kDocs}"

    def environment(self, kernel: str, names: tuple[str, ...]) -> dict:
        """The cache key's environment fingerprint, read in a kernel on the gateway (the same script as locally)."""
        import nbformat
        from coursenotes.fingerprint import kScript
        spec = self.check_kernel(kernel).get("spec") or {}
        if (spec.get("language") or "").lower() != "python": return {"kernel": kernel}
        code = f"import os, sys\nos.chdir(os.sep)\nsys.argv = ['fingerprint', *{list(names)!r}]\n" + kScript
        nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code)])
        state = {"cell": None, "setup": {}, "kc": None}
        try: self.run_client(self.client(nb, kernel, self.root, 120, state), self.root)
        except Exception as e: raise GatewayError(f"{self.label}: reading the kernel's environment: {problem(e, state['kc'])}") from None
        text = "".join(o.get("text", "") for o in nb.cells[0].outputs if o.get("name") == "stdout")
        try: return json.loads(text.strip().splitlines()[-1])
        except (ValueError, IndexError): raise GatewayError(f"{self.label}: kernel `{kernel}` did not report its environment") from None


def fingerprints(gateway: Gateway, tool: dict):
    """A `fingerprint.Fingerprints` whose kernels are the gateway's."""
    from coursenotes.fingerprint import Fingerprints, KernelMissing

    def read(kernel: str, names: tuple[str, ...]) -> dict:
        """Gateway trouble reads as a missing kernel, naming the gateway."""
        try: return gateway.environment(kernel, names)
        except GatewayError as e: raise KernelMissing(e.message) from None

    return Fingerprints(tool, read)


def gateway_for(config, options) -> Gateway | None:
    """The build's gateway from --gateway-url/--gateway-token, the environment or `[tool.coursenotes]`; None = local kernels."""
    extra = getattr(options, "extra", None) or {}
    settings = resolve(extra.get("gateway_url"), extra.get("gateway_token"), config.tool, where=str(config.root / "pyproject.toml"))
    return Gateway(settings, config.root) if settings else None
