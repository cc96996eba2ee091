"""The ledger's service layer: each public method is one operation in one transaction.

    ledger = LedgerService.from_url("sqlite:///regioledger.db")
    ledger.open_account(Account("bank", "Bank", AccountKind.ASSET), actor="jan")
    ledger.post(JournalEntry(...))

Higher services (tranches, beschikkingen, statements) compose ``book_entries`` and their own
tables inside one ``UnitOfWork`` instead of calling these methods one after another.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, Engine, insert, select, update

from ledger.accounts import Account, Dimensions
from ledger.balances import Balance
from ledger.db import queries
from ledger.db.driver import Reader
from ledger.db.engine import make_engine
from ledger.db.errors import translate_database_error
from ledger.db.journal import (
    Clock,
    book_entries,
    book_in_one_call,
    entry_by_key,
    refuse_future,
    utc_now,
)
from ledger.db.rows import account_from_row, account_table, account_values
from ledger.db.unit_of_work import UnitOfWork
from ledger.db.verify import VerifyReport, verify_journal
from ledger.entries import JournalEntry, reverse_entry
from ledger.errors import LedgerError
from ledger.posted import PostedEntry
from ledger.said import said


def open_accounts(
    connection: Connection, accounts: Iterable[Account], *, actor: str, opened_at: datetime
) -> list[Account]:
    """Open accounts; an account that exists with the same settings is left as it is."""
    wanted = list(accounts)
    if not wanted:
        return []
    codes = [a.code for a in wanted]
    existing = {
        row.code: account_from_row(row)
        for row in connection.execute(select(account_table).where(account_table.c.code.in_(codes)))
    }
    new_rows = []
    for account in wanted:
        found = existing.get(account.code)
        if found is not None and found != account:
            raise LedgerError.single(
                "account_exists",
                said(
                    "Account {account} already exists with other settings ({found}).",
                    account=account.code,
                    found=found,
                ),
                account=account.code,
            )
        if found is None:
            new_rows.append(account_values(account, opened_at, actor))
            existing[account.code] = account
    if new_rows:
        with translate_database_error():
            connection.execute(insert(account_table), new_rows)
    return [existing[a.code] for a in wanted]


class LedgerService:
    def __init__(self, engine: Engine, clock: Clock = utc_now):
        self.engine = engine
        self.clock = clock

    @classmethod
    def from_url(cls, url: str, **engine_options: Any) -> LedgerService:
        return cls(make_engine(url, **engine_options))

    def open_account(self, account: Account, *, actor: str) -> Account:
        return self.open_accounts([account], actor=actor)[0]

    def open_accounts(self, accounts: Iterable[Account], *, actor: str) -> list[Account]:
        with UnitOfWork(self.engine, write=True) as uow:
            opened = open_accounts(uow.connection, accounts, actor=actor, opened_at=self.clock())
            uow.commit()
        return opened

    def close_account(self, code: str, *, actor: str) -> None:
        with UnitOfWork(self.engine, write=True) as uow:
            with translate_database_error():
                result = uow.connection.execute(
                    update(account_table)
                    .where(account_table.c.code == code, account_table.c.closed_at.is_(None))
                    .values(closed_at=self.clock(), closed_by=actor)
                )
            if result.rowcount != 1:
                raise LedgerError.single(
                    "unknown_account",
                    said("Account {code} does not exist or is already closed.", code=code),
                    account=code,
                )
            uow.commit()

    def post(self, entry: JournalEntry) -> PostedEntry:
        """Book one entry. On PostgreSQL an ordinary entry is one server-side call that is its
        own transaction (one round trip); anything else takes the usual path."""
        refuse_future([entry])
        if self.engine.dialect.name == "postgresql":
            autocommit = self.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
            with autocommit as connection:
                posted = book_in_one_call(connection, entry, self.clock)
            if posted is not None:
                return posted
        return self.post_many([entry])[0]

    def post_many(self, entries: Sequence[JournalEntry]) -> list[PostedEntry]:
        """Book all entries in one transaction, or none of them."""
        with UnitOfWork(self.engine, write=True) as uow:
            posted = book_entries(uow.connection, entries, self.clock)
            uow.commit()
        return posted

    def reverse(
        self,
        original_key: str,
        *,
        key: str,
        actor: str,
        reason: str,
        effective_on: date | None = None,
    ) -> PostedEntry:
        """Book the mirror image of an entry, linked to it; the original stays as it was."""
        with UnitOfWork(self.engine, write=True) as uow:
            original = entry_by_key(uow.connection, original_key).to_entry()
            reversal = reverse_entry(
                original, key=key, actor=actor, reason=reason, effective_on=effective_on
            )
            posted = book_entries(uow.connection, [reversal], self.clock)[0]
            uow.commit()
        return posted

    def entry(self, key: str) -> PostedEntry:
        with UnitOfWork(self.engine) as uow:
            return entry_by_key(uow.connection, key)

    def balance(
        self, code: str, *, as_of: date | None = None, recorded_as_of: datetime | None = None
    ) -> Balance:
        with UnitOfWork(self.engine) as uow:
            return queries.account_balance(
                uow.connection, code, as_of=as_of, recorded_as_of=recorded_as_of
            )

    def balances(
        self,
        *,
        dimensions: Dimensions | None = None,
        currency: str | None = None,
        as_of: date | None = None,
        recorded_as_of: datetime | None = None,
    ) -> list[Balance]:
        with UnitOfWork(self.engine) as uow:
            return queries.balances(
                uow.connection,
                dimensions=dimensions,
                currency=currency,
                as_of=as_of,
                recorded_as_of=recorded_as_of,
            )

    def trial_balance(
        self, *, as_of: date | None = None, recorded_as_of: datetime | None = None
    ) -> queries.TrialBalance:
        with UnitOfWork(self.engine) as uow:
            return queries.trial_balance(uow.connection, as_of=as_of, recorded_as_of=recorded_as_of)

    def verify(self) -> VerifyReport:
        with UnitOfWork(self.engine) as uow:
            return verify_journal(Reader.of(uow.connection))
