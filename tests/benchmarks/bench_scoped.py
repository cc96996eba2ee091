"""Reads scoped to what they show: the same beschikking, deal and recipient reads over HTTP on
the demo ledger and on ledgers 10 and 100 times larger (``scaled_world``), one client at a time.
A read about one beschikking should cost what that beschikking costs: the demo's time is the
baseline, the larger ledger's the figure. The unfiltered list of every beschikking, which reads
the whole books, is shown beside them for information.

On the 100x ledger every dashboard page and every API read a finance officer has (``LOADED``)
is then asked by eight clients at once from a second process (``load``: wrk), each for a few
seconds after one warm-up request (the whole books are computed once per state of the ledger,
after a write, not per request): the 95th percentile of each against 500 ms."""

from __future__ import annotations

import httpx

from api.http.users import add_user
from ledger.db.engine import make_engine
from tests import server
from tests.benchmarks import load
from tests.benchmarks.harness import Report, Result, fresh_database, latency_ms, scaled
from tests.benchmarks.scaled_world import build_scaled

#: A beschikking, its deal and its recipient from the demo (Delft-West, tranche 5).
BESCHIKKING, DEAL, RECIPIENT = "RD-T5-DELFT-WEST-1", "T5-DELFT-WEST", "GM0503"
READS = {
    "one beschikking": f"/api/v1/beschikkingen/{BESCHIKKING}",
    "one deal": f"/api/v1/deals/{DEAL}",
    "a recipient's beschikkingen": f"/api/v1/beschikkingen?recipient={RECIPIENT}",
}
WHOLE = "/api/v1/beschikkingen?limit=500"
TARGETS = {10: 1.5, 100: 2.0}
#: Every page of the dashboard and every API read, as a finance officer asks them of the
#: 100x ledger; downloads of the whole books (the journal's export, the SiSa workbook) are
#: files, not reads, and ``verify`` is a check: they are timed elsewhere.
LOADED = (
    "/dashboard",
    "/dashboard/underspending",
    f"/dashboard/deals/{DEAL}",
    "/dashboard/beschikkingen",
    f"/dashboard/beschikkingen/{BESCHIKKING}",
    "/dashboard/tranches/T5",
    "/dashboard/published",
    "/dashboard/budget",
    "/dashboard/sisa",
    "/dashboard/reconciliations",
    "/api/v1/envelopes",
    "/api/v1/tranches",
    "/api/v1/tranches/T5",
    "/api/v1/deals",
    f"/api/v1/deals/{DEAL}",
    "/api/v1/beschikkingen",
    f"/api/v1/beschikkingen/{BESCHIKKING}",
    f"/api/v1/beschikkingen/{BESCHIKKING}/payments",
    f"/api/v1/beschikkingen/{BESCHIKKING}/statements",
    f"/api/v1/beschikkingen?recipient={RECIPIENT}",
    "/api/v1/organisations",
    f"/api/v1/organisations/{RECIPIENT}",
    "/api/v1/published-figures",
    "/api/v1/journal/entries",
    "/api/v1/audit/trail",
    "/api/v1/reports/tranches",
    f"/api/v1/reports/deals/{DEAL}",
    "/api/v1/reports/budget",
    "/api/v1/reports/underspending",
    "/api/v1/sisa/2025/status",
    "/api/v1/sisa/2025/movements",
    "/api/v1/rules",
    "/api/v1/reconciliations",
)
LOADING_CLIENTS = 8
LOAD_SECONDS = 10
P95_TARGET_MS = 500.0


def measure(
    factor: int, loaded: list[Result] | None = None
) -> tuple[dict[str, float], dict[str, int]]:
    """Median milliseconds of each read on the demo grown ``factor`` times, and its size; with
    ``loaded``, every page and read under eight clients too (its rows added to it)."""
    with fresh_database("sqlite") as url:
        size = build_scaled(url, factor)
        engine = make_engine(url)
        token = add_user(engine, "bench", "finance")
        engine.dispose()
        with (
            server.running(url) as base,
            httpx.Client(
                base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=600
            ) as client,
        ):

            def get(path: str) -> None:
                client.get(path).raise_for_status()

            times = {name: latency_ms(lambda p=path: get(p), 15)[0] for name, path in READS.items()}
            times["every beschikking (whole books)"] = latency_ms(lambda: get(WHOLE), 3)[0]
            if loaded is not None:
                loaded += under_load(base, client, token, size)
    return times, size


def under_load(base: str, client: httpx.Client, token: str, size: dict[str, int]) -> list[Result]:
    """Each of ``LOADED`` from eight clients at once: its p95 against 500 ms."""
    signed_in = client.post("/dashboard/signin", data={"token": token}, headers={"Origin": base})
    cookie = "; ".join(f"{name}={value}" for name, value in signed_in.cookies.items())
    port = int(base.rsplit(":", 1)[1])
    results = []
    for path in LOADED:
        on_page = path.startswith("/dashboard")
        client.get(path, headers={"Cookie": cookie} if on_page else None).raise_for_status()
        got = load.run(
            port,
            token,
            kind="get",
            clients=LOADING_CLIENTS,
            requests=scaled(900),
            path=path,
            cookie=cookie if on_page else "",
            seconds=LOAD_SECONDS,
        )
        # What is still being answered when the load stops finishes before the next path's.
        client.get(path, headers={"Cookie": cookie} if on_page else None).raise_for_status()
        # No answer within the load's seconds: its p95 is at least that long.
        p95 = got.p95_ms if got.requests else LOAD_SECONDS * 1000.0
        results.append(
            Result(
                f"GET {path} on the 100x ledger, {LOADING_CLIENTS} clients",
                "sqlite",
                p95,
                "ms (p95)",
                None,
                "",
                f"p95 < {P95_TARGET_MS:.0f} ms",
                got.requests > 0 and got.p95_ms < P95_TARGET_MS and got.failed == 0,
                note=(
                    (
                        f"median {got.p50_ms:.1f} ms, {got.requests} requests"
                        if got.requests
                        else f"no answer within the {LOAD_SECONDS} s of the load"
                    )
                    + f", {got.failed} failed; "
                    f"{got.client}; {size['postings']:,} postings"
                ),
            )
        )
    return results


def run(report: Report, backend: str) -> None:
    demo, demo_size = measure(1)
    loaded: list[Result] = []
    for factor, target in TARGETS.items():
        grown, size = measure(factor, loaded if factor == max(TARGETS) else None)
        note = f"{size['beschikkingen']:,} beschikkingen, {size['postings']:,} postings"
        for name, ms in grown.items():
            whole = name.startswith("every")
            report.add(
                Result(
                    f"{name} on a {factor}x ledger",
                    backend,
                    ms,
                    "ms",
                    demo[name],
                    f"the same read on the demo, {demo_size['postings']:,} postings",
                    "for information" if whole else f"<= {target}x",
                    None if whole else ms <= target * demo[name],
                    note,
                )
            )
    for result in loaded:
        report.add(result)
