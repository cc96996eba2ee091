"""Whole processes timed from outside, as a user meets them: wall time from start to exit and
the process's own peak memory (GNU time's ``%M``), several runs, the two commands of a
comparison taken in turn (A B A B …) so that a drift of the machine's speed falls on both, and
the median of the ratios pair by pair. The same can be had with ``/usr/bin/time -v``."""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

#: GNU time measures a command's own peak memory: ``wait4`` from this (large) process would
#: report at least this process's peak, which a forked child inherits until it execs.
GNU_TIME = shutil.which("time", path="/usr/bin") or shutil.which("gtime")


@dataclass(frozen=True)
class Run:
    seconds: float
    peak_mb: float | None  # None where GNU time is not installed
    status: int


def run_once(argv: Sequence[str], env: dict[str, str] | None = None) -> Run:
    """One run of ``argv``, its output thrown away; wall time from start to exit."""
    with tempfile.NamedTemporaryFile("r", suffix=".peak") as peak:
        wrapped = [GNU_TIME, "-f", "%M", "-o", peak.name, *argv] if GNU_TIME else list(argv)
        start = time.perf_counter()
        status = subprocess.run(
            wrapped,
            env={**os.environ, **(env or {})},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            check=False,
        ).returncode
        seconds = time.perf_counter() - start
        kilobytes = peak.read().strip().splitlines()[-1:] if GNU_TIME else []
    peak_mb = int(kilobytes[0]) / 1024 if kilobytes and kilobytes[0].isdigit() else None
    return Run(seconds, peak_mb, status)


@dataclass(frozen=True)
class Pair:
    """Medians of A and B, and the median of the ratios A/B taken run by run."""

    a: list[Run]
    b: list[Run]

    @property
    def a_seconds(self) -> float:
        return statistics.median(r.seconds for r in self.a)

    @property
    def b_seconds(self) -> float:
        return statistics.median(r.seconds for r in self.b)

    @property
    def ratio(self) -> float:
        return statistics.median(x.seconds / y.seconds for x, y in zip(self.a, self.b, strict=True))

    @property
    def a_peak_mb(self) -> float | None:
        return _median_peak(self.a)

    @property
    def b_peak_mb(self) -> float | None:
        return _median_peak(self.b)

    def spread(self) -> str:
        """The slowest and fastest run of A, to show how noisy the machine was."""
        times = sorted(r.seconds for r in self.a)
        return f"A runs {times[0]:.3f}–{times[-1]:.3f} s"


def megabytes(value: float | None) -> str:
    return "not measured (no GNU time)" if value is None else f"{value:.0f} MB"


def _median_peak(runs: list[Run]) -> float | None:
    peaks = [r.peak_mb for r in runs if r.peak_mb is not None]
    return statistics.median(peaks) if peaks else None


def paired(
    a: Sequence[str],
    b: Sequence[str],
    runs: int,
    *,
    before_each: Callable[[], None] = lambda: None,
    env: dict[str, str] | None = None,
    warm_up: bool = True,
) -> Pair:
    """``runs`` runs of each after one warm-up of each; ``before_each`` (untimed) runs before
    every single run, e.g. to lay a fresh copy of a database."""
    for argv in (a, b) if warm_up else ():
        before_each()
        run_once(argv, env)
    first, second = [], []
    for _ in range(runs):
        before_each()
        first.append(run_once(a, env))
        before_each()
        second.append(run_once(b, env))
    failed = [r.status for r in first + second if r.status != 0]
    if failed:
        raise RuntimeError(f"a benchmarked command failed (exit {failed[0]}): {' '.join(a)}")
    return Pair(first, second)


def group_cpu_seconds(group: int) -> float | None:
    """CPU time (user and system) used so far by the live processes of a process group, e.g. a
    server and its workers started in a session of their own; None where there is no /proc."""
    proc = Path("/proc")
    if not proc.is_dir():
        return None
    ticks = 0
    for stat in proc.glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rpartition(")")[2].split()
        except OSError:  # the process ended meanwhile
            continue
        if int(fields[2]) == group:  # pgrp
            ticks += int(fields[11]) + int(fields[12])  # utime, stime
    return ticks / os.sysconf("SC_CLK_TCK")
