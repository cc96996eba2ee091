"""Small builders that keep test ledgers readable."""

from __future__ import annotations

from datetime import date
from typing import Any

from ledger.accounts import Account, AccountKind, Side
from ledger.entries import JournalEntry, Posting
from ledger.money import Money

D, C = Side.DEBIT, Side.CREDIT


def eur(amount: str) -> Money:
    return Money.of(amount, "EUR")


def entry(
    key: str,
    *postings: tuple[str, Side, str] | tuple[str, Side, str, str],
    on: date = date(2024, 1, 15),
    reverses: str | None = None,
    actor: str = "test-officer",
    reason: str = "test",
) -> JournalEntry:
    """``entry("k", ("bank", D, "10.00"), ("income", C, "10.00"))``; a fourth item is the currency."""
    built = tuple(
        Posting(p[0], p[1], Money.of(p[2], p[3] if len(p) > 3 else "EUR"))  # type: ignore[misc]
        for p in postings
    )
    return JournalEntry(
        key=key,
        effective_on=on,
        memo=f"test entry {key}",
        actor=actor,
        reason=reason,
        postings=built,
        reverses=reverses,
    )


BUDGET_ACCOUNTS = [
    Account("rijksbegroting", "Rijksbegroting (appropriation)", AccountKind.BUDGET_SOURCE),
    Account("tranche-5", "Tranche 5 available", AccountKind.BUDGET, non_negative=True),
    Account("deal-zwolle", "Deal Zwolle II committed", AccountKind.BUDGET, non_negative=True),
    Account("bank", "Bank", AccountKind.ASSET),
    Account("usd-bank", "Bank USD", AccountKind.ASSET, currency="USD"),
    Account("usd-source", "USD source", AccountKind.BUDGET_SOURCE, currency="USD"),
    Account("in-kind", "In kind value", AccountKind.MEMORANDUM),
    Account("in-kind-contra", "In kind contra", AccountKind.MEMORANDUM_CONTRA),
]


def writers_held_off(engine: Any) -> bool:
    """Whether another writer would have to wait now, asked of the database and never waiting:
    SQLite's ``BEGIN IMMEDIATE`` on a connection of its own, PostgreSQL's journal lock tried
    from another session."""
    if engine.dialect.name == "sqlite":
        import sqlite3

        other = sqlite3.connect(engine.url.database, timeout=0, isolation_level=None)
        try:
            other.execute("BEGIN IMMEDIATE")
            other.execute("ROLLBACK")
            return False
        except sqlite3.OperationalError as error:
            return "locked" in str(error)
        finally:
            other.close()
    from sqlalchemy import text

    from ledger.db.journal import JOURNAL_LOCK_KEY

    with engine.connect() as other:
        free = other.execute(
            text("SELECT pg_try_advisory_xact_lock(:key)"), {"key": JOURNAL_LOCK_KEY}
        ).scalar()
        other.rollback()
    return not free
