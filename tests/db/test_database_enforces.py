"""The database refuses bad rows by itself: these tests go around the ORM with raw SQL."""

from datetime import date

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from ledger.db.engine import make_engine
from ledger.db.service import LedgerService
from tests.support import BUDGET_ACCOUNTS, C, D, entry


def book_two_entries(ledger: LedgerService) -> LedgerService:
    ledger.open_accounts(BUDGET_ACCOUNTS, actor="setup")
    ledger.post(entry("budget", ("rijksbegroting", D, "100.00"), ("tranche-5", C, "100.00")))
    ledger.post(entry("commit", ("tranche-5", D, "40.00"), ("deal-zwolle", C, "40.00")))
    return ledger


@pytest.fixture
def booked(ledger: LedgerService) -> LedgerService:
    return book_two_entries(ledger)


@pytest.fixture
def postgres_booked(postgres_ledger: LedgerService) -> LedgerService:
    return book_two_entries(postgres_ledger)


def raw(ledger: LedgerService, sql: str, **params) -> None:
    with ledger.engine.begin() as connection:
        connection.execute(text(sql), params)


def refused(ledger: LedgerService, sql: str, code: str, **params) -> None:
    with pytest.raises(DBAPIError) as error:
        raw(ledger, sql, **params)
    assert code in str(error.value)


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE posting SET amount = amount + 1",
        "DELETE FROM posting",
        "UPDATE journal_entry SET memo = 'changed'",
        "DELETE FROM journal_entry WHERE id = 2",
    ],
)
def test_posted_rows_cannot_be_updated_or_deleted(booked, statement):
    refused(booked, statement, "entry_immutable")
    assert booked.verify().ok


def test_accounts_cannot_be_deleted_or_change_identity(booked):
    refused(booked, "DELETE FROM account WHERE code = 'bank'", "account_immutable")
    refused(booked, "UPDATE account SET currency = 'USD' WHERE code = 'bank'", "account_immutable")
    refused(
        booked,
        "UPDATE account SET non_negative = false WHERE code = 'tranche-5'",
        "account_immutable",
    )


def test_a_posting_that_crosses_a_limit_is_refused_by_the_account_check(booked):
    with booked.engine.connect() as connection:
        ids = dict(connection.execute(text("SELECT code, id FROM account")).all())
        head = connection.execute(
            text("SELECT entry_hash FROM journal_entry WHERE id = 2")
        ).scalar()
    insert_entry = (
        "INSERT INTO journal_entry (id, key, effective_on, recorded_at, memo, actor, reason, content_digest, prev_hash, entry_hash) "
        "VALUES (3, 'raw', :on, CURRENT_TIMESTAMP, 'm', 'a', 'r', 'd', :prev, 'h3')"
    )
    insert_posting = (
        "INSERT INTO posting (entry_id, position, account_id, currency, side, amount, effective_on, debit_total_after, credit_total_after) "
        "VALUES (3, 0, :account, 'EUR', 'debit', 7000, :on, 11000, 10000)"
    )
    with pytest.raises(DBAPIError) as error, booked.engine.begin() as connection:
        connection.execute(text(insert_entry), {"on": date(2024, 1, 15), "prev": head})
        connection.execute(
            text(insert_posting), {"account": ids["tranche-5"], "on": date(2024, 1, 15)}
        )
    assert "limit" in str(error.value)
    assert booked.verify().ok


def test_the_chain_cannot_be_skipped(booked):
    refused(
        booked,
        "INSERT INTO journal_entry (id, key, effective_on, recorded_at, memo, actor, reason, content_digest, prev_hash, entry_hash) "
        "VALUES (3, 'raw', '2024-01-15', CURRENT_TIMESTAMP, 'm', 'a', 'r', 'd', 'not-the-previous-hash', 'h3')",
        "chain_broken",
    )


def test_totals_must_follow_from_the_posting(booked):
    with booked.engine.connect() as connection:
        bank = connection.execute(text("SELECT id FROM account WHERE code = 'bank'")).scalar()
        head = connection.execute(
            text("SELECT entry_hash FROM journal_entry WHERE id = 2")
        ).scalar()
    with pytest.raises(DBAPIError) as error, booked.engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO journal_entry (id, key, effective_on, recorded_at, memo, actor, reason, content_digest, prev_hash, entry_hash) "
                "VALUES (3, 'raw', '2024-01-15', CURRENT_TIMESTAMP, 'm', 'a', 'r', 'd', :prev, 'h3')"
            ),
            {"prev": head},
        )
        connection.execute(
            text(
                "INSERT INTO posting (entry_id, position, account_id, currency, side, amount, effective_on, debit_total_after, credit_total_after) "
                "VALUES (3, 0, :bank, 'EUR', 'debit', 500, '2024-01-15', 1, 0)"
            ),
            {"bank": bank},
        )
    assert "running_total_mismatch" in str(error.value)


