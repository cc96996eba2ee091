"""The persistent ledger, on SQLite and PostgreSQL alike."""

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import inspect as sa_inspect

from ledger.accounts import Account, AccountKind, Dimensions
from ledger.db.service import LedgerService
from ledger.errors import LedgerError
from tests.support import BUDGET_ACCOUNTS, C, D, entry


@pytest.fixture
def books(ledger: LedgerService) -> LedgerService:
    ledger.open_accounts(BUDGET_ACCOUNTS, actor="setup")
    ledger.post(
        entry(
            "budget",
            ("rijksbegroting", D, "384600000.00"),
            ("tranche-5", C, "384600000.00"),
            on=date(2023, 6, 1),
        )
    )
    return ledger


def snapshot(ledger: LedgerService):
    trial = ledger.trial_balance()
    return [
        (b.account, b.debit_total, b.credit_total) for b in trial.balances
    ], ledger.verify().entries_checked


def test_a_booked_entry_reads_back_with_its_hash_and_actor(books):
    posted = books.entry("budget")
    assert posted.sequence == 1
    assert posted.actor == "test-officer"
    assert len(posted.entry_hash) == 64
    assert books.balance("tranche-5").balance.amount == 384600000


def test_the_same_key_and_content_books_once(books):
    again = books.post(
        entry(
            "budget",
            ("rijksbegroting", D, "384600000.00"),
            ("tranche-5", C, "384600000.00"),
            on=date(2023, 6, 1),
        )
    )
    assert again.sequence == 1
    assert books.verify().entries_checked == 1


def test_the_same_key_with_other_content_is_refused(books):
    with pytest.raises(LedgerError) as refused:
        books.post(entry("budget", ("rijksbegroting", D, "1.00"), ("tranche-5", C, "1.00")))
    assert refused.value.code == "idempotency_conflict"
    assert "budget" in str(refused.value)


def test_over_commitment_is_refused_and_nothing_is_written(books):
    before = snapshot(books)
    with pytest.raises(LedgerError) as refused:
        books.post_many(
            [
                entry("ok", ("tranche-5", D, "84000000.00"), ("deal-zwolle", C, "84000000.00")),
                entry(
                    "too-much", ("tranche-5", D, "300600000.01"), ("deal-zwolle", C, "300600000.01")
                ),
            ]
        )
    problem = refused.value.problems[0]
    assert (problem.code, problem.entry, problem.account) == (
        "limit_exceeded",
        "too-much",
        "tranche-5",
    )
    assert snapshot(books) == before


def test_closed_account_takes_no_postings(books):
    books.close_account("deal-zwolle", actor="officer")
    with pytest.raises(LedgerError) as refused:
        books.post(entry("late", ("tranche-5", D, "1.00"), ("deal-zwolle", C, "1.00")))
    assert refused.value.code == "account_closed"


def test_reversal_nets_to_zero_and_cannot_be_repeated(books):
    books.post(entry("commit", ("tranche-5", D, "30000000.00"), ("deal-zwolle", C, "30000000.00")))
    reversal = books.reverse("commit", key="commit-undo", actor="officer", reason="wrong deal")
    assert reversal.reverses == "commit"
    assert books.balance("deal-zwolle").balance.is_zero()
    assert (
        books.entry("commit").postings[0].minor_units == 3_000_000_000
    )  # the original is unchanged
    with pytest.raises(LedgerError) as refused:
        books.reverse("commit", key="commit-undo-2", actor="officer", reason="again")
    assert refused.value.code == "already_reversed"
    assert books.verify().ok


def test_reversing_an_unknown_entry_is_refused(books):
    with pytest.raises(LedgerError) as refused:
        books.reverse("nope", key="x", actor="officer", reason="r")
    assert refused.value.code == "entry_not_found"


def test_multi_currency_entry_balances_per_currency(books):
    books.post(
        entry(
            "fx",
            ("bank", D, "10.00"),
            ("rijksbegroting", C, "10.00"),
            ("usd-bank", D, "11.00", "USD"),
            ("usd-source", C, "11.00", "USD"),
        )
    )
    trial = books.trial_balance()
    assert trial.is_balanced
    assert set(trial.debit_totals) == {"EUR", "USD"}


def test_account_reopened_with_other_settings_is_refused(books):
    with pytest.raises(LedgerError) as refused:
        books.open_account(Account("bank", "Bank", AccountKind.LIABILITY), actor="x")
    assert refused.value.code == "account_exists"


