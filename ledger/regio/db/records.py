"""The records every operation of the Regio Deals reads and writes beside its entry: a row, a
code's existence in any letter case, a beschikking's state and balances, its final year, and
the replay of a retried request (an entry by its content, an event or a correction by the
record kept under its key). Functions on the caller's connection; the transaction is the
``Writer``'s."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, func, insert, select

from ledger.accounts import Dimensions
from ledger.book import check_idempotency
from ledger.db import queries
from ledger.db.errors import translate_database_error
from ledger.db.rows import load_entries
from ledger.entries import JournalEntry
from ledger.errors import LedgerError, raise_if_any
from ledger.money import Money
from ledger.posted import PostedEntry
from ledger.regio import chart, rules
from ledger.regio.db import rows as regio_rows
from ledger.regio.db.rows import BeschikkingState
from ledger.regio.db.tables import amendment_table, event_table
from ledger.regio.model import AmendmentKind, EventKind
from ledger.said import said


def replayed(connection: Connection, entry: JournalEntry) -> PostedEntry | None:
    """The entry booked before under ``entry``'s key (a retry with the same content), or None;
    other content under that key is refused (``idempotency_conflict``)."""
    found = load_entries(connection, keys=[entry.key])
    return check_idempotency(entry, found[0]) if found else None


def exists(connection: Connection, column: Any, value: str) -> bool:
    """Whether a row has this code, in any letter case (codes are one record whatever
    their case; the database holds a unique index on the lower-cased code)."""
    found = select(column).where(func.lower(column) == value.lower())
    return connection.execute(found).first() is not None


def write_row(connection: Connection, table: Any, **values: Any) -> None:
    """One row, the database's refusals said as the ledger's."""
    with translate_database_error():
        connection.execute(insert(table), values)  # compiled once per set of columns


def open_state(connection: Connection, nummer: str) -> BeschikkingState:
    """A beschikking's state, refused when it is settled or converted."""
    state = regio_rows.beschikking_state(connection, nummer)
    check_open(state)
    return state


def check_open(state: BeschikkingState) -> None:
    raise_if_any(rules.check_open(state.nummer, state.settled, state.converted_to is not None))


def stage_balances(connection: Connection, nummer: str) -> dict[str, Money]:
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


def replay(connection: Connection, key: str, kind: EventKind | AmendmentKind, **same: Any) -> Any:
    """What an earlier request made under ``key``: its event or amendment row (a retry, to
    answer as the first time), or None. A record of another kind under that key, or one
    whose ``same`` fields differ (another beschikking, year, text), is a conflict: a key
    is one request. The journal's own entries replay by their content instead
    (``replayed``); the HTTP API's keys by the request (``api.http.idempotency.once``)."""
    table = event_table if isinstance(kind, EventKind) else amendment_table
    row = connection.execute(select(table).where(table.c.key == key)).first()
    if row is None:
        return None
    if row.kind != kind or any(getattr(row, name) != value for name, value in same.items()):
        raise LedgerError.single(
            "idempotency_conflict",
            said("Key {key} was used for another change.", key=key),
        )
    return row


def final_years(connection: Connection, nummer: str) -> frozenset[int]:
    """The years of a beschikking's eindverantwoording (one, once it is made)."""
    query = select(event_table.c.year).where(
        event_table.c.beschikking == nummer, event_table.c.kind == EventKind.FINAL
    )
    return frozenset(connection.execute(query).scalars())


def final_year(connection: Connection, nummer: str) -> int | None:
    """The year of a beschikking's eindverantwoording, if it has one."""
    return max(final_years(connection, nummer), default=None)
