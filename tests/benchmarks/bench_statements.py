"""Statement import end to end, as a region's file meets it: ``regioledger statement import``
as a whole process (start, read, validate, book, exit) at 10,000 and 100,000 lines on SQLite,
beside the floor (``statement_floor.py``: the bare reader and an executemany of the same lines)
in the same run, each run on a fresh copy of the same ledger."""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

from tests.benchmarks.harness import Report, Result, fresh_database, scaled
from tests.benchmarks.processes import megabytes, paired
from tests.benchmarks.statement_data import write_statement
from tests.benchmarks.world import build_world

SIZES = (10_000, 100_000)
COMMAND = Path(sys.executable).parent / "regioledger"
FLOOR = Path(__file__).resolve().parent / "statement_floor.py"
TARGET = 2.0


def run(report: Report, backend: str = "sqlite") -> None:
    folder = Path(tempfile.mkdtemp(prefix="regioledger-statements-"))
    try:
        with fresh_database(backend) as url:
            build_world(url, "BENCH-1", "100000000000.00")
            ledger = Path(url.removeprefix("sqlite:///"))
            for size in SIZES:
                _measure(report, backend, folder, ledger, size)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _measure(report: Report, backend: str, folder: Path, ledger: Path, size: int) -> None:
    rows = scaled(size)
    workbook = folder / f"statement-{rows}.xlsx"
    write_statement(workbook, "BENCH-1", 2025, rows)
    copy = folder / "ledger.db"

    def fresh_copy() -> None:
        for suffix in ("-wal", "-shm"):
            Path(f"{copy}{suffix}").unlink(missing_ok=True)
        shutil.copyfile(ledger, copy)

    command = [str(COMMAND), "statement", "import", str(workbook), "--beschikking", "BENCH-1"]
    command += ["--year", "2025", "--database", f"sqlite:///{copy}"]
    floor = [sys.executable, str(FLOOR), str(workbook), str(copy)]
    pair = paired(command, floor, 5, before_each=fresh_copy)
    judged = size == 100_000
    report.add(
        Result(
            f"statement import, {rows:,} lines, command line start to exit",
            backend,
            pair.a_seconds,
            "s",
            pair.b_seconds,
            "floor: calamine read + executemany, whole process",
            f"<= {TARGET:g} x floor" if judged else "-",
            pair.ratio <= TARGET if judged else None,
            paired_ratio=pair.ratio,
            note=f"median of 5 runs in turn, ratio run by run; {pair.spread()}",
        )
    )
    if pair.a_peak_mb is None or pair.b_peak_mb is None:
        print(f"[{backend:<10}] statement import, {rows:,} lines: peak memory {megabytes(None)}")
        return
    report.add(
        Result(
            f"statement import, {rows:,} lines: peak memory",
            backend,
            pair.a_peak_mb,
            "MB",
            pair.b_peak_mb,
            "floor, whole process",
            f"<= {TARGET:g} x floor" if judged else "-",
            pair.a_peak_mb <= TARGET * pair.b_peak_mb if judged else None,
        )
    )
