"""jupyter_server's gateway kernel manager and client, with the fixes a standalone build needs.

Three small fixes are made in subclasses (see docs/gateway.md): the websocket is opened with the
auth header (upstream opens it without, so a gateway with a token answers 401), the channel
queues wait without spinning a core, and a keep-alive ping lets a dead host be noticed in
bounded time. Everything here imports jupyter_server lazily, so `--help` stays fast.
"""

from __future__ import annotations

import asyncio
import os
import threading
from queue import Empty
from time import monotonic

from coursenotes.execution.kernels.gateway.http import LOST, SPEC_TIMEOUT, log

PING_SECONDS = 10.0  # seconds between websocket pings (the recv timeout is 40 s)


def configure(url: str, token: str | None) -> None:
    """Point jupyter_server's GatewayClient singleton at this gateway (one gateway per process at a time)."""
    from jupyter_server.gateway.gateway_client import GatewayClient

    current = GatewayClient.initialized() and GatewayClient.instance()
    if current and current.url == url and current.auth_token == token:
        return
    GatewayClient.clear_instance()
    GatewayClient.instance(
        url=url,
        auth_token=token,
        log=log,
        connect_timeout=float(os.environ.get("JUPYTER_GATEWAY_CONNECT_TIMEOUT", SPEC_TIMEOUT)),
    )


def classes():
    """The kernel manager and client classes, built on first use so `--help` never imports jupyter_server."""
    global _classes
    if _classes:
        return _classes
    import websocket
    from jupyter_server.gateway.gateway_client import GatewayClient
    from jupyter_server.gateway.managers import ChannelQueue, GatewayKernelClient, GatewayKernelManager, HBChannelQueue
    from jupyter_server.utils import url_escape, url_path_join
    from traitlets import Type, default

    class Queue(ChannelQueue):
        """Waits in short sleeps (upstream spins on sleep(0), a whole core per running post)."""

        kernel_gone = False

        async def _async_get(self, timeout=None):
            end, delay = monotonic() + (float("inf") if timeout is None else timeout), 0.001
            while True:
                try:
                    return self.get(block=False)
                except Empty:
                    if self.response_router_finished:
                        raise RuntimeError(LOST) from None
                    if monotonic() > end:
                        raise
                    await asyncio.sleep(delay)
                    delay = min(delay * 2, 0.02)

        def put_nowait(self, msg):
            # The gateway announces a kernel that died (and is being restarted) as a bare status message.
            if msg.get("msg_type") == "status" and msg.get("content", {}).get("execution_state") in (
                "restarting",
                "dead",
            ):
                self.kernel_gone = True
            super().put_nowait(msg)

    class HBQueue(Queue, HBChannelQueue):
        """The heartbeat channel, waiting the same way."""

    class Client(GatewayKernelClient):
        """GatewayKernelClient whose websocket carries the auth header and is kept alive by pings."""

        async def start_channels(self, shell=True, iopub=True, stdin=True, hb=True, control=True):
            gc = GatewayClient.instance()
            url = url_path_join(gc.ws_url or "", gc.kernels_endpoint, url_escape(self.kernel_id), "channels")
            ssl = {"ca_certs": gc.ca_certs, "certfile": gc.client_cert, "keyfile": gc.client_key}
            headers = gc.load_connection_args().get("headers", {})
            self.channel_socket = websocket.create_connection(
                url, timeout=gc.KERNEL_LAUNCH_TIMEOUT, enable_multithread=True, sslopt=ssl, header=headers
            )
            for name in ("shell", "iopub", "stdin", "hb", "control"):
                queue = (HBQueue if name == "hb" else Queue)(name, self.channel_socket, self.log)
                setattr(self, f"_{name}_channel", queue)
                self._channel_queues[name] = queue
            super(GatewayKernelClient, self).start_channels(
                shell=shell, iopub=iopub, stdin=stdin, hb=hb, control=control
            )
            self.response_router = threading.Thread(target=self._route_responses, daemon=True)
            self.response_router.start()
            self._stop = threading.Event()
            threading.Thread(target=self._keep_alive, daemon=True).start()

        lost = False  # the websocket closed under us
        kernel_gone = False  # the gateway said the kernel died
        _stop = None  # set when the channels stop: ends the keep-alive thread

        def _route_responses(self):
            super()._route_responses()
            self.lost = not self._channels_stopped

        async def _async_is_alive(self) -> bool:
            """Alive while the socket is open and the gateway has not reported the kernel dead (upstream asserts)."""
            self.kernel_gone = self.kernel_gone or getattr(self._iopub_channel, "kernel_gone", False)
            return not (self.lost or self.kernel_gone or self._channels_stopped)

        is_alive = _async_is_alive

        def _keep_alive(self):
            """Ping so a silent long cell keeps the socket busy and a vanished host times out the reader."""
            while not self._stop.wait(PING_SECONDS):
                try:
                    self.channel_socket.ping()
                except Exception:
                    return

        def stop_channels(self):
            if self._stop:
                self._stop.set()
            if self.channel_socket is None or self.response_router is None:  # never opened (upstream asserts)
                self._channels_stopped = True
                if self.channel_socket is not None:
                    self.channel_socket.close()
                return
            super().stop_channels()

    class Manager(GatewayKernelManager):
        """GatewayKernelManager that starts the kernel named at construction (upstream reads only kwargs)."""

        client_factory = Type(default_value=Client, klass=GatewayKernelClient)

        @default("log")
        def _log(self):
            return log

        async def start_kernel(self, **kwargs):
            kwargs.setdefault("kernel_name", self.kernel_name)
            return await super().start_kernel(**kwargs)

    _classes = (Manager, Client)
    return _classes


_classes = None
