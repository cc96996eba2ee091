"""The test suite's own time: ``make test`` with ``CI=true`` (the schema check, the lint and
every test, on its parallel workers), timed from start to exit. Target: 12 minutes on the
2-core machine."""

from __future__ import annotations

import os
import re
import subprocess
import time
from pathlib import Path

from tests.benchmarks.harness import Report, Result

ROOT = Path(__file__).resolve().parents[2]
TARGET_SECONDS = 12 * 60


def run(report: Report, backend: str) -> None:
    start = time.perf_counter()
    done = subprocess.run(
        ["make", "--no-print-directory", "test"],
        cwd=ROOT,
        env={**os.environ, "CI": "true"},
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - start
    summary = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else done.stderr[-300:]
    report.add(
        Result(
            "`make test` (CI=true), start to exit",
            backend,
            seconds,
            "s",
            None,
            "",
            f"<= {TARGET_SECONDS} s, every test passing",
            done.returncode == 0 and seconds <= TARGET_SECONDS,
            note=re.sub(r"\s+", " ", summary.strip("= ")),
        )
    )
