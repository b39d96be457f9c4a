"""Calling a small function inside a gateway kernel, without touching the post's namespace or counts.

The function's source travels in a user expression of a silent execute request: it runs in a
throwaway namespace, so it adds no names, no history and no execution count, and the post's
outputs stay as a local run's. The function returns a plain literal (dict, str, bool...), which
comes back as its repr and is read with `ast.literal_eval`.
"""

from __future__ import annotations

import ast


class RemoteCallError(Exception):
    """The function raised inside the kernel (the message is `Name: value`)."""


def expression(source: str, *args) -> str:
    """A user expression that defines `main` from `source` in a fresh namespace and returns main(*args)."""
    return f"(lambda ns: (exec({source!r}, ns), ns['main'](*{args!r}))[1])({{}})"


async def call(client, source: str, *args):
    """The value `main(*args)` returns in the client's kernel; RemoteCallError when it raises."""
    kc = client.kc
    msg_id = kc.execute("", silent=True, store_history=False, user_expressions={"cn": expression(source, *args)})
    reply = await client.async_wait_for_reply(msg_id)
    value = (reply or {}).get("content", {}).get("user_expressions", {}).get("cn") or {}
    if value.get("status") != "ok":
        raise RemoteCallError(f"{value.get('ename', 'no reply')}: {value.get('evalue', '')}".rstrip(": "))
    try:
        return ast.literal_eval(value.get("data", {}).get("text/plain", "None"))
    except (ValueError, SyntaxError):
        return None
