"""What every operation of the Regio Deals shares: one write transaction (or the caller's),
refusals in the domain's words, booking an entry with its accounts, replays, and the rows and
events every aggregate writes.

Idempotency: each operation takes a ``key``. Repeating it with the same content returns the
first booking; with other content it is refused (``idempotency_conflict``).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, Engine, func, insert, select

from ledger.accounts import Account, Dimensions
from ledger.book import check_idempotency
from ledger.clock import today
from ledger.dates import not_after_today
from ledger.db import queries
from ledger.db.errors import translate_database_error
from ledger.db.journal import Clock, book_entries_noting_new, serialise_writers, utc_now
from ledger.db.rows import load_entries
from ledger.db.service import open_accounts
from ledger.db.unit_of_work import UnitOfWork
from ledger.entries import JournalEntry
from ledger.errors import LedgerError, raise_if_any
from ledger.money import Money
from ledger.posted import PostedEntry
from ledger.regio import chart, rules
from ledger.regio.db import rows as regio_rows
from ledger.regio.db.rows import BeschikkingState
from ledger.regio.db.tables import amendment_table, event_table
from ledger.regio.model import (
    AmendmentKind,
    EventKind,
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
            with self._domain_words():
                serialise_writers(self.connection)
                yield self.connection
            return
        with UnitOfWork(self.engine, write=True) as uow:
            with self._domain_words():
                serialise_writers(uow.connection)  # "was this key booked?" sees every booking
                yield uow.connection
            uow.commit()

    @staticmethod
    @contextmanager
    def _domain_words() -> Iterator[None]:
        try:
            yield
        except LedgerError as error:
            raise LedgerError([rules.explain_limit(p) for p in error.problems]) from error

    def _book(
        self, connection: Connection, entry: JournalEntry, accounts: Sequence[Account], who: Who
    ) -> PostedEntry:
        open_accounts(connection, accounts, actor=who.actor, opened_at=self.clock())
        [(posted, _new)] = book_entries_noting_new(connection, [entry], self.clock)
        return posted

    @staticmethod
    def _replayed(connection: Connection, entry: JournalEntry) -> PostedEntry | None:
        found = load_entries(connection, keys=[entry.key])
        return check_idempotency(entry, found[0]) if found else None

    @staticmethod
    def _exists(connection: Connection, column: Any, value: str) -> bool:
        """Whether a row has this code, in any letter case (codes are one record whatever
        their case; the database holds a unique index on the lower-cased code)."""
        found = select(column).where(func.lower(column) == value.lower())
        return connection.execute(found).first() is not None

    def _insert(self, connection: Connection, table: Any, **values: Any) -> None:
        with translate_database_error():
            connection.execute(insert(table), values)  # compiled once per set of columns

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
        self._insert(
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

    def _open_state(self, connection: Connection, nummer: str) -> BeschikkingState:
        state = regio_rows.beschikking_state(connection, nummer)
        self._check_open(state)
        return state

    @staticmethod
    def _check_open(state: BeschikkingState) -> None:
        raise_if_any(rules.check_open(state.nummer, state.settled, state.converted_to is not None))

    def _stage_balances(self, connection: Connection, nummer: str) -> dict[str, Money]:
        """Balances of a beschikking's accounts by their code's stage (``paid``, ``unspent``, ...),
        and its spending over all years by source: ``spent_rijk``, ``spent_in_natura``, ... (one
        read serves a vaststelling's amounts and its co-financing)."""
        found = queries.balances(connection, dimensions=Dimensions(beschikking=nummer))
        stages: dict[str, Money] = {}
        for balance in found:
            account = chart.parse(balance.account)
            if not account.is_spending:
                stages[account.stage] = balance.balance
                continue
            name, earlier = f"spent_{account.source}", stages.get(f"spent_{account.source}")
            stages[name] = balance.balance + earlier if earlier is not None else balance.balance
        return stages

    def _replay(
        self, connection: Connection, key: str, kind: EventKind | AmendmentKind, **same: Any
    ) -> Any:
        """What an earlier request made under ``key``: its event or amendment row (a retry, to
        answer as the first time), or None. A record of another kind under that key, or one
        whose ``same`` fields differ (another beschikking, year, text), is a conflict: a key
        is one request. The journal's own entries replay by their content instead
        (``_replayed``); the HTTP API's keys by the request (``api.http.idempotency.once``)."""
        table = event_table if isinstance(kind, EventKind) else amendment_table
        row = connection.execute(select(table).where(table.c.key == key)).first()
        if row is None:
            return None
        if row.kind != kind or any(getattr(row, name) != value for name, value in same.items()):
            raise LedgerError.single(
                "idempotency_conflict",
                f"Key {key} was used for another change.",
                f"Sleutel {key} is al voor een andere wijziging gebruikt.",
            )
        return row

    @staticmethod
    def _final_year(connection: Connection, nummer: str) -> int | None:
        return connection.execute(
            select(event_table.c.year).where(
                event_table.c.beschikking == nummer, event_table.c.kind == EventKind.FINAL
            )
        ).scalar()
