"""A real API server for the tests and benchmarks that need one: a separate uvicorn process on
a free loopback port, set up as `regioledger serve` sets it up, waited for until it answers,
and stopped (or killed) by its caller."""

from __future__ import annotations

import itertools
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

import httpx

from api.cli.main import SERVER_OPTIONS

#: Each test worker (pytest-xdist's ``gw0``, ``gw1``, ...) takes its ports from a range of its
#: own, below the range the system hands out for outgoing connections (32768 and up on Linux):
#: a port one process found free cannot be taken by another before its server binds it, and a
#: health check never reaches another worker's server.
_PORTS_PER_WORKER = 1000
_next_port = itertools.count()


def free_port() -> int:
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw")
    first = 20000 + (int(worker) if worker.isdigit() else 0) % 12 * _PORTS_PER_WORKER
    for _ in range(_PORTS_PER_WORKER):
        port = first + next(_next_port) % _PORTS_PER_WORKER
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue  # in use (a server of this worker's, not yet gone, or another program)
            return port
    raise RuntimeError(f"no free port from {first} to {first + _PORTS_PER_WORKER - 1}")


def start(
    url: str,
    port: int | None = None,
    *,
    workers: int = 1,
    log_level: str = "warning",
    capture: bool = False,
    env: dict[str, str] | None = None,
) -> tuple[subprocess.Popen, str]:
    """Start ``uvicorn`` on the ledger at ``url``; returns the process and its base URL."""
    port = port or free_port()
    command = [
        sys.executable,
        "-m",
        "uvicorn",
        "--factory",
        "api.app:create_app",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--log-level",
        log_level,
        *(f"--{option}={value}" for option, value in SERVER_OPTIONS.items()),
    ]
    output = subprocess.PIPE if capture else subprocess.DEVNULL
    process = subprocess.Popen(
        command,
        env={**os.environ, "REGIOLEDGER_DATABASE_URL": url, **(env or {})},
        stdout=output,
        stderr=subprocess.STDOUT if capture else subprocess.DEVNULL,
        text=True,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                return process, base
        except httpx.HTTPError:
            time.sleep(0.1)
    kill(process)
    raise RuntimeError("the API did not start")


def kill(process: subprocess.Popen) -> None:
    """SIGKILL the server and its workers: no shutdown, no flush, as in a crash."""
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=20)


def stop(process: subprocess.Popen) -> str:
    """A clean stop; returns what it wrote, if it was captured."""
    os.killpg(process.pid, signal.SIGTERM)
    output, _ = process.communicate(timeout=20)
    return output or ""


@contextmanager
def running(url: str, **options: object) -> Iterator[str]:
    process, base = start(url, **options)  # type: ignore[arg-type]
    try:
        yield base
    finally:
        stop(process)
