"""Reads scoped to what they show: the same beschikking, deal and recipient reads over HTTP on
the demo ledger and on ledgers 10 and 100 times larger (``scaled_world``), one client at a time.
A read about one beschikking should cost what that beschikking costs: the demo's time is the
baseline, the larger ledger's the figure. The unfiltered list of every beschikking, which reads
the whole books, is shown beside them for information."""

from __future__ import annotations

import httpx

from api.http.users import add_user
from ledger.db.engine import make_engine
from tests import server
from tests.benchmarks.harness import Report, Result, fresh_database, latency_ms
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


def measure(factor: int) -> tuple[dict[str, float], dict[str, int]]:
    """Median milliseconds of each read on the demo grown ``factor`` times, and its size."""
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
    return times, size


def run(report: Report, backend: str) -> None:
    demo, demo_size = measure(1)
    for factor, target in TARGETS.items():
        grown, size = measure(factor)
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
