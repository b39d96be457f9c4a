"""jupyter_client's kernel manager and client less two fixed waits each local post paid: 0.2 s at start, 0.1 at end.

Both are jupyter_client's own steps with a shorter wait; nothing a kernel is sent or sends back
changes, so neither do outputs.
"""

from __future__ import annotations

import time
from functools import cache
from queue import Empty


@cache
def manager_class():
    """AsyncKernelManager whose clients are QuickReady, checking every 10 ms (not 100) that a killed kernel is gone.

    A post's kernel is killed when its cells are done (shutdown "immediate") and the manager then
    polls until the process has ended: at its default interval every post waited a tenth of a
    second for a process that is gone in a few milliseconds."""
    from jupyter_client.manager import AsyncKernelManager
    from traitlets import default

    ready = client_class()

    class QuickKill(AsyncKernelManager):
        @default("client_factory")
        def _client_factory_default(self):
            return ready

        async def _async_wait(self, pollinterval: float = 0.01) -> None:
            await super()._async_wait(pollinterval)

    return QuickKill


@cache
def client_class():
    """AsyncKernelClient whose wait_for_ready returns once the kernel has answered on both channels."""
    from jupyter_client.asynchronous import AsyncKernelClient

    class QuickReady(AsyncKernelClient):
        async def wait_for_ready(self, timeout: float | None = None) -> None:
            """jupyter_client's check (a kernel_info reply on shell, then a message on IOPub), same errors.

            jupyter_client then waits until IOPub has been quiet for 0.2 s, to drop the status
            messages of its kernel_info request; nbclient reads only the messages that answer its
            own requests (it matches their parent id), so those are left to it to skip."""
            deadline = time.time() + (float("inf") if timeout is None else timeout)
            while True:
                self.kernel_info()
                try:
                    msg = await self.shell_channel.get_msg(timeout=1)
                except Empty:
                    msg = None
                if msg is not None and msg["msg_type"] == "kernel_info_reply":
                    try:
                        await self.iopub_channel.get_msg(timeout=0.2)
                    except Empty:
                        pass  # IOPub not connected yet: ask again
                    else:
                        self._handle_kernel_info_reply(msg)
                        return
                if not await self._async_is_alive():
                    raise RuntimeError("Kernel died before replying to kernel_info")
                if time.time() > deadline:
                    raise RuntimeError(f"Kernel didn't respond in {int(timeout or 0)} seconds")  # jupyter_client's %d

    return QuickReady
