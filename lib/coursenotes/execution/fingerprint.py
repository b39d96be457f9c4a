"""The environment fingerprint in the cache key: the kernel's Python version and package versions."""

from __future__ import annotations

import importlib.metadata
import json
import os
import platform
import subprocess
import sys

# Run by the kernel's own interpreter: the kernel may live in another environment than the builder.
SCRIPT = """\
import importlib.metadata as m, json, platform, sys
def version(name):
    try: return m.version(name)
    except m.PackageNotFoundError: return None
print(json.dumps({"python": platform.python_version(), "packages": {p: version(p) for p in sys.argv[1:]}}))
"""


class KernelMissingError(Exception):
    """The kernel is not installed here (the message says how to find the installed ones)."""


def kernel_python(kernel: str) -> str | None:
    """The Python a local kernel runs on, or None when it is not a Python kernel."""
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    try:
        spec = KernelSpecManager().get_kernel_spec(kernel)
    except NoSuchKernel:
        raise KernelMissingError(f"kernel `{kernel}` is not installed here (see `jupyter kernelspec list`)") from None
    if (spec.language or "").lower() != "python" or not spec.argv:
        return None
    # jupyter_client starts a bare `python` kernel with its own interpreter; so do we.
    if spec.argv[0] in ("python", f"python{sys.version_info[0]}", f"python{sys.version_info[0]}.{sys.version_info[1]}"):
        return sys.executable
    return spec.argv[0]


def versions(names: tuple[str, ...]) -> dict:
    """This interpreter's fingerprint: what SCRIPT prints, without starting a process."""

    def version(name):
        try:
            return importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            return None

    return {"python": platform.python_version(), "packages": {p: version(p) for p in names}}


def environment(kernel: str, names: tuple[str, ...]) -> dict:
    """Python and package versions as the kernel sees them (a non-Python kernel: just its name)."""
    python = kernel_python(kernel)
    if python is None:
        return {"kernel": kernel}
    # The usual case, a kernel on the builder's own interpreter, is read here: same answer, no process.
    # (abspath, not realpath: a venv's python is a symlink to the base one but sees other packages.)
    if os.path.abspath(python) == os.path.abspath(sys.executable):
        return versions(names)
    try:
        proc = subprocess.run(
            [python, "-c", SCRIPT, *names], capture_output=True, text=True, timeout=60, cwd=os.sep
        )  # not the site folder: a stray file there must not count
    except (OSError, subprocess.TimeoutExpired) as e:
        raise KernelMissingError(f"kernel `{kernel}`: cannot run {python}: {e}") from None
    if proc.returncode != 0:
        last = (proc.stderr.strip().splitlines() or ["?"])[-1]
        raise KernelMissingError(f"kernel `{kernel}`: {python} failed: {last}")
    return json.loads(proc.stdout)


class Fingerprints:
    """One fingerprint per kernel per build: asking the interpreter (or a gateway's kernel) costs a process start."""

    def __init__(self, names: tuple[str, ...], read=environment):
        self.names, self.read = names, read
        self.seen: dict[str, dict | Exception] = {}

    def __call__(self, kernel: str) -> dict:
        """The kernel's fingerprint; KernelMissingError when it cannot be read."""
        if kernel not in self.seen:
            try:
                self.seen[kernel] = self.read(kernel, self.names)
            except KernelMissingError as e:
                self.seen[kernel] = e
        found = self.seen[kernel]
        if isinstance(found, Exception):
            raise found
        return found
