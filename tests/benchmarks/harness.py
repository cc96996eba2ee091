"""Helpers for the benchmarks: fresh databases, timing, and the results table."""

from __future__ import annotations

import os
import shutil
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from ledger.db import migrate
from ledger.db.engine import normalise_url

SCALE = float(os.environ.get("BENCH_SCALE", "1.0"))
POSTGRES_URL = normalise_url(
    os.environ.get("REGIOLEDGER_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
)


def scaled(count: int) -> int:
    return max(1, int(count * SCALE))


@dataclass
class Result:
    benchmark: str
    backend: str
    figure: float
    unit: str
    baseline: float | None
    baseline_label: str
    target: str
    met: bool | None
    note: str = ""
    #: Figures compared run by run (whole processes) or turn by turn (single commits): the
    #: median of the ratios, quoted instead of the ratio of the totals.
    paired_ratio: float | None = None

    @property
    def ratio(self) -> str:
        if self.paired_ratio is not None:
            return f"{self.paired_ratio:.2f}"
        if not self.baseline:
            return "-"
        return f"{self.figure / self.baseline:.2f}"


@dataclass
class Report:
    results: list[Result] = field(default_factory=list)

    def add(self, result: Result) -> None:
        self.results.append(result)
        print(format_row(result), flush=True)

    def markdown(self) -> str:
        lines = [
            "| benchmark | db | figure | raw baseline | ratio | target | met |",
            "|---|---|---|---|---|---|---|",
        ]
        for r in self.results:
            baseline = (
                f"{r.baseline:,.1f} {r.unit} ({r.baseline_label})"
                if r.baseline is not None
                else "-"
            )
            met = {True: "yes", False: "**no**", None: "-"}[r.met]
            lines.append(
                f"| {r.benchmark} | {r.backend} | {number(r.figure)} {r.unit}{' (' + r.note + ')' if r.note else ''} | {baseline} | {r.ratio} | {r.target} | {met} |"
            )
        return "\n".join(lines) + self.misses()

    def misses(self) -> str:
        """Every target not met, said plainly with what this run measured beside it."""
        missed = [r for r in self.results if r.met is False]
        if not missed:
            return "\n\nEvery target was met in this run."
        lines = ["", "", "## Targets not met in this run", ""]
        for r in missed:
            beside = (
                f"; its raw baseline in the same run: {r.baseline:,.1f} {r.unit} (ratio {r.ratio})"
                if r.baseline
                else ""
            )
            lines.append(
                f"- {r.benchmark} ({r.backend}): {number(r.figure)} {r.unit} against {r.target}{beside}."
            )
        lines += [
            "",
            "Absolute targets depend on this machine's speed at the time of the run; the raw baselines, "
            "measured in the same run, show how fast the machine itself was. Where the ratio to the raw baseline "
            "is what earlier runs measured, the miss is the machine's, not the code's; see the closing notes of "
            "the issues for the figures of earlier runs.",
        ]
        return "\n".join(lines)


def number(value: float) -> str:
    return f"{value:,.2f}" if abs(value) < 100 else f"{value:,.1f}"


def format_row(r: Result) -> str:
    baseline = (
        f"  raw {r.baseline:,.1f} {r.unit} ({r.baseline_label}), ratio {r.ratio}"
        if r.baseline
        else ""
    )
    met = {True: "MET", False: "NOT MET", None: ""}[r.met]
    note = f" ({r.note})" if r.note else ""
    return f"[{r.backend:<10}] {r.benchmark:<48} {number(r.figure):>12} {r.unit:<10}{baseline}  target {r.target} {met}{note}"


def timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def latency_ms(action: Callable[[], object], repeat: int = 30) -> tuple[float, float]:
    """Median and worst-but-one latency in milliseconds after one warm-up call."""
    action()
    samples = sorted(timed(action) * 1000 for _ in range(repeat))
    return statistics.median(samples), samples[-2]


@contextmanager
def fresh_database(backend: str, *, migrated: bool = True) -> Iterator[str]:
    """A freshly migrated database of the given backend (empty, for a peer, without
    ``migrated``), removed afterwards."""
    if backend == "sqlite":
        folder = Path(tempfile.mkdtemp(prefix="regioledger-bench-"))
        url = f"sqlite:///{folder / 'bench.db'}"
        migrate.upgrade(url)
        try:
            yield url
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        return
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    name = f"regioledger_bench_{uuid.uuid4().hex[:8]}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    if migrated:
        migrate.upgrade(url)
    try:
        yield url
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def postgres_available() -> bool:
    try:
        engine = create_engine(POSTGRES_URL)
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        engine.dispose()
        return True
    except Exception:  # noqa: BLE001
        return False
