"""Where posts run: the Executor protocol, its run skeleton, its two implementations, and the pool of them.

Public names: Executor, Run, run_notebook, LocalKernels, Gateway, GatewayError, Pool, Ahead.
"""

from __future__ import annotations

from coursenotes.execution.kernels.ahead import Ahead
from coursenotes.execution.kernels.base import Executor, Run, run_notebook
from coursenotes.execution.kernels.gateway import Gateway, GatewayError
from coursenotes.execution.kernels.local import LocalKernels
from coursenotes.execution.kernels.pool import Pool

__all__ = ["Ahead", "Executor", "Gateway", "GatewayError", "LocalKernels", "Pool", "Run", "run_notebook"]
