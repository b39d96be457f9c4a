"""A real Jupyter Enterprise Gateway for the tests: its own virtualenv (.venv-eg), 127.0.0.1, a token.

Enterprise Gateway 3.x pins jupyter_server 1.x and jupyter_client 6.x, so scripts/setup installs it
in .venv-eg beside the project's .venv. Its one kernelspec, `python3`, runs the project's Python:
the kernels see the same packages as a local kernel, so outputs can be compared byte for byte.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from tests.gateway_process import GatewayProcess, free_port

REPO = Path(__file__).resolve().parents[1]
EG_PYTHON = Path(os.environ.get("COURSENOTES_EG_PYTHON", REPO / ".venv-eg/bin/python"))
TOKEN = "eg-token-71c2"


def missing() -> str | None:
    """Why Enterprise Gateway cannot run here, or None."""
    if not EG_PYTHON.exists():
        return f"Enterprise Gateway is not installed ({EG_PYTHON} is missing: run scripts/setup)"
    return None


# As root a private mount namespace is enough; elsewhere a user namespace maps us to root inside it.
UNSHARE_WAYS = (
    ("unshare", "--mount", "--propagation", "private"),
    ("unshare", "--user", "--map-root-user", "--mount", "--propagation", "private"),
)


def unshare_prefix() -> tuple[tuple[str, ...] | None, str]:
    """The command prefix that runs a program in a private mount namespace where it may mount, or why none does."""
    if not shutil.which("unshare"):
        return None, "`unshare` is not installed"
    why = ""
    for way in UNSHARE_WAYS:
        with tempfile.TemporaryDirectory() as target:
            probe = subprocess.run([*way, "mount", "-t", "tmpfs", "tmpfs", target], capture_output=True, text=True)
        if probe.returncode == 0:
            return way, ""
        why = probe.stderr.strip() or f"exit {probe.returncode}"
    return None, f"cannot make a private mount namespace here: {why}"


def hiding_unavailable() -> str | None:
    """Why a gateway cannot be started blind to a folder (a private mount namespace), or None."""
    return unshare_prefix()[1] or None


class EnterpriseGateway(GatewayProcess):
    """`python -m enterprise_gateway` on 127.0.0.1 with a token, in its own process group.

    `hide` is a folder the gateway and its kernels must not see: they run in a private mount
    namespace with an empty tmpfs mounted over it. Their temp folder is `self.tmp`, so a test can
    check that nothing is left behind on the gateway's side."""

    NAME = "Enterprise Gateway"
    READY_SECONDS = 60.0
    STOP_SECONDS = 15.0

    def __init__(self, workdir: Path, token: str = TOKEN, hide: Path | None = None, unauthorized: str = "nobody"):
        self.port, self.token, self.workdir = free_port(), token, workdir
        self.url = f"http://127.0.0.1:{self.port}"
        self.tmp = workdir / "remote-tmp"
        self.tmp.mkdir(parents=True, exist_ok=True)
        spec = workdir / "jupyter/kernels/python3"
        spec.mkdir(parents=True, exist_ok=True)
        argv = [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"]
        kernel = {"argv": argv, "display_name": "Python 3", "language": "python", "env": {"TMPDIR": str(self.tmp)}}
        (spec / "kernel.json").write_text(json.dumps(kernel))
        cmd = [
            str(EG_PYTHON),
            "-m",
            "enterprise_gateway",
            "--EnterpriseGatewayApp.ip=127.0.0.1",
            f"--EnterpriseGatewayApp.port={self.port}",
            f"--EnterpriseGatewayApp.auth_token={token}",
            # It refuses kernels for `root` by default; the tests may run as root (containers, CI).
            f"--EnterpriseGatewayApp.unauthorized_users={unauthorized}",
        ]
        if hide is not None:
            mount = 'mount -t tmpfs tmpfs "$0" && exec "$@"'
            prefix, why = unshare_prefix()
            if prefix is None:
                raise RuntimeError(why)
            cmd = [*prefix, "sh", "-c", mount, str(hide), *cmd]
        env = {k: v for k, v in os.environ.items() if not k.startswith(("JUPYTER_", "EG_", "KERNEL_"))}
        env.update(
            JUPYTER_PATH=str(workdir / "jupyter"), JUPYTER_RUNTIME_DIR=str(workdir / "runtime"), TMPDIR=str(self.tmp)
        )
        self.start(cmd, workdir, env, workdir / "eg.log")

    def leftovers(self) -> list[str]:
        """What is left in the kernels' temp folder (ipykernel's own files aside)."""
        return sorted(p.relative_to(self.tmp).as_posix() for p in self.tmp.rglob("*") if "coursenotes" in p.as_posix())
