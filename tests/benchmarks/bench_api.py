"""The API under load from a second process on loopback (``tests.benchmarks.load``: wrk where
installed): one uvicorn worker, payment POSTs and tranche-reconciliation GETs on the demo
ledger. Payments are compared with the raw single-commit rate of the same database, measured
in the same run. The GET right after a write is one client in this process, one at a time."""

from __future__ import annotations

import statistics
import time

import httpx

from api.demo import load_demo
from api.http.users import add_user
from ledger.db.engine import make_engine
from ledger.regio.db.service import RegioService
from tests import server
from tests.benchmarks import ceiling, load
from tests.benchmarks.harness import Report, Result, fresh_database, scaled
from tests.benchmarks.processes import group_cpu_seconds
from tests.benchmarks.world import build_world

CLIENTS = 4
#: Payments come from eight clients at once: on PostgreSQL what waits together commits together
#: (``ledger.db.group_commit``).
PAYING_CLIENTS = 8


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


def report_get(report: Report, backend: str, port: int, token: str) -> None:
    """The reconciliation GET on the demo ledger: one officer at a time and four at once, as
    served (kept until the next write), and each GET right after a write (computed afresh:
    the cost of the reconciliation itself, for information)."""

    # A warm-up, not counted: the answer computed once after the payments before it, and
    # the new server process's first large answers (its memory grows to hold them).
    load.run(port, token, kind="get", clients=CLIENTS, requests=scaled(300))
    for clients in (1, CLIENTS):
        got = load.run(port, token, kind="get", clients=clients, requests=scaled(300))
        report.add(
            Result(
                f"API tranche reconciliation GET on the demo ledger, {clients} client(s)",
                backend,
                got.p50_ms,
                "ms (median)",
                None,
                "",
                "p99 < 50 ms",
                got.p99_ms < 50 and got.failed == 0,
                note=f"p99 {got.p99_ms:.1f} ms, {got.failed} of {got.requests} failed; {got.client}",
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
                load.PAYMENT_PATH,
                content=load.PAYMENT_BODY,
                headers={"Idempotency-Key": f"fresh{index}", "Content-Type": "application/json"},
            )
            start = time.perf_counter()
            client.get(load.RECONCILIATION_PATH).raise_for_status()
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
            note=f"p99 {load.p99(fresh):.1f} ms",
        )
    )


def report_payments(
    report: Report,
    backend: str,
    port: int,
    token: str,
    raw: float,
    workers: int,
    prefix: str,
    server_group: int,
) -> None:
    """Payment POSTs from eight clients against the raw single-commit rate: on SQLite at least
    300/s; on PostgreSQL, where they commit in groups, at least the raw rate with one worker and
    p99 under 100 ms, two workers printed beside.
    Beside the rate, the server's CPU time per payment (all its workers): on one worker, one
    core can serve at most 1000 / that many milliseconds payments a second."""
    before = group_cpu_seconds(server_group)
    paid = load.run(
        port, token, kind="pay", clients=PAYING_CLIENTS, requests=scaled(3000), prefix=prefix
    )
    cpu = cpu_note(before, group_cpu_seconds(server_group), paid.requests)
    rate, slowest = paid.rate, paid.p99_ms
    if backend == "sqlite":
        target, met = ">= 300/s, p99 < 50 ms", rate >= 300 and slowest < 50
    elif workers == 1:
        target, met = ">= 1.0 x raw, p99 < 100 ms", rate >= raw and slowest < 100
    else:
        target, met = "- (printed beside one worker)", None
    report.add(
        Result(
            f"API payment POSTs, {workers} uvicorn worker{'s' if workers > 1 else ''}, {PAYING_CLIENTS} clients",
            backend,
            rate,
            "req/s",
            raw,
            "commits/s (bare driver, one INSERT per commit)",
            target,
            met if not paid.failed else False,
            note=f"p99 {slowest:.1f} ms, {paid.failed} of {paid.requests} failed; {paid.client}{cpu}",
        )
    )


def cpu_note(before: float | None, after: float | None, requests: int) -> str:
    if before is None or after is None or not requests:
        return ""
    per_request = (after - before) * 1000 / requests
    return f"; server CPU {per_request:.2f} ms per payment (one core: at most {1000 / per_request:,.0f}/s)"


#: The ceiling's runs, in order: payments per commit, what the row says, and whether the
#: database's invariant checks are dropped first (the last run: they stay dropped).
CEILINGS = (
    (1, "one payment per commit", False),
    (CLIENTS, f"{CLIENTS} payments per commit", False),
    (1, "one payment per commit, the invariant checks dropped", True),
)


def report_ceiling(report: Report, backend: str, url: str) -> None:
    """The database's own work for the same payments, with no API in front of it
    (``tests.benchmarks.ceiling``): one payment per commit, four sharing a commit, and, last,
    one per commit again after the database's invariant checks were dropped (what they cost)."""
    for number, (per_commit, shared, without_checks) in enumerate(CEILINGS):
        if without_checks:
            ceiling.drop_checks(url)
        raw = raw_commit_rate(url, scaled(1000))
        rate = ceiling.payments_per_second(
            url,
            "B-1",
            f"ceiling{number}-",
            payments=scaled(3000),
            clients=CLIENTS,
            per_commit=per_commit,
        )
        report.add(
            Result(
                f"a payment's database statements alone, {CLIENTS} connections, {shared}",
                backend,
                rate,
                "req/s",
                raw,
                "commits/s (bare driver, one INSERT per commit)",
                "- (what the checks cost)"
                if without_checks
                else "- (the ceiling for API payments)",
                None,
                note="no HTTP, no Python between the statements: each message BEGIN, the lock and key, the state, the booking, its event, the answer kept, COMMIT",
            )
        )


def run(report: Report, backend: str) -> None:
    with fresh_database(backend) as url:
        token = prepare(url)
        for workers in (1, 2) if backend == "postgresql" else (1,):
            port = server.free_port()
            process, _ = server.start(url, port, workers=workers)
            try:
                raw = raw_commit_rate(url, scaled(1000))  # just before: the disk's speed now
                report_payments(
                    report, backend, port, token, raw, workers, f"w{workers}-", process.pid
                )
                if workers == 1:
                    report_get(report, backend, port, token)
            finally:
                server.stop(process)
        if backend == "postgresql":
            report_ceiling(report, backend, url)
