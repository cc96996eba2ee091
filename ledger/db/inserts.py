"""The journal's own inserts: sealed entries and their postings written through the driver's
cursor on the transaction's connection, in multi-row INSERTs (one round trip on PostgreSQL in
psycopg's pipeline mode)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import closing, contextmanager, nullcontext
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.exc import DBAPIError

from ledger.db.errors import translate_database_error
from ledger.db.rows import storage_values
from ledger.posted import PostedEntry


def write_batch(
    connection: Connection,
    posted: Sequence[PostedEntry],
    originals: Mapping[str, PostedEntry],
    accounts: Mapping[str, Any],
) -> None:
    """The sealed entries and their postings, in the caller's transaction: plain driver inserts
    (the rows are checked already, and per-row parameter handling in SQLAlchemy would cost more
    than the insert itself; see make bench). ``originals``: the entries they reverse, by key;
    ``accounts``: the locked accounts by code (their ids)."""
    if not posted:
        return
    ids_by_key = {p.key: p.sequence for p in posted}
    ids_by_key.update({p.key: p.sequence for p in originals.values()})
    dialect = connection.dialect.name
    entry_rows, posting_rows = [], []
    for p in posted:
        effective_on, recorded_at = storage_values(dialect, p.effective_on, p.recorded_at)
        reverses_id = ids_by_key[p.reverses] if p.reverses else None
        entry_rows.append(
            (
                p.sequence,
                p.key,
                effective_on,
                recorded_at,
                p.memo,
                p.actor,
                p.reason,
                p.source_document,
                reverses_id,
                p.content_digest,
                p.prev_hash,
                p.entry_hash,
            )
        )
        posting_rows += [
            (
                p.sequence,
                position,
                accounts[posting.account].id,
                posting.currency,
                posting.side,
                posting.minor_units,
                effective_on,
                posting.debit_total_after,
                posting.credit_total_after,
            )
            for position, posting in enumerate(p.postings)
        ]
    # On PostgreSQL both go out together: one round trip for the entry and its postings.
    mark = "%s" if dialect == "postgresql" else "?"
    with translate_database_error(), driver_cursor(connection, pipelined=True) as cursor:
        insert_rows(cursor, "journal_entry", ENTRY_COLUMNS, entry_rows, mark)
        insert_rows(cursor, "posting", POSTING_COLUMNS, posting_rows, mark)


ENTRY_COLUMNS = (
    "id",
    "key",
    "effective_on",
    "recorded_at",
    "memo",
    "actor",
    "reason",
    "source_document",
    "reverses_id",
    "content_digest",
    "prev_hash",
    "entry_hash",
)
POSTING_COLUMNS = (
    "entry_id",
    "position",
    "account_id",
    "currency",
    "side",
    "amount",
    "effective_on",
    "debit_total_after",
    "credit_total_after",
)


#: Up to this many rows go in one multi-row INSERT (one round trip); more use executemany.
MULTI_ROW_INSERT = 64


def insert_rows(
    cursor: Any, table: str, columns: tuple[str, ...], rows: list[tuple[Any, ...]], mark: str
) -> None:
    """Rows through a driver cursor: one multi-row INSERT, or executemany for many rows."""
    one_row = f"({', '.join([mark] * len(columns))})"
    quoted = ", ".join(f'"{c}"' for c in columns)
    head = f"INSERT INTO {table} ({quoted}) VALUES "
    if len(rows) <= MULTI_ROW_INSERT:
        flat = tuple(value for row in rows for value in row)
        cursor.execute(head + ", ".join([one_row] * len(rows)), flat)
    else:
        cursor.executemany(head + one_row, rows)


@contextmanager
def driver_cursor(connection: Connection, pipelined: bool = False) -> Iterator[Any]:
    """A cursor of the driver on the transaction's own connection; ``pipelined`` on PostgreSQL:
    in psycopg's pipeline mode, the statements sent inside go out together and are answered in
    one round trip (worth it for two or more: for one, the mode's own syncs cost more than they
    save, make bench). An error of the database comes back as SQLAlchemy's, as from any other
    statement, for ``translate_database_error`` and the callers' handling."""
    dbapi = connection.connection.driver_connection
    if connection.dialect.name == "postgresql":
        import psycopg

        base, context = psycopg.Error, dbapi.pipeline() if pipelined else nullcontext()
    else:
        import sqlite3

        base, context = sqlite3.Error, nullcontext()
    try:
        with context, closing(dbapi.cursor()) as cursor:
            yield cursor
    except base as error:
        raise DBAPIError.instance(
            "(the booking's own statements)", None, error, base, dialect=connection.dialect
        ) from error
