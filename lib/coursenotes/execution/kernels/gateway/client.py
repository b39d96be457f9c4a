"""jupyter_server's gateway kernel manager and client, with the fixes a standalone build needs.

Four small fixes are made in subclasses (see docs/gateway.md): each manager carries its own
GatewayClient (upstream reads a process-wide singleton, so one process could use one gateway),
the websocket is opened with the auth header (upstream opens it without, so a gateway with a
token answers 401), the channel queues wait without spinning a core, and a keep-alive ping lets
a dead host be noticed in bounded time. Everything here imports jupyter_server lazily, so
`--help` stays fast.
"""

from __future__ import annotations

import asyncio
import json
import os
import threading
from queue import Empty
from time import monotonic

from coursenotes.execution.kernels.gateway.http import LOST, SPEC_TIMEOUT, log

PING_SECONDS = 10.0  # seconds between websocket pings (the recv timeout is 40 s)


def connection(url: str, token: str | None):
    """A GatewayClient for one gateway: its own instance, never the process-wide singleton."""
    from jupyter_server.gateway.gateway_client import GatewayClient

    timeout = float(os.environ.get("JUPYTER_GATEWAY_CONNECT_TIMEOUT", SPEC_TIMEOUT))
    return GatewayClient(url=url, auth_token=token, log=log, connect_timeout=timeout)


async def request(gc, endpoint: str, **kwargs):
    """One REST call to `gc`'s gateway, failing as upstream's `gateway_request` does (a tornado HTTPError)."""
    from socket import gaierror

    from jupyter_server.gateway.gateway_client import RetryableHTTPClient
    from tornado import web
    from tornado.httpclient import HTTPClientError

    try:
        return await RetryableHTTPClient().fetch(endpoint, **gc.load_connection_args(**kwargs))
    except HTTPClientError as e:
        body = e.response.body.decode(errors="replace") if e.response is not None and e.response.body else ""
        try:
            reply = json.loads(body)  # Jupyter's error body: {"message": ..., "reason": ...}
            detail = reply.get("message") or reply.get("reason") or body
        except (ValueError, AttributeError):
            detail = body
        raise web.HTTPError(e.code, "%s", detail or e.message) from e
    except ConnectionError as e:
        raise web.HTTPError(503, "connection refused") from e
    except gaierror as e:
        raise web.HTTPError(404, "unknown host") from e


def manager_for(gc):
    """The kernel manager class bound to one gateway's GatewayClient (nbclient takes a class)."""
    manager, _ = classes()
    return type("BoundManager", (manager,), {"gateway": gc})


def classes():
    """The kernel manager and client classes, built on first use so `--help` never imports jupyter_server."""
    global _classes
    if _classes:
        return _classes
    import websocket
    from jupyter_server.gateway.managers import ChannelQueue, GatewayKernelClient, GatewayKernelManager, HBChannelQueue
    from jupyter_server.utils import url_escape, url_path_join
    from tornado import web
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
            gc = self.parent.gateway
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
        """GatewayKernelManager over its own `gateway` (a GatewayClient), starting the kernel named at construction."""

        gateway = None  # set by manager_for: this manager's GatewayClient
        client_factory = Type(default_value=Client, klass=GatewayKernelClient)

        def __init__(self, **kwargs):
            super(GatewayKernelManager, self).__init__(**kwargs)  # upstream's __init__ reads the singleton
            self.kernels_url = url_path_join(self.gateway.url or "", self.gateway.kernels_endpoint)
            self.kernel = self.kernel_id = None
            self.execution_state = "starting"

        @default("log")
        def _log(self):
            return log

        async def start_kernel(self, **kwargs):
            """POST /api/kernels with the kernel's name and the KERNEL_* environment (as upstream sends)."""
            env = {k: v for k, v in os.environ.items() if k.startswith("KERNEL_")}
            env.update(kwargs.get("env") or {})
            body = json.dumps({"name": kwargs.get("kernel_name") or self.kernel_name, "env": env})
            headers = {"Content-Type": "application/json"}
            response = await request(self.gateway, self.kernels_url, method="POST", headers=headers, body=body)
            self.kernel = json.loads(response.body)
            self.kernel_id = self.kernel["id"]
            self.kernel_url = url_path_join(self.kernels_url, url_escape(str(self.kernel_id)))

        async def shutdown_kernel(self, now=False, restart=False):
            """DELETE the kernel; one already gone is fine."""
            if self.has_kernel:
                try:
                    await request(self.gateway, self.kernel_url, method="DELETE")
                except web.HTTPError as e:
                    if e.status_code != 404:  # already gone
                        raise
                self.kernel = None

        async def _post(self, action: str):
            """POST /api/kernels/<id>/<action>."""
            if self.has_kernel:
                headers = {"Content-Type": "application/json"}
                await request(self.gateway, f"{self.kernel_url}/{action}", method="POST", headers=headers, body="{}")

        async def restart_kernel(self, **kw):
            """Ask the gateway to restart the kernel."""
            await self._post("restart")

        async def interrupt_kernel(self):
            """Ask the gateway to interrupt the kernel."""
            await self._post("interrupt")

        async def refresh_model(self, model=None):
            """The kernel's model from the gateway (None once it is gone)."""
            if model is None:
                try:
                    model = json.loads((await request(self.gateway, self.kernel_url, method="GET")).body)
                except web.HTTPError as e:
                    if e.status_code != 404:
                        raise
            self.kernel = model
            return model

    _classes = (Manager, Client)
    return _classes


_classes = None
