"""`make bench`: run every benchmark on SQLite and PostgreSQL, print and save the table."""

from __future__ import annotations

import platform
import sys
from datetime import UTC, datetime
from pathlib import Path

from tests.benchmarks import bench_api, bench_ledger, bench_sisa, bench_statements
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
    for backend in backends:
        bench_ledger.run(report, backend)
    bench_statements.run(report, "sqlite")
    bench_sisa.run(report, "sqlite")
    for backend in backends:
        bench_api.run(report, backend)
    header = (
        f"# Benchmark results\n\nMeasured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {platform.node()} "
        f"({platform.processor() or platform.machine()}, Python {platform.python_version()}), "
        f"scale {SCALE}.\nEach figure is compared with its raw baseline from the same run.\n\n"
    )
    table = report.markdown()
    RESULTS.write_text(header + table + "\n", encoding="utf-8")
    print()
    print(table)
    print(f"\nwritten to {RESULTS}")
    return 0 if all(r.met is not False for r in report.results) else 1


if __name__ == "__main__":
    sys.exit(main())
