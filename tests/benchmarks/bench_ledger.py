"""Ledger foundation benchmarks: posting throughput and queries at a million postings."""

from __future__ import annotations

import random
import shutil
import statistics
import sys
import tempfile
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import text

from ledger.accounts import Account, AccountKind, Dimensions, Side
from ledger.db.service import LedgerService
from ledger.entries import JournalEntry, Posting
from ledger.money import Money
from tests.benchmarks.harness import Report, Result, fresh_database, latency_ms, scaled, timed
from tests.benchmarks.processes import megabytes, paired, run_once

COMMAND = Path(sys.executable).parent / "regioledger"

ACCOUNTS = 1000
BATCH = 1000
FIRST_DAY = date(2019, 1, 1)
DAYS = 7 * 365


def chart() -> list[Account]:
    spending = [
        Account(
            f"spend-{i}",
            f"Spending {i}",
            AccountKind.EXPENSE,
            dimensions=Dimensions(
                tranche=f"T{i % 6 + 1}",
                deal=f"D{i % 100}",
                beschikking=f"B{i}",
                organisation=f"O{i % 40}",
            ),
        )
        for i in range(ACCOUNTS // 2)
    ]
    sources = [
        Account(f"source-{i}", f"Source {i}", AccountKind.BUDGET_SOURCE)
        for i in range(ACCOUNTS // 2)
    ]
    return spending + sources


def make_entries(start: int, count: int, seed: int = 7) -> Iterator[JournalEntry]:
    rng = random.Random(seed + start)
    half = ACCOUNTS // 2
    for number in range(start, start + count):
        amount = Money.from_minor_units(rng.randint(1, 10_000_000))
        yield JournalEntry(
            key=f"bench-{number}",
            effective_on=FIRST_DAY + timedelta(days=rng.randrange(DAYS)),
            memo="benchmark entry",
            actor="bench",
            reason="benchmark",
            postings=(
                Posting(f"spend-{rng.randrange(half)}", Side.DEBIT, amount),
                Posting(f"source-{rng.randrange(half)}", Side.CREDIT, amount),
            ),
        )


def post_in_batches(ledger: LedgerService, start: int, count: int) -> None:
    for offset in range(start, start + count, BATCH):
        ledger.post_many(list(make_entries(offset, min(BATCH, start + count - offset))))


ENTRY_COLUMNS = "id, key, effective_on, recorded_at, memo, actor, reason, source_document, reverses_id, content_digest, prev_hash, entry_hash"
POSTING_COLUMNS = "entry_id, position, account_id, currency, side, amount, effective_on, debit_total_after, credit_total_after"


def read_rows(ledger: LedgerService, first: int, last: int) -> tuple[list[tuple], list[tuple]]:
    with ledger.engine.connect() as connection:
        entries = connection.execute(
            text(
                f"SELECT {ENTRY_COLUMNS} FROM journal_entry WHERE id BETWEEN :a AND :b ORDER BY id"
            ),
            {"a": first, "b": last},
        ).all()
        postings = connection.execute(
            text(
                f"SELECT {POSTING_COLUMNS} FROM posting WHERE entry_id BETWEEN :a AND :b ORDER BY id"
            ),
            {"a": first, "b": last},
        ).all()
    return [tuple(r) for r in entries], [tuple(r) for r in postings]


class RawTarget:
    """A second, freshly migrated database with the same accounts, written by the plain driver."""

    def __init__(self, url: str):
        self.ledger = LedgerService.from_url(url)
        self.ledger.open_accounts(chart(), actor="bench")
        self.raw = self.ledger.engine.raw_connection()
        self.sqlite = self.ledger.engine.dialect.name == "sqlite"
        mark = "?" if self.sqlite else "%s"
        self.insert_entry = (
            f"INSERT INTO journal_entry ({ENTRY_COLUMNS}) VALUES ({', '.join([mark] * 12)})"
        )
        self.insert_posting = (
            f"INSERT INTO posting ({POSTING_COLUMNS}) VALUES ({', '.join([mark] * 9)})"
        )

    def insert(self, entry_rows: list[tuple], posting_rows: list[tuple], per_commit: int) -> float:
        """executemany of the same rows into the same schema, ``per_commit`` entries a commit."""
        postings_by_entry: dict[int, list[tuple]] = {}
        for row in posting_rows:
            postings_by_entry.setdefault(row[0], []).append(row)

        def run() -> None:
            cursor = self.raw.cursor()
            for start in range(0, len(entry_rows), per_commit):
                chunk = entry_rows[start : start + per_commit]
                if self.sqlite:
                    cursor.execute("BEGIN IMMEDIATE")
                cursor.executemany(self.insert_entry, chunk)
                cursor.executemany(
                    self.insert_posting, [p for e in chunk for p in postings_by_entry[e[0]]]
                )
                if self.sqlite:
                    cursor.execute("COMMIT")
                else:
                    self.raw.commit()

        return timed(run)

    def close(self) -> None:
        self.raw.close()
        self.ledger.engine.dispose()


def bench_posting(report: Report, backend: str, ledger: LedgerService) -> int:
    """Batch and single-entry posting, each against the raw baseline. Returns entries booked."""
    batch_count = scaled(100_000)
    batches = [
        list(make_entries(start, min(BATCH, batch_count - start)))
        for start in range(0, batch_count, BATCH)
    ]
    seconds = timed(lambda: [ledger.post_many(batch) for batch in batches])
    single_count = scaled(3000)
    singles = list(make_entries(batch_count, single_count, seed=11))
    with fresh_database(backend) as raw_url:
        raw = RawTarget(raw_url)
        raw_seconds = raw.insert(*read_rows(ledger, 1, batch_count), per_commit=BATCH)
        single_seconds, raw_single_seconds, turn_ratio = singles_in_turn(
            ledger, raw, batch_count, singles
        )
        raw.close()
    rate, raw_rate = batch_count / seconds, batch_count / raw_seconds
    report.add(
        Result(
            f"post {batch_count:,} entries in batches of {BATCH}",
            backend,
            rate,
            "entries/s",
            raw_rate,
            "executemany, same rows",
            ">= 0.5 x raw",
            rate >= 0.5 * raw_rate,
        )
    )
    rate, raw_rate = single_count / single_seconds, single_count / raw_single_seconds
    # PostgreSQL: each booking should cost the database no more round trips than the rows
    # themselves (the target is a ratio); SQLite, in process, keeps its absolute target.
    target, met = (
        (">= 0.8 x raw", turn_ratio >= 0.8)
        if backend == "postgresql"
        else (">= 500/s", rate >= 500)
    )
    report.add(
        Result(
            "post one entry per commit",
            backend,
            rate,
            "commits/s",
            raw_rate,
            "one executemany per commit",
            target,
            met,
            paired_ratio=turn_ratio,
            note=f"in {TURNS} turns of the two, ratio turn by turn",
        )
    )
    return batch_count + single_count


#: Single commits are timed in this many turns, the ledger's and the raw driver's in turn.
TURNS = 10


def singles_in_turn(
    ledger: LedgerService, raw: RawTarget, booked: int, singles: list[JournalEntry]
) -> tuple[float, float, float]:
    """One entry per commit, the ledger's and then the same rows by the raw driver, a part at a
    time: the seconds of each, and the median of the turns' rate ratios. Taken turn by turn,
    the ratio does not move with the machine's speed during the run (a checkpoint, the
    autovacuum after the batches)."""
    ours = theirs = 0.0
    ratios = []
    size = max(1, len(singles) // TURNS)
    for start in range(0, len(singles), size):
        part = singles[start : start + size]
        seconds = timed(lambda part=part: [ledger.post(e) for e in part])
        first = booked + start + 1
        raw_seconds = raw.insert(*read_rows(ledger, first, first + len(part) - 1), per_commit=1)
        ours, theirs = ours + seconds, theirs + raw_seconds
        ratios.append(raw_seconds / seconds)
    return ours, theirs, statistics.median(ratios)


def bench_queries(report: Report, backend: str, ledger: LedgerService, booked: int) -> None:
    target_entries = scaled(500_000)  # two postings each: a million postings
    if booked < target_entries:
        post_in_batches(ledger, booked + 10_000_000, target_entries - booked)
    with ledger.engine.connect() as connection:
        postings = connection.execute(text("SELECT count(*) FROM posting")).scalar()
        middle_key = connection.execute(
            text("SELECT key FROM journal_entry WHERE id = :id"),
            {"id": target_entries // 2},
        ).scalar()
        account_id = connection.execute(
            text("SELECT id FROM account WHERE code = 'spend-17'")
        ).scalar()
    middle = ledger.entry(middle_key).recorded_at
    as_of = date(2022, 6, 15)
    label = f"at {postings:,} postings"

    def raw_account() -> Any:
        with ledger.engine.connect() as connection:
            return connection.execute(
                text(
                    "SELECT sum(CASE WHEN side='debit' THEN amount ELSE 0 END), "
                    "sum(CASE WHEN side='credit' THEN amount ELSE 0 END) FROM posting "
                    "WHERE account_id = :a AND effective_on <= :d"
                ),
                {"a": account_id, "d": as_of},
            ).all()

    def raw_trial(where: str = "") -> Any:
        with ledger.engine.connect() as connection:
            return connection.execute(
                text(
                    "SELECT account_id, sum(CASE WHEN side='debit' THEN amount ELSE 0 END), "
                    f"sum(CASE WHEN side='credit' THEN amount ELSE 0 END) FROM posting {where} GROUP BY account_id"
                ),
                {"d": as_of},
            ).all()

    cases = [
        (
            "account balance as of a date",
            lambda: ledger.balance("spend-17", as_of=as_of),
            raw_account,
            "SUM over its postings",
        ),
        (
            "account balance as of a recorded time",
            lambda: ledger.balance("spend-17", recorded_as_of=middle),
            raw_account,
            "SUM over its postings",
        ),
        (
            "tranche balance as of a date",
            lambda: ledger.balances(dimensions=Dimensions(tranche="T3"), as_of=as_of),
            None,
            "",
        ),
        (
            "trial balance now",
            lambda: ledger.trial_balance(),
            raw_trial,
            "GROUP BY over all postings",
        ),
        (
            "trial balance as of a date",
            lambda: ledger.trial_balance(as_of=as_of),
            lambda: raw_trial("WHERE effective_on <= :d"),
            "GROUP BY over all postings",
        ),
    ]
    for name, action, raw_action, raw_label in cases:
        median, worst = latency_ms(action, repeat=20)
        raw_median = latency_ms(raw_action, repeat=5)[0] if raw_action else None
        report.add(
            Result(
                f"{name} {label}",
                backend,
                median,
                "ms (median)",
                raw_median,
                raw_label,
                "< 100 ms",
                worst < 100,
                note=f"worst {worst:.1f} ms",
            )
        )


def bench_peer(report: Report, backend: str, url: str) -> None:
    """The same postings balanced by a peer: the journal exported for hledger (the command
    line's export) and ``hledger bal`` on it, beside ``regioledger trial-balance``, both as
    whole processes; hledger is Debian's package and the row says so when it is absent."""
    hledger = shutil.which("hledger")
    with tempfile.TemporaryDirectory(prefix="regioledger-peer-") as folder:
        journal = Path(folder) / "ledger.journal"
        export = run_once(
            [
                str(COMMAND),
                "export",
                "--format",
                "hledger",
                "--out",
                str(journal),
                "--database",
                url,
            ]
        )
        if export.status != 0:
            raise RuntimeError("regioledger export failed")
        if hledger is None:
            print(f"[{backend:<10}] trial balance beside hledger bal: hledger not installed")
            return
        pair = paired(
            [str(COMMAND), "trial-balance", "--database", url],
            [hledger, "-f", str(journal), "bal"],
            1,
            warm_up=False,
        )
        checked = paired(
            [str(COMMAND), "verify", "--database", url],
            [hledger, "-f", str(journal), "check"],
            1,
            warm_up=False,
        )
    report_verify(report, backend, checked)
    report.add(
        Result(
            "trial balance of the 1,000,000-posting ledger, whole process: regioledger trial-balance",
            backend,
            pair.a_seconds,
            "s",
            pair.b_seconds,
            "hledger bal on the same postings (exported journal)",
            "- (a peer, for comparison)",
            None,
            paired_ratio=pair.ratio,
            note=(
                f"peak {megabytes(pair.a_peak_mb)} (hledger {megabytes(pair.b_peak_mb)}); "
                f"the export took {export.seconds:.1f} s"
            ),
        )
    )


#: ``verify`` streams the journal: its peak memory at a million postings stays under this.
VERIFY_PEAK_MB = 200


def report_verify(report: Report, backend: str, checked: Any) -> None:
    """``regioledger verify`` beside ``hledger check`` on the same postings, whole processes:
    time against the peer, and verify's own peak memory against its bound."""
    peak = checked.a_peak_mb
    report.add(
        Result(
            "verify of the 1,000,000-posting ledger, whole process: regioledger verify",
            backend,
            checked.a_seconds,
            "s",
            checked.b_seconds,
            "hledger check on the same postings (exported journal)",
            f"peak <= {VERIFY_PEAK_MB} MB",
            None if peak is None else peak <= VERIFY_PEAK_MB,
            paired_ratio=checked.ratio,
            note=f"peak {megabytes(peak)} (hledger {megabytes(checked.b_peak_mb)})",
        )
    )


def run(report: Report, backend: str) -> None:
    with fresh_database(backend) as url:
        ledger = LedgerService.from_url(url)
        ledger.open_accounts(chart(), actor="bench")
        booked = bench_posting(report, backend, ledger)
        bench_queries(report, backend, ledger, booked)
        if backend == "sqlite":
            bench_peer(report, backend, url)
        report_ok = ledger.verify()
        print(
            f"[{backend:<10}] verify after the benchmark: {'clean' if report_ok.ok else report_ok.problems[:3]}"
        )
        ledger.engine.dispose()
