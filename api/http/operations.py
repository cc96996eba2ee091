"""Operating the service: a request id on every request and every log line, Prometheus metrics
at ``/metrics``, logs as JSON lines on request (``REGIOLEDGER_LOG_FORMAT=json``), and ``/readyz``.

- **Request id**: ``X-Request-ID`` is taken from the request when it is a plain token (letters,
  digits, ``.``, ``_``, ``-``; at most 128), made otherwise (32 hex digits), returned on the
  response and put on every log line written while the request is served.
- **Metrics** (prometheus-client, one registry per app): requests by route template, method and
  status; latencies by route; bookings (a write answered 201); refusals by their stable code;
  uploads (statements and reconciliations) by outcome.
"""

from __future__ import annotations

import json
import logging
import os
import re
import time
import uuid
from contextvars import ContextVar
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Histogram
from starlette.types import ASGIApp, Message, Receive, Scope, Send

REQUEST_ID: ContextVar[str] = ContextVar("request_id", default="-")
#: The problem codes refused while serving the current request (``api.http.problems`` adds to
#: it; a list, so that a route run in a worker thread adds to the same one).
REFUSED: ContextVar[list[str] | None] = ContextVar("refused", default=None)
HEADER = "x-request-id"
ACCEPTED = re.compile(r"[A-Za-z0-9._-]{1,128}")
UPLOADS = ("/statements", "/reconciliations")
log = logging.getLogger("regioledger.requests")


class Metrics:
    """The service's metrics, in a registry of its own (so two apps in one process, as in the
    tests, never share or clash)."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "regioledger_requests",
            "HTTP requests answered, by route template, method and status.",
            ["route", "method", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "regioledger_request_seconds",
            "Time to answer a request, by route template and method.",
            ["route", "method"],
            registry=self.registry,
        )
        self.bookings = Counter(
            "regioledger_bookings",
            "Writes that booked (answered 201), by route template.",
            ["route"],
            registry=self.registry,
        )
        self.refusals = Counter(
            "regioledger_refusals",
            "Refusals, by their stable problem code.",
            ["code"],
            registry=self.registry,
        )
        self.uploads = Counter(
            "regioledger_uploads",
            "Uploaded files (statements, reconciliations), by kind and outcome.",
            ["kind", "outcome"],
            registry=self.registry,
        )

    def observe(self, route: str, method: str, status: int, seconds: float) -> None:
        self.requests.labels(route, method, str(status)).inc()
        self.latency.labels(route, method).observe(seconds)
        if method == "POST" and status == 201:
            self.bookings.labels(route).inc()
        kind = next((k.strip("/") for k in UPLOADS if route.endswith(k)), None)
        if method == "POST" and kind is not None:
            outcome = "booked" if status < 300 else "refused" if status < 500 else "failed"
            self.uploads.labels(kind, outcome).inc()


def note_refusal(code: str) -> None:
    """Count a refusal of the current request (``regioledger_refusals_total``)."""
    found = REFUSED.get()
    if found is not None:
        found.append(code)


def request_id_of(scope: Scope) -> str:
    for name, value in scope.get("headers", []):
        if name == HEADER.encode():
            given = value.decode("latin-1")
            if ACCEPTED.fullmatch(given):
                return given
    return uuid.uuid4().hex


class Observed:
    """Pure ASGI middleware: a request id and metrics for every HTTP request, one log line each."""

    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app, self.metrics = app, metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = request_id_of(scope)
        token, refused = REQUEST_ID.set(request_id), REFUSED.set([])
        started, status = time.perf_counter(), 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [
                    *message.get("headers", []),
                    (HEADER.encode(), request_id.encode()),
                ]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            seconds = time.perf_counter() - started
            route = getattr(scope.get("route"), "path", "unmatched")
            self.metrics.observe(route, scope["method"], status, seconds)
            for code in REFUSED.get() or []:
                self.metrics.refusals.labels(code).inc()
            log.info(
                "%s %s %s %.1f ms",
                scope["method"],
                route,
                status,
                seconds * 1000,
                extra={"route": route, "status": status, "ms": round(seconds * 1000, 1)},
            )
            REQUEST_ID.reset(token)
            REFUSED.reset(refused)


class WithRequestId(logging.Filter):
    """Puts the current request's id on every log record (``-`` outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = REQUEST_ID.get()
        return True


class JsonLines(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request id, and what the
    request log adds (route, status, ms)."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "-"),
        }
        for extra in ("route", "status", "ms"):
            if hasattr(record, extra):
                line[extra] = getattr(record, extra)
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False)


#: The loggers whose lines the service writes: its own, and the server's (``regioledger
#: serve`` turns uvicorn's access log off: the request line above replaces it).
LOGGERS = ("regioledger", "uvicorn")


def configure_logging(log_format: str | None = None) -> None:
    """Logs of the service on stderr, as text or JSON lines, each with its request id (``-``
    outside a request). ``REGIOLEDGER_LOG_FORMAT=json`` asks for JSON."""
    chosen = log_format or os.environ.get("REGIOLEDGER_LOG_FORMAT", "text")
    handler = logging.StreamHandler()
    handler.regioledger = True  # type: ignore[attr-defined]
    handler.addFilter(WithRequestId())
    handler.setFormatter(
        JsonLines()
        if chosen == "json"
        else logging.Formatter("%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s")
    )
    for name in LOGGERS:
        logger = logging.getLogger(name)
        for old in [h for h in logger.handlers if getattr(h, "regioledger", False)]:
            logger.removeHandler(old)
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
