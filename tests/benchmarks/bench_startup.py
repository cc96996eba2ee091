"""Start-up of the command line, whole process: ``regioledger --help`` and ``regioledger verify``
on an empty ledger beside a bare ``python -c pass`` of the same interpreter, in the same run."""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

from ledger.db import migrate
from tests.benchmarks.harness import Report, Result, scaled
from tests.benchmarks.processes import megabytes, paired

COMMAND = Path(sys.executable).parent / "regioledger"
TARGET = 8.0


def run(report: Report, backend: str = "sqlite") -> None:
    folder = Path(tempfile.mkdtemp(prefix="regioledger-startup-"))
    url = f"sqlite:///{folder / 'empty.db'}"
    migrate.upgrade(url)
    bare = [sys.executable, "-c", "pass"]
    try:
        for args in (["--help"], ["verify"]):
            pair = paired(
                [str(COMMAND), *args], bare, scaled(15), env={"REGIOLEDGER_DATABASE_URL": url}
            )
            report.add(
                Result(
                    f"regioledger {' '.join(args)} (whole process{', empty ledger' if args == ['verify'] else ''})",
                    backend,
                    pair.a_seconds * 1000,
                    "ms (median)",
                    pair.b_seconds * 1000,
                    "python -c pass, same interpreter",
                    f"<= {TARGET:g} x python -c pass",
                    pair.ratio <= TARGET,
                    paired_ratio=pair.ratio,
                    note=(
                        f"median of {len(pair.a)} runs in turn, ratio run by run; "
                        f"peak {megabytes(pair.a_peak_mb)} (bare {megabytes(pair.b_peak_mb)}); {pair.spread()}"
                    ),
                )
            )
    finally:
        shutil.rmtree(folder, ignore_errors=True)
