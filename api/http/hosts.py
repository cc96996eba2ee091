"""The hosts this service answers as, and the header every answer carries.

A request whose ``Host`` is not an allowed host is refused before anything reads it (400
``host_not_allowed``): a page served under another name (DNS rebinding: ``Host: evil`` with
``Origin: http://evil``) would otherwise pass the dashboard's same-origin check, which compares
the ``Origin`` with the ``Host``. The allowed hosts are ``REGIOLEDGER_ALLOWED_HOSTS`` (names,
comma-separated, without ports); ``regioledger serve`` sets them to the host it listens on when
the variable is not set, and the default is the loopback names ``serve`` listens on by default.

Every answer, a download too, says ``X-Content-Type-Options: nosniff``: a browser takes its
media type as given and never guesses a workbook or a CSV into a page.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from typing import Any

ALLOWED_HOSTS_VARIABLE = "REGIOLEDGER_ALLOWED_HOSTS"
LOOPBACK = ("127.0.0.1", "localhost")


def allowed_hosts() -> frozenset[str]:
    said = os.environ.get(ALLOWED_HOSTS_VARIABLE, "")
    names = [name.strip().lower() for name in said.split(",") if name.strip()]
    return frozenset(names or LOOPBACK)


def hosts_for(listening_on: str) -> str:
    """What ``serve`` allows when it is not told: the host it listens on (with its loopback
    aliases); an empty answer when it listens on every address, where only the operator knows
    the names users will type."""
    if listening_on in ("0.0.0.0", "::", ""):
        return ""
    return ",".join(dict.fromkeys([listening_on, *(LOOPBACK if listening_on in LOOPBACK else ())]))


def _host_name(headers: Iterable[tuple[bytes, bytes]]) -> str:
    host = next((value.decode("latin-1") for name, value in headers if name == b"host"), "")
    if host.startswith("["):  # an IPv6 literal: [::1]:8000
        return host[1:].split("]", 1)[0].lower()
    return host.rsplit(":", 1)[0].lower() if host.count(":") == 1 else host.lower()


class AllowedHosts:
    """ASGI middleware: refuses a request to a host that is not allowed, and marks every
    answer ``nosniff``."""

    def __init__(self, app: Any, hosts: frozenset[str] | None = None) -> None:
        self.app = app
        self.hosts = hosts if hosts is not None else allowed_hosts()

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        if _host_name(scope["headers"]) not in self.hosts:
            await _refuse(send)
            return

        async def marked(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                headers = [h for h in message.get("headers", []) if h[0] != NOSNIFF[0]]
                message = {**message, "headers": [*headers, NOSNIFF]}
            await send(message)

        await self.app(scope, receive, marked)


NOSNIFF = (b"x-content-type-options", b"nosniff")


async def _refuse(send: Any) -> None:
    body = json.dumps(
        {
            "type": "https://regioledger.invalid/problems/host_not_allowed",
            "title": "This service does not answer to that host name.",
            "status": 400,
            "code": "host_not_allowed",
            "detail": f"Use the address the service is published under (its operator sets "
            f"{ALLOWED_HOSTS_VARIABLE}).",
        }
    ).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 400,
            "headers": [
                (b"content-type", b"application/problem+json"),
                (b"content-length", str(len(body)).encode()),
                NOSNIFF,
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
