"""Kernels behind a Jupyter Kernel Gateway or Enterprise Gateway (docs/gateway.md).

Public names: Gateway (the Executor), GatewayError, kernelspecs.
"""

from coursenotes.execution.kernels.gateway.executor import Gateway
from coursenotes.execution.kernels.gateway.http import GatewayError, kernelspecs

__all__ = ["Gateway", "GatewayError", "kernelspecs"]
