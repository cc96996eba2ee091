"""Run one statement import (or its raw baseline) in a fresh process and report its time and
peak memory, so each figure is measured on its own: python -m tests.benchmarks.statement_child MODE URL FILE."""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path

from python_calamine import CalamineWorkbook

from api.statements.service import import_statement
from ledger.db.engine import make_engine


def raw_baseline(url: str, content: bytes) -> None:
    """The reader alone plus a plain executemany of the rows."""
    import io

    rows = (
        CalamineWorkbook.from_filelike(io.BytesIO(content))
        .get_sheet_by_name("Bestedingen")
        .to_python()[1:]
    )
    engine = make_engine(url)
    raw = engine.raw_connection()
    cursor = raw.cursor()
    sqlite = engine.dialect.name == "sqlite"
    cursor.execute(
        "CREATE TEMP TABLE raw_line (n INTEGER, nummer TEXT, spent_on TEXT, description TEXT, source TEXT, amount TEXT, partner TEXT, reference TEXT)"
    )
    mark = "?" if sqlite else "%s"
    if sqlite:
        cursor.execute("BEGIN")
    cursor.executemany(
        f"INSERT INTO raw_line VALUES ({', '.join([mark] * 8)})",
        [(n, r[0], str(r[1]), r[2], r[3], str(r[4]), r[5], r[6]) for n, r in enumerate(rows)],
    )
    raw.commit() if not sqlite else cursor.execute("COMMIT")
    raw.close()


def peak_rss_mb() -> float:
    """This process's peak resident memory. VmHWM starts afresh at exec; ru_maxrss would carry
    the parent's peak over from the fork."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    mode, url, path = sys.argv[1:4]
    content = Path(path).read_bytes()
    start = time.perf_counter()
    if mode == "raw":
        raw_baseline(url, content)
        outcome = "raw"
    else:
        engine = make_engine(url)
        result = import_statement(
            engine, "BENCH-1", 2025, content, filename=Path(path).name, uploader="bench"
        )
        outcome = "booked" if result.ok else f"refused: {[p.code for p in result.problems[:3]]}"
    seconds = time.perf_counter() - start
    rss_mb = peak_rss_mb()
    print(json.dumps({"seconds": seconds, "rss_mb": rss_mb, "outcome": outcome}))


if __name__ == "__main__":
    main()