@pytest.mark.postgresql
def test_postgres_refuses_an_unbalanced_entry_at_commit(postgres_booked):
    booked = postgres_booked
    with booked.engine.connect() as connection:
        bank = connection.execute(text("SELECT id FROM account WHERE code = 'bank'")).scalar()
        head = connection.execute(
            text("SELECT entry_hash FROM journal_entry WHERE id = 2")
        ).scalar()
    with pytest.raises(DBAPIError) as error, booked.engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO journal_entry (id, key, effective_on, recorded_at, memo, actor, reason, content_digest, prev_hash, entry_hash) "
                "VALUES (3, 'raw', '2024-01-15', now(), 'm', 'a', 'r', 'd', :prev, 'h3')"
            ),
            {"prev": head},
        )
        for position in (0, 1):
            connection.execute(
                text(
                    "INSERT INTO posting (entry_id, position, account_id, currency, side, amount, effective_on, debit_total_after, credit_total_after) "
                    "VALUES (3, :position, :bank, 'EUR', 'debit', 500, '2024-01-15', :after, 0)"
                ),
                {"bank": bank, "position": position, "after": 500 * (position + 1)},
            )
    assert "unbalanced_entry" in str(error.value)
    assert booked.verify().entries_checked == 2


@pytest.mark.postgresql
def test_postgres_refuses_direct_changes_of_derived_totals(postgres_booked):
    booked = postgres_booked
    refused(
        booked,
        "UPDATE account SET credit_total = credit_total + 100 WHERE code = 'tranche-5'",
        "entry_immutable",
    )
    refused(booked, "UPDATE account_month_balance SET debit_total = 0", "entry_immutable")
    refused(booked, "TRUNCATE posting CASCADE", "entry_immutable")


def test_sqlite_engine_settings_are_durable(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'x.db'}")
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
    engine.dispose()


def spending_account(code: str, year: int | None):  # noqa: ANN201
    from ledger.accounts import Account, AccountKind, Dimensions

    return Account(
        code, "spent", AccountKind.BUDGET, dimensions=Dimensions(beschikking="B-1", year=year)
    )


@pytest.mark.parametrize(
    ("code", "year"),
    [
        ("beschikking:B-1:spent:2025:kas", 2025),  # no such funding source
        ("beschikking:B-1:spent:2025:cofinancieringXpubliek", 2025),  # '_' is not a wildcard
        ("beschikking:B-1:spent:2025:Rijk", 2025),  # the source as written, not in any case
        ("beschikking:B-1:spent:2025:rijk:extra", 2025),  # the source ends the code
        ("beschikking:B-1:spent:2024:rijk", 2025),  # the year in the code is its own year
        ("beschikking:B-1:spent:2025:rijk", None),  # a spending account has a year
    ],
)
def test_a_spending_account_names_its_year_and_a_known_funding_source(ledger, code, year):
    """SiSa reads a spending account's source from the end of its code, twice; the database
    refuses an account that would make the two readings differ, whoever opens it."""
    from ledger.errors import LedgerError

    with pytest.raises(LedgerError) as error:
        ledger.open_account(spending_account(code, year), actor="setup")
    assert error.value.code == "unknown_funding_source"
    with pytest.raises(LedgerError) as unknown:
        ledger.balance(code)
    assert unknown.value.code == "unknown_account"
    refused(
        ledger,
        "INSERT INTO account (code, name, kind, normal_side, currency, non_negative, year, "
        "opened_at, opened_by, debit_total, credit_total) VALUES (:account, 'x', 'budget', 'credit', "
        "'EUR', false, :year, '2025-01-01 00:00:00', 'raw', 0, 0)",
        "unknown_funding_source",
        account=code,
        year=year,
    )


def test_the_four_funding_sources_open_as_spending_accounts(ledger):
    for source in ("rijk", "cofinanciering_publiek", "cofinanciering_privaat", "in_natura"):
        code = f"beschikking:B-1:spent:2025:{source}"
        ledger.open_account(spending_account(code, 2025), actor="setup")
        assert ledger.balance(code).balance.is_zero()
