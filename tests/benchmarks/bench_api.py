"""The API under load, from a second process on loopback: one uvicorn worker, payment POSTs
and tranche-reconciliation GETs on the demo ledger, bounded in count. Payments are compared
with the raw single-commit rate of the same database, measured in the same run."""

from __future__ import annotations

import statistics
import threading
import time

import httpx

from api.demo import load_demo
from api.http.users import add_user
from ledger.db.engine import make_engine
from ledger.regio.db.service import RegioService
from tests import server
from tests.benchmarks.harness import Report, Result, fresh_database, scaled
from tests.benchmarks.world import build_world

CLIENTS = 4


def prepare(url: str) -> str:
    """The demo ledger plus the benchmark's own beschikking B-1 to pay on; a finance token."""
    engine = make_engine(url)
    load_demo(RegioService(engine))
    engine.dispose()
    build_world(url, "B-1", "1000000000.00")
    engine = make_engine(url)
    token = add_user(engine, "bench", "finance")
    engine.dispose()
    return token


def raw_commit_rate(url: str, count: int) -> float:
    """Commits per second of one small INSERT each, through the bare driver connection."""
    engine = make_engine(url)
    with engine.connect() as connection:
        driver = connection.connection.dbapi_connection
        cursor = driver.cursor()
        cursor.execute("CREATE TABLE bench_raw_commit (id INTEGER PRIMARY KEY, note TEXT)")
        driver.commit()
        mark = "?" if engine.dialect.paramstyle == "qmark" else "%s"
        start = time.perf_counter()
        for number in range(count):
            if engine.dialect.name == "sqlite":
                cursor.execute("BEGIN IMMEDIATE")
            cursor.execute(f"INSERT INTO bench_raw_commit VALUES ({mark}, {mark})", (number, "x"))
            driver.commit()
        rate = count / (time.perf_counter() - start)
        cursor.execute("DROP TABLE bench_raw_commit")
        driver.commit()
    engine.dispose()
    return rate


def load(
    port: int, token: str, requests: int, make, clients: int = CLIENTS
) -> tuple[float, list[float], int]:  # noqa: ANN001
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
            for index in range(number, requests, clients):
                start = time.perf_counter()
                response = make(client, index)
                elapsed = (time.perf_counter() - start) * 1000
                with lock:
                    latencies.append(elapsed)
                    failures += response.status_code >= 300

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(clients)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return requests / (time.perf_counter() - start), latencies, failures


def report_get(report: Report, backend: str, port: int, token: str) -> None:
    """The reconciliation GET on the demo ledger: one officer at a time and four at once, as
    served (kept until the next write), and each GET right after a write (computed afresh:
    the cost of the reconciliation itself, for information)."""

    def get(client: httpx.Client, _index: int) -> httpx.Response:
        return client.get("/api/v1/reports/tranches")

    for clients in (1, CLIENTS):
        _, latencies, failures = load(port, token, scaled(300), get, clients=clients)
        report.add(
            Result(
                f"API tranche reconciliation GET on the demo ledger, {clients} client(s)",
                backend,
                statistics.median(latencies),
                "ms (median)",
                None,
                "",
                "p99 < 50 ms",
                p99(latencies) < 50 and failures == 0,
                note=f"p99 {p99(latencies):.1f} ms, {failures} failed",
            )
        )
    fresh = []
    with httpx.Client(
        base_url=f"http://127.0.0.1:{port}",
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
    ) as client:
        for index in range(scaled(100)):
            client.post(
                "/api/v1/beschikkingen/B-1/payments",
                headers={"Idempotency-Key": f"fresh{index}"},
                json={"amount": "1.00", "paid_on": "2025-01-01", "reason": "bench"},
            )
            start = time.perf_counter()
            get(client, index).raise_for_status()
            fresh.append((time.perf_counter() - start) * 1000)
    report.add(
        Result(
            "API tranche reconciliation GET right after a write (computed afresh), 1 client",
            backend,
            statistics.median(fresh),
            "ms (median)",
            None,
            "",
            "-",
            None,
            note=f"p99 {p99(fresh):.1f} ms",
        )
    )


def p99(values: list[float]) -> float:
    return statistics.quantiles(values, n=100)[98]


def pay(client: httpx.Client, index: int, prefix: str = "p") -> httpx.Response:
    body = {"amount": "1.00", "paid_on": "2025-01-01", "reason": "bench"}
    return client.post(
        "/api/v1/beschikkingen/B-1/payments",
        json=body,
        headers={"Idempotency-Key": f"{prefix}{index}"},
    )


def report_payments(
    report: Report, backend: str, port: int, token: str, raw: float, workers: int, prefix: str
) -> None:
    """Payment POSTs against the raw single-commit rate: on SQLite at least 300/s; on
    PostgreSQL at least 0.3 of the raw rate with one worker, and two workers printed beside."""
    rate, latencies, failures = load(
        port, token, scaled(3000), lambda client, index: pay(client, index, prefix)
    )
    if backend == "sqlite":
        target, met = ">= 300/s, p99 < 50 ms", rate >= 300 and p99(latencies) < 50
    elif workers == 1:
        target, met = ">= 0.3 x raw, p99 < 50 ms", rate >= 0.3 * raw and p99(latencies) < 50
    else:
        target, met = "- (printed beside one worker)", None
    report.add(
        Result(
            f"API payment POSTs, {workers} uvicorn worker{'s' if workers > 1 else ''}, {CLIENTS} clients",
            backend,
            rate,
            "req/s",
            raw,
            "commits/s (bare driver, one INSERT per commit)",
            target,
            met if not failures else False,
            note=f"p99 {p99(latencies):.1f} ms, {failures} failed",
        )
    )


def run(report: Report, backend: str) -> None:
    with fresh_database(backend) as url:
        token = prepare(url)
        raw = raw_commit_rate(url, scaled(1000))
        for workers in (1, 2) if backend == "postgresql" else (1,):
            port = server.free_port()
            process, _ = server.start(url, port, workers=workers)
            try:
                report_payments(report, backend, port, token, raw, workers, f"w{workers}-")
                if workers == 1:
                    report_get(report, backend, port, token)
            finally:
                server.stop(process)
