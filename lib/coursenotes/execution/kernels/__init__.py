"""Where posts run: the Executor protocol, its run skeleton, and its two implementations.

Public names: Executor, Run, run_notebook, LocalKernels, Gateway, GatewayError, executor_for.
"""

from __future__ import annotations

from pathlib import Path

from coursenotes.execution.kernels.base import Executor, Run, run_notebook
from coursenotes.execution.kernels.gateway import Gateway, GatewayError
from coursenotes.execution.kernels.local import LocalKernels
from coursenotes.settings import GatewaySettings

__all__ = ["Executor", "Gateway", "GatewayError", "LocalKernels", "Run", "executor_for", "run_notebook"]


def executor_for(gateway: GatewaySettings | None, root: Path) -> Executor:
    """The build's executor: the named gateway's kernels, else this machine's."""
    return Gateway(gateway, root) if gateway else LocalKernels()
