"""What every operation of the Regio Deals shares: its write transaction (or the caller's),
refusals said in the domain's words (``rules.said_in_domain_words``), and what needs the
transaction's clock: booking an entry with its accounts, and the event rows it keeps. The rows
and reads beside it are ``records``.

Idempotency: each operation takes a ``key``. Repeating it with the same content returns the
first booking; with other content it is refused (``idempotency_conflict``).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, Engine

from ledger.accounts import Account
from ledger.clock import today
from ledger.dates import not_after_today
from ledger.db.journal import Clock, book_entries_noting_new, serialise_writers, utc_now
from ledger.db.service import open_accounts
from ledger.db.unit_of_work import UnitOfWork
from ledger.entries import JournalEntry
from ledger.errors import raise_if_any
from ledger.money import Money
from ledger.posted import PostedEntry
from ledger.regio import rules
from ledger.regio.db import records
from ledger.regio.db import rows as regio_rows
from ledger.regio.db.tables import event_table
from ledger.regio.model import (
    Who,
)

Amount = Money | Decimal  # a bare Decimal: in the currency of the beschikking it concerns


def in_currency_of(state: regio_rows.BeschikkingState, amount: Amount) -> Money:
    if isinstance(amount, Money):
        return amount
    return Money.of(amount, state.beschikking.amount.currency)


class Writer:
    """The base of the operations. Each runs in its own write transaction, or, when made with
    a ``connection``, inside the caller's (which then commits or rolls back)."""

    def __init__(
        self, engine: Engine, clock: Clock = utc_now, connection: Connection | None = None
    ):
        self.engine = engine
        self.clock = clock
        self.connection = connection

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        """One write transaction; refusals of the ledger are said in the domain's words."""
        if self.connection is not None:
            with rules.said_in_domain_words():
                serialise_writers(self.connection)
                yield self.connection
            return
        with UnitOfWork(self.engine, write=True) as uow:
            with rules.said_in_domain_words():
                serialise_writers(uow.connection)  # "was this key booked?" sees every booking
                yield uow.connection
            uow.commit()

    def _book(
        self, connection: Connection, entry: JournalEntry, accounts: Sequence[Account], who: Who
    ) -> PostedEntry:
        open_accounts(connection, accounts, actor=who.actor, opened_at=self.clock())
        [(posted, _new)] = book_entries_noting_new(connection, [entry], self.clock)
        return posted

    def _event(
        self,
        connection: Connection,
        key: str,
        nummer: str,
        kind: str,
        on: date,
        who: Who,
        posted: PostedEntry | None,
        **values: Any,
    ) -> None:
        raise_if_any(not_after_today(f"The {kind.replace('_', ' ')}", on, today()))
        records.write_row(
            connection,
            event_table,
            key=key,
            beschikking=nummer,
            kind=kind,
            effective_on=on,
            actor=who.actor,
            reason=who.reason,
            recorded_at=self.clock(),
            entry_id=posted.sequence if posted else None,
            **values,
        )