def test_balances_as_of_effective_date_and_recorded_time(ledger):
    clock = iter(datetime(2024, 1, 1, tzinfo=UTC) + timedelta(hours=h) for h in range(100))
    ledger.clock = lambda: next(clock)
    ledger.open_accounts(BUDGET_ACCOUNTS, actor="setup")
    first = ledger.post(
        entry(
            "a", ("rijksbegroting", D, "100.00"), ("tranche-5", C, "100.00"), on=date(2023, 1, 31)
        )
    )
    ledger.post(
        entry("b", ("rijksbegroting", D, "50.00"), ("tranche-5", C, "50.00"), on=date(2023, 3, 1))
    )
    ledger.post(
        entry("c", ("rijksbegroting", D, "7.00"), ("tranche-5", C, "7.00"), on=date(2023, 2, 10))
    )
    assert ledger.balance("tranche-5").balance.amount == 157
    assert ledger.balance("tranche-5", as_of=date(2023, 1, 30)).balance.amount == 0
    assert ledger.balance("tranche-5", as_of=date(2023, 1, 31)).balance.amount == 100
    assert ledger.balance("tranche-5", as_of=date(2023, 2, 28)).balance.amount == 107
    assert ledger.balance("tranche-5", recorded_as_of=first.recorded_at).balance.amount == 100
    assert (
        ledger.balance(
            "tranche-5",
            as_of=date(2023, 2, 28),
            recorded_as_of=first.recorded_at + timedelta(minutes=90),
        ).balance.amount
        == 100
    )
    assert ledger.balance(
        "tranche-5", recorded_as_of=datetime(2020, 1, 1, tzinfo=UTC)
    ).balance.is_zero()


def test_balance_of_a_dimension(ledger):
    ledger.open_accounts(
        [
            Account("src", "Source", AccountKind.BUDGET_SOURCE),
            Account(
                "t5-a",
                "T5 deal A",
                AccountKind.BUDGET,
                dimensions=Dimensions(tranche="T5", deal="A"),
            ),
            Account(
                "t5-b",
                "T5 deal B",
                AccountKind.BUDGET,
                dimensions=Dimensions(tranche="T5", deal="B"),
            ),
            Account(
                "t6-c",
                "T6 deal C",
                AccountKind.BUDGET,
                dimensions=Dimensions(tranche="T6", deal="C"),
            ),
        ],
        actor="setup",
    )
    ledger.post(
        entry(
            "x",
            ("src", D, "60.00"),
            ("t5-a", C, "10.00"),
            ("t5-b", C, "20.00"),
            ("t6-c", C, "30.00"),
        )
    )
    tranche_5 = ledger.balances(dimensions=Dimensions(tranche="T5"))
    assert [b.account for b in tranche_5] == ["t5-a", "t5-b"]
    assert sum(b.balance.amount for b in tranche_5) == 30
    as_of = ledger.balances(dimensions=Dimensions(tranche="T5"), as_of=date(2024, 1, 15))
    assert sum(b.balance.amount for b in as_of) == 30


def test_unknown_account_balance_is_refused(ledger):
    with pytest.raises(LedgerError) as refused:
        ledger.balance("nope")
    assert refused.value.code == "unknown_account"


def test_recorded_time_is_compared_as_an_instant_whatever_its_zone(ledger):
    from datetime import timezone

    ledger.clock = lambda: datetime(2024, 3, 1, 12, 0, 0, 500, tzinfo=UTC)
    ledger.open_accounts(BUDGET_ACCOUNTS, actor="setup")
    posted = ledger.post(entry("a", ("rijksbegroting", D, "5.00"), ("tranche-5", C, "5.00")))
    amsterdam = posted.recorded_at.astimezone(timezone(timedelta(hours=1)))
    assert ledger.balance("tranche-5", recorded_as_of=amsterdam).balance.amount == 5
    just_before = amsterdam - timedelta(microseconds=1)
    assert ledger.balance("tranche-5", recorded_as_of=just_before).balance.is_zero()
    with pytest.raises(LedgerError) as refused:
        ledger.balance("tranche-5", recorded_as_of=datetime(2024, 3, 1, 12, 0))
    assert refused.value.code == "naive_timestamp"


def test_a_read_sees_the_books_at_one_moment_while_another_transaction_books(books):
    """A report reads one table after another; an entry committed between two of its reads
    shows in none of them (PostgreSQL's default, READ COMMITTED, would show it in the second)."""
    from sqlalchemy import func, select

    from ledger.db.rows import entry_table
    from ledger.db.unit_of_work import UnitOfWork

    count = select(func.count()).select_from(entry_table)
    with UnitOfWork(books.engine) as uow:
        first = uow.connection.execute(count).scalar_one()
        books.post(entry("meanwhile", ("rijksbegroting", D, "1.00"), ("tranche-5", C, "1.00")))
        assert uow.connection.execute(count).scalar_one() == first
        assert books.balance("tranche-5").balance.amount == 384600001  # committed: others see it
    with UnitOfWork(books.engine) as uow:
        assert uow.connection.execute(count).scalar_one() == first + 1


def test_a_read_cannot_write(database_url):
    """A write that slips into a read unit (which takes no writer's lock) is refused by the
    database and leaves nothing behind; the connection goes back to the pool able to write."""
    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError

    from ledger.db.unit_of_work import UnitOfWork

    ledger = LedgerService.from_url(database_url, pool_size=1, max_overflow=0)
    with pytest.raises(DBAPIError, match="read-only|readonly"), UnitOfWork(ledger.engine) as uow:
        uow.connection.execute(text("CREATE TABLE slipped (id INTEGER)"))
    ledger.open_accounts(BUDGET_ACCOUNTS, actor="setup")  # the same pooled connection, writing
    with UnitOfWork(ledger.engine) as uow:
        tables = sa_inspect(uow.connection).get_table_names()
    assert "slipped" not in tables and "account" in tables
    assert ledger.balance("bank").balance.is_zero()
    ledger.engine.dispose()
