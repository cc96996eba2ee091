"""`make bench`: run every benchmark on SQLite and PostgreSQL, print and save the table."""

from __future__ import annotations

import os
import platform
import sys
from datetime import UTC, datetime
from pathlib import Path

from api.progress import progress
from tests.benchmarks import (
    bench_api,
    bench_ledger,
    bench_peers,
    bench_scoped,
    bench_sisa,
    bench_startup,
    bench_statements,
    bench_suite,
)
from tests.benchmarks.harness import SCALE, Report, postgres_available

RESULTS = Path(__file__).resolve().parent / "results.md"


def main() -> int:
    backends = ["sqlite"]
    if postgres_available():
        backends.append("postgresql")
    else:
        print(
            "PostgreSQL is not reachable: its figures are missing from this run.", file=sys.stderr
        )
    report = Report()
    steps = [
        ("start-up", bench_startup.run, "sqlite"),
        *((f"ledger {b}", bench_ledger.run, b) for b in backends),
        ("statements", bench_statements.run, "sqlite"),
        ("sisa", bench_sisa.run, "sqlite"),
        ("scoped reads", bench_scoped.run, "sqlite"),
        *((f"api {b}", bench_api.run, b) for b in backends),
        *(("peers", bench_peers.run, b) for b in backends if b == "postgresql"),
        ("the test suite", bench_suite.run, "both"),
    ]
    only = [name.strip() for name in os.environ.get("BENCH_ONLY", "").split(",") if name.strip()]
    if only:  # `make bench BENCH_ONLY="api postgresql,peers"`: those steps, printed, not kept
        steps = [step for step in steps if any(step[0].startswith(name) for name in only)]
    with progress("make bench", len(steps)) as advance:
        for name, run, backend in steps:
            advance(0, note=f"make bench: {name}")
            run(report, backend)
            advance()
    header = (
        f"# Benchmark results\n\nMeasured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {platform.node()} "
        f"({platform.processor() or platform.machine()}, Python {platform.python_version()}), "
        f"scale {SCALE}.\nEach figure is compared with its raw baseline from the same run.\n\n"
    )
    table = report.markdown()
    print()
    print(table)
    if not only:
        RESULTS.write_text(header + table + "\n", encoding="utf-8")
        print(f"\nwritten to {RESULTS}")
    return 0 if all(r.met is not False for r in report.results) else 1


if __name__ == "__main__":
    sys.exit(main())
