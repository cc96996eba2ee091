"""Group commit on PostgreSQL: writes that wait together share one transaction and one COMMIT,
and each is still exactly what it would have been alone."""

import threading
from collections import Counter

import pytest
from sqlalchemy import Connection, text
from sqlalchemy.exc import IntegrityError

from ledger.accounts import Account, AccountKind
from ledger.db.group_commit import ALONE, GroupCommit, Pending, grouped
from ledger.db.journal import book_entries
from ledger.db.service import LedgerService
from ledger.errors import LedgerError
from ledger.posted import PostedEntry
from tests.support import C, D, entry

pytestmark = pytest.mark.postgresql


def _open(ledger: LedgerService, budget: str) -> None:
    ledger.open_accounts(
        [
            Account("source", "Source", AccountKind.BUDGET_SOURCE),
            Account("tranche", "Tranche", AccountKind.BUDGET, non_negative=True),
            Account("deals", "Deals", AccountKind.BUDGET),
        ],
        actor="setup",
    )
    ledger.post(entry("budget", ("source", D, budget), ("tranche", C, budget)))


def draw(key: str, amount: str):
    def work(connection: Connection) -> PostedEntry:
        return book_entries(connection, [entry(key, ("tranche", D, amount), ("deals", C, amount))])[
            0
        ]

    return work


def test_each_write_of_a_group_is_booked_as_alone_and_a_refused_one_leaves_nothing(
    postgres_ledger: LedgerService,
) -> None:
    _open(postgres_ledger, "3000.00")
    group = [
        Pending(draw("a", "1000.00")),
        Pending(draw("too-much", "2500.00")),  # 1000 + 2500 > 3000: refused, alone
        Pending(draw("b", "1500.00")),  # sees a's draw, not the refused one
        Pending(draw("c", "600.00")),  # 1000 + 1500 + 600 > 3000: refused
    ]
    GroupCommit(postgres_ledger.engine).book(group)

    a, b = group[0].answer.result(), group[2].answer.result()
    for refused in (group[1], group[3]):
        error = refused.answer.exception()
        assert isinstance(error, LedgerError) and error.code == "limit_exceeded"
    assert b.sequence == a.sequence + 1  # the chain in the order the writes ran
    assert postgres_ledger.balance("tranche").balance.amount == 500
    assert postgres_ledger.balance("deals").balance.amount == 2500
    assert postgres_ledger.entry("b").entry_hash == b.entry_hash
    with pytest.raises(LedgerError):
        postgres_ledger.entry("too-much")
    assert postgres_ledger.verify().ok


def test_a_group_that_cannot_commit_leaves_nothing_and_each_write_runs_alone(
    postgres_ledger: LedgerService,
) -> None:
    engine = postgres_ledger.engine
    _open(postgres_ledger, "3000.00")
    with engine.begin() as connection:  # a check that only COMMIT makes
        connection.execute(text("CREATE TABLE probe (x int UNIQUE DEFERRABLE INITIALLY DEFERRED)"))

    def insert(x: int):
        def work(connection: Connection) -> int:
            connection.execute(text("INSERT INTO probe VALUES (:x)"), {"x": x})
            return x

        return work

    group = [Pending(draw("a", "1000.00")), Pending(insert(1)), Pending(insert(1))]
    GroupCommit(engine).book(group)
    assert [pending.answer.result() for pending in group] == [ALONE, ALONE, ALONE]
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM probe")).scalar() == 0
    assert postgres_ledger.balance("deals").balance.is_zero()

    # through run(), each again alone: the draw and one insert hold, the other is refused
    booker = GroupCommit(engine)
    assert booker.run(draw("a", "1000.00")).key == "a"
    assert booker.run(insert(1)) == 1
    with pytest.raises((IntegrityError, LedgerError)):
        booker.run(insert(1))
    assert postgres_ledger.balance("deals").balance.amount == 1000


def test_racing_writers_in_groups_never_cross_a_limit_nor_book_a_key_twice(
    postgres_ledger: LedgerService,
) -> None:
    """8 threads draw 100.00 each, 12 times (each draw asked twice), from 5,000.00; the first
    draws wait together behind a held journal lock, so they are booked as a group."""
    engine = postgres_ledger.engine
    _open(postgres_ledger, "5000.00")
    booked: list[str] = []
    refusals: Counter = Counter()
    lock = threading.Lock()
    start = threading.Barrier(9)

    def worker(number: int) -> None:
        start.wait()
        for turn in range(12):
            key = f"draw-{number}-{turn}"
            try:
                first = grouped(engine, draw(key, "100.00"))
                again = grouped(engine, draw(key, "100.00"))  # a retry books nothing more
                assert again.sequence == first.sequence
                with lock:
                    booked.append(key)
            except LedgerError as error:
                with lock:
                    refusals[error.code] += 1

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
    with engine.connect() as holder:
        holder.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _journal_lock()})
        for thread in threads:
            thread.start()
        start.wait()
        holder.rollback()  # the lock goes; the waiting draws go in groups
    for thread in threads:
        thread.join()

    assert len(booked) == 50
    assert refusals == Counter({"limit_exceeded": 8 * 12 - 50})
    assert postgres_ledger.balance("tranche").balance.is_zero()
    assert postgres_ledger.verify().ok


def _journal_lock() -> int:
    from ledger.db.journal import JOURNAL_LOCK_KEY

    return JOURNAL_LOCK_KEY
