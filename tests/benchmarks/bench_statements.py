"""Statement import end to end (read, validate, book) at 1k, 10k and 100k rows on SQLite,
each in its own process for a clean peak-memory figure, beside the raw baseline."""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

from tests.benchmarks.harness import Report, Result, fresh_database, scaled
from tests.benchmarks.statement_data import write_statement
from tests.benchmarks.world import build_world

SIZES = (1_000, 10_000, 100_000)


def prepare(url: str) -> None:
    build_world(url, "BENCH-1", "100000000000.00")


def child(mode: str, url: str, path: Path) -> dict:
    output = subprocess.run(
        [sys.executable, "-m", "tests.benchmarks.statement_child", mode, url, str(path)],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(output.stdout.strip().splitlines()[-1])


def run(report: Report, backend: str = "sqlite") -> None:
    folder = Path(tempfile.mkdtemp(prefix="regioledger-statements-"))
    for size in SIZES:
        rows = scaled(size)
        path = folder / f"statement-{rows}.xlsx"
        write_statement(path, "BENCH-1", 2025, rows)
        with fresh_database(backend) as url:
            prepare(url)
            measured = child("import", url, path)
            raw = child("raw", url, path)
        assert measured["outcome"] == "booked", measured
        target = "<= 3 s and 500 MB" if size == 100_000 else "linear growth"
        met = measured["seconds"] <= 3 and measured["rss_mb"] <= 500 if size == 100_000 else None
        report.add(
            Result(
                f"statement import, {rows:,} rows (read+validate+book)",
                backend,
                measured["seconds"],
                "s",
                raw["seconds"],
                "calamine read + executemany",
                target,
                met,
                note=f"peak RSS {measured['rss_mb']:.0f} MB (raw {raw['rss_mb']:.0f} MB)",
            )
        )
        report.add(
            Result(
                f"statement import, {rows:,} rows: peak memory",
                backend,
                measured["rss_mb"],
                "MB",
                raw["rss_mb"],
                "calamine read + executemany",
                "<= 500 MB" if size == 100_000 else "-",
                measured["rss_mb"] <= 500 if size == 100_000 else None,
            )
        )
