"""Talking to a Jupyter gateway over HTTP: the preflight kernelspec request, and failures as one line."""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.request

from coursenotes.errors import ExecutionError
from coursenotes.settings import GatewaySettings

SPEC_TIMEOUT = 10.0  # seconds for the preflight GET /api/kernelspecs
LOST = "the connection to the gateway was lost"

log = logging.getLogger("coursenotes.gateway")
log.addHandler(logging.NullHandler())  # the CLI prints one line per problem, not library logs


class GatewayError(ExecutionError):
    """The gateway could not run a post: unreachable, refused, no such kernel, connection lost."""


def http_problem(code: int, body: str) -> str:
    """What an HTTP status from the gateway means to an author."""
    try:
        detail = json.loads(body).get("message") or ""
    except (ValueError, AttributeError):
        detail = ""
    if code == 401:
        return "the token was refused (HTTP 401 Unauthorized); check --gateway-token or JUPYTER_GATEWAY_AUTH_TOKEN"
    if code == 403:
        return "access is forbidden (HTTP 403 Forbidden); check the token and the gateway's limits" + (
            f": {detail}" if detail else ""
        )
    if code == 404:
        return "no Jupyter kernel API here (HTTP 404); check the URL and its base path"
    return f"HTTP {code}" + (f": {detail}" if detail else "")


def kernelspecs(settings: GatewaySettings, timeout: float = SPEC_TIMEOUT) -> dict:
    """GET /api/kernelspecs: {'default': name, 'kernelspecs': {...}}, or a GatewayError saying why not."""
    req = urllib.request.Request(
        settings.url + "/api/kernelspecs", headers={"Authorization": f"token {settings.token}"}
    )
    try:
        # No proxies from the environment: the kernel requests (tornado's client) do not use them either.
        with urllib.request.build_opener(urllib.request.ProxyHandler({})).open(req, timeout=timeout) as r:
            body = r.read().decode()
    except urllib.error.HTTPError as e:
        raise GatewayError(f"{settings.label}: {http_problem(e.code, e.read().decode(errors='replace'))}") from None
    except (urllib.error.URLError, OSError) as e:
        reason = getattr(e, "reason", e)
        what = (
            "timed out"
            if isinstance(reason, TimeoutError) or "timed out" in str(reason)
            else getattr(reason, "strerror", None) or str(reason)
        )
        raise GatewayError(f"{settings.label}: not reachable ({what}); is the gateway running?") from None
    try:
        specs = json.loads(body)
    except ValueError:
        specs = None
    if not isinstance(specs, dict) or not isinstance(specs.get("kernelspecs"), dict):
        raise GatewayError(f"{settings.label}: did not answer like a Jupyter gateway (GET /api/kernelspecs)")
    return specs


def chain(e: BaseException | None):
    """The exception and everything it was raised from or during."""
    seen = set()
    while e is not None and id(e) not in seen:
        seen.add(id(e))
        yield e
        e = e.__cause__ or e.__context__


def problem(e: BaseException, kc=None) -> str:
    """A one-line reason for an exception met while running a post over the gateway."""
    from tornado import web
    from websocket import WebSocketBadStatusException

    if kc is not None and kc.lost:
        return LOST
    if kc is not None and kc.kernel_gone:
        return "the kernel died (the gateway restarted it)"
    errors = list(chain(e))
    for x in errors:
        if isinstance(x, RuntimeError) and LOST in str(x):
            return LOST
    for x in errors:
        if isinstance(x, WebSocketBadStatusException):
            return http_problem(x.status_code, "") + " opening the kernel's websocket"
    for x in errors:
        if isinstance(x, web.HTTPError):
            if x.status_code == 503:
                return "not reachable (connection refused); is the gateway running?"
            if x.status_code == 599:
                return "timed out"
            return http_problem(x.status_code, json.dumps({"message": (x.log_message or "") % tuple(x.args)}))
    for x in errors:
        if isinstance(x, OSError):
            return f"{LOST} ({x})"
    last = errors[-1]
    detail = str(last).strip().splitlines()
    return f"{type(last).__name__}: {detail[0]}" if detail else type(last).__name__
