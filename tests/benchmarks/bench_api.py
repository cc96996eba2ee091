"""The API under load, from a second process on loopback: one uvicorn worker, payment POSTs
and tranche-reconciliation GETs, bounded in count. Compared with the database's raw
single-commit rate measured in the ledger benchmark."""

from __future__ import annotations

import socket
import statistics
import subprocess
import sys
import threading
import time

import httpx

from ledger.db.engine import make_engine
from ledger.db.users import add_user
from tests.benchmarks.harness import Report, Result, fresh_database, scaled
from tests.benchmarks.world import build_world

CLIENTS = 4


def prepare(url: str) -> str:
    build_world(url, "B-1", "1000000000.00")
    engine = make_engine(url)
    token = add_user(engine, "bench", "finance")
    engine.dispose()
    return token


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def serve(url: str, port: int) -> subprocess.Popen:
    code = f"import uvicorn; from api.http.app import create_app; uvicorn.run(create_app({url!r}), host='127.0.0.1', port={port}, workers=1, log_level='warning')"
    process = subprocess.Popen([sys.executable, "-c", code])
    for _ in range(100):
        try:
            httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1)
            return process
        except httpx.HTTPError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError("the API did not start")


def load(port: int, token: str, requests: int, make) -> tuple[float, list[float], int]:  # noqa: ANN001
    latencies: list[float] = []
    failures = 0
    lock = threading.Lock()

    def worker(number: int) -> None:
        nonlocal failures
        with httpx.Client(
            base_url=f"http://127.0.0.1:{port}",
            headers={"Authorization": f"Bearer {token}"},
            timeout=10,
        ) as client:
            for index in range(number, requests, CLIENTS):
                start = time.perf_counter()
                response = make(client, index)
                elapsed = (time.perf_counter() - start) * 1000
                with lock:
                    latencies.append(elapsed)
                    failures += response.status_code >= 300

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(CLIENTS)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return requests / (time.perf_counter() - start), latencies, failures


def p99(values: list[float]) -> float:
    return statistics.quantiles(values, n=100)[98]


def run(report: Report, backend: str) -> None:
    with fresh_database(backend) as url:
        token = prepare(url)
        port = free_port()
        server = serve(url, port)
        try:

            def pay(client: httpx.Client, index: int) -> httpx.Response:
                body = {"amount": "1.00", "paid_on": "2025-01-01", "reason": "bench"}
                return client.post(
                    "/api/v1/beschikkingen/B-1/payments",
                    json=body,
                    headers={"Idempotency-Key": f"p{index}"},
                )

            rate, latencies, failures = load(port, token, scaled(3000), pay)
            report.add(Result("API payment POSTs, 1 uvicorn worker, 4 clients", backend, rate, "req/s", None, "", ">= 300/s, p99 < 50 ms",
                              rate >= 300 and p99(latencies) < 50 and failures == 0,
                              note=f"p99 {p99(latencies):.1f} ms, {failures} failed"))  # fmt: skip
            _, latencies, failures = load(
                port, token, scaled(300), lambda c, i: c.get("/api/v1/reports/tranches")
            )
            report.add(Result("API tranche reconciliation GET", backend, statistics.median(latencies), "ms (median)", None, "",
                              "p99 < 50 ms", p99(latencies) < 50 and failures == 0, note=f"p99 {p99(latencies):.1f} ms"))  # fmt: skip
        finally:
            server.terminate()
            server.wait(timeout=10)
