"""A Jupyter gateway the tests start on 127.0.0.1 in its own process group: reach it, wait for it, stop it."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path


def free_port() -> int:
    """A TCP port nothing listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class GatewayProcess:
    """What a Kernel Gateway and an Enterprise Gateway under test share; subclasses say how to start one."""

    NAME = "the gateway"
    READY_SECONDS = 30.0
    STOP_SECONDS = 10.0
    url = token = ""
    log_path: Path
    proc: subprocess.Popen

    def start(self, cmd: list[str], cwd: Path, env: dict[str, str], log_path: Path) -> None:
        """Run `cmd` with its output in `log_path`, and wait until it answers."""
        self.log_path = log_path
        self.log = open(log_path, "wb")  # noqa: SIM115 - open while the gateway runs, closed in stop()
        self.proc = subprocess.Popen(
            cmd, cwd=cwd, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True, env=env
        )
        self.wait_ready()

    def get(self, path: str):
        """GET a gateway API path with the token, bypassing any proxy settings."""
        req = urllib.request.Request(self.url + path, headers={"Authorization": f"token {self.token}"})
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        with opener.open(req, timeout=2) as r:
            return json.loads(r.read())

    def wait_ready(self) -> None:
        """Wait until the gateway lists its kernelspecs; its log in the error when it dies or never answers."""
        end = time.monotonic() + self.READY_SECONDS
        while time.monotonic() < end:
            if self.proc.poll() is not None:
                raise RuntimeError(self.log_path.read_text())
            try:
                self.get("/api/kernelspecs")
                return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"{self.NAME} did not answer in time:\n" + self.log_path.read_text())

    def kernels(self) -> list:
        """The kernels the gateway runs now."""
        return self.get("/api/kernels")

    def stop(self, sig=signal.SIGTERM) -> None:
        """Stop the gateway (SIGTERM lets it shut its kernels down; SIGKILL is a crash) and wait for it."""
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, sig)
            except ProcessLookupError:
                pass
            try:
                self.proc.wait(self.STOP_SECONDS)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(10)
        self.log.close()
