"""Racing writers never cross a limit and never book a draw twice."""

import threading
from collections import Counter

import pytest

from ledger.accounts import Account, AccountKind
from ledger.db.service import LedgerService
from ledger.errors import LedgerError
from tests.support import C, D, entry, writers_held_off

THREADS = 8
DRAWS_PER_THREAD = 12


def race(ledger: LedgerService) -> tuple[list[str], Counter]:
    """8 threads draw 1,000.00 each, 12 times, from a tranche holding 50,000.00."""
    ledger.open_accounts(
        [
            Account("source", "Source", AccountKind.BUDGET_SOURCE),
            Account("tranche", "Tranche", AccountKind.BUDGET, non_negative=True),
            Account("deals", "Deals", AccountKind.BUDGET),
        ],
        actor="setup",
    )
    ledger.post(entry("budget", ("source", D, "50000.00"), ("tranche", C, "50000.00")))
    booked: list[str] = []
    refusals: Counter = Counter()
    lock = threading.Lock()
    start = threading.Barrier(THREADS)

    def draw(worker: int) -> None:
        start.wait()
        for number in range(DRAWS_PER_THREAD):
            key = f"draw-{worker}-{number}"
            try:
                ledger.post(entry(key, ("tranche", D, "1000.00"), ("deals", C, "1000.00")))
                # a retry of an acknowledged draw must not book it again
                ledger.post(entry(key, ("tranche", D, "1000.00"), ("deals", C, "1000.00")))
                with lock:
                    booked.append(key)
            except LedgerError as error:
                with lock:
                    refusals[error.code] += 1

    threads = [threading.Thread(target=draw, args=(w,)) for w in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return booked, refusals


def check_outcome(ledger: LedgerService, booked: list[str], refusals: Counter) -> None:
    assert len(booked) == 50  # exactly what the limit allows
    assert refusals == Counter({"limit_exceeded": THREADS * DRAWS_PER_THREAD - 50})
    assert ledger.balance("tranche").balance.is_zero()
    assert ledger.balance("deals").balance.amount == 50000
    for key in booked:
        assert ledger.entry(key).key == key
    report = ledger.verify()
    assert report.ok, report.problems
    assert report.entries_checked == 1 + len(booked)  # each acknowledged draw exactly once


@pytest.mark.postgresql
def test_eight_threads_racing_on_postgres_never_cross_the_limit(postgres_url):
    ledger = LedgerService.from_url(postgres_url, pool_size=THREADS, max_overflow=0)
    try:
        booked, refusals = race(ledger)
        check_outcome(ledger, booked, refusals)
    finally:
        ledger.engine.dispose()


def test_eight_threads_racing_on_sqlite_never_cross_the_limit(tmp_path, sqlite_template):
    import shutil

    target = tmp_path / "race.db"
    shutil.copyfile(sqlite_template, target)
    ledger = LedgerService.from_url(f"sqlite:///{target}")
    try:
        booked, refusals = race(ledger)
        check_outcome(ledger, booked, refusals)
    finally:
        ledger.engine.dispose()


@pytest.mark.postgresql
def test_the_journal_lock_is_taken_once_per_transaction_and_held_to_its_end(postgres_url):
    """An API write queues in ``once`` and again in the operation it runs: the second costs no
    round trip, the lock still holds until commit, and the next transaction queues afresh."""
    from sqlalchemy import event

    from ledger.db.engine import make_engine
    from ledger.db.journal import serialise_writers
    from ledger.db.unit_of_work import UnitOfWork

    engine = make_engine(postgres_url)
    statements: list[str] = []
    event.listen(engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    try:
        for _ in range(2):  # the second transaction on the same pooled connection
            statements.clear()
            with UnitOfWork(engine, write=True) as uow:
                serialise_writers(uow.connection)
                serialise_writers(uow.connection)
                assert sum("pg_advisory_xact_lock" in s for s in statements) == 1
                assert writers_held_off(engine)
                uow.commit()
            assert not writers_held_off(engine)
        with UnitOfWork(engine, write=True) as uow:  # a rolled-back one releases it too
            serialise_writers(uow.connection)
        assert not writers_held_off(engine)
    finally:
        engine.dispose()


def _waiting_for_the_journal_lock(engine) -> bool:  # noqa: ANN001
    """Whether a session of this database waits for the journal lock (pg_locks shows a bigint
    advisory key as its high and low 32 bits, objsubid 1)."""
    from sqlalchemy import text

    from ledger.db.journal import JOURNAL_LOCK_KEY

    waiting = text(
        "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
        " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
        " AND classid = :high AND objid = :low AND objsubid = 1"
    )
    with engine.connect() as other:
        key = {"high": JOURNAL_LOCK_KEY >> 32, "low": JOURNAL_LOCK_KEY & 0xFFFF_FFFF}
        return bool(other.execute(waiting, key).scalar())


@pytest.mark.postgresql
def test_a_request_queued_behind_the_same_key_sees_its_answer_in_one_round_trip(postgres_url):
    """``answered_in_turn`` takes the journal lock and reads the key in one statement, and the read
    is taken after the lock: a request that waited behind the first with the same key finds the
    first one's answer, committed while it waited, and holds the lock for the rest of its work."""
    import time

    from sqlalchemy import event

    from api.http.requests import Answered, answered_in_turn, remember
    from ledger.db.engine import make_engine
    from ledger.db.journal import serialise_writers
    from ledger.db.unit_of_work import UnitOfWork

    engine = make_engine(postgres_url)
    first_answer = Answered("print", 201, '{"entry": 1}', {"Location": "/api/v1/journal/entries/1"})
    seen: dict[str, object] = {}

    def second_request() -> None:
        statements: list[str] = []
        with UnitOfWork(engine, write=True) as uow:
            connection = uow.connection
            event.listen(connection, "before_cursor_execute", lambda *a: statements.append(a[2]))
            seen["answer"] = answered_in_turn(connection, "alice", "key-1")
            seen["statements"] = list(statements)
            serialise_writers(connection)  # the operation queues again: no statement
            seen["after_queueing_again"] = len(statements)
            seen["lock_held"] = writers_held_off(engine)

    try:
        with UnitOfWork(engine, write=True) as uow:
            serialise_writers(uow.connection)
            remember(uow.connection, "alice", "key-1", first_answer)
            waiting = threading.Thread(target=second_request)
            waiting.start()
            for _ in range(6000):  # until it waits on the lock (not a timing assertion)
                if _waiting_for_the_journal_lock(engine):
                    break
                time.sleep(0.01)
            assert _waiting_for_the_journal_lock(engine)
            uow.commit()
        waiting.join()
        assert seen["answer"] == first_answer
        assert (
            len(seen["statements"]) == 1 and "regioledger_request_in_turn" in seen["statements"][0]
        )
        assert seen["after_queueing_again"] == 1
        assert seen["lock_held"] is True
        assert not writers_held_off(engine)
        with UnitOfWork(engine, write=True) as uow:  # a key nobody used: no answer, lock held
            assert answered_in_turn(uow.connection, "alice", "key-2") is None
            assert writers_held_off(engine)
    finally:
        engine.dispose()
