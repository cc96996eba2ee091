"""The journal read through the plain DB-API driver (sqlite3 or psycopg), without SQLAlchemy.

Reading the whole journal is the one hot read that needs no query builder: ``verify`` and the
journal export stream every entry in order. Doing it through the driver makes them fast, and
lets ``regioledger verify`` start without importing SQLAlchemy at all (make bench measures
the start-up).

A ``Reader`` is a DB-API connection and its dialect. Inside a unit of work take
``Reader.of(connection)``: the same connection, so the same transaction and snapshot. On its
own, ``open_reader(url)`` opens the driver directly for the URL forms regioledger writes
(``sqlite:///FILE`` and ``postgresql://…``) and, for any other form, through SQLAlchemy's
engine, so every URL the engine takes is taken here too.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import lru_cache
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from ledger.accounts import Account, AccountKind, Dimensions
from ledger.posted import PostedEntry, PostedPosting

if TYPE_CHECKING:
    from sqlalchemy import Connection

#: How long a reader of an SQLite ledger waits for a writer's lock (as the engine does).
SQLITE_BUSY_TIMEOUT_MS = 30_000


@dataclass(frozen=True)
class Reader:
    connection: Any  # a PEP 249 connection
    dialect: str  # "sqlite" or "postgresql"

    @classmethod
    def of(cls, connection: Connection) -> Reader:
        """The driver connection under an SQLAlchemy connection, in its transaction."""
        return cls(connection.connection.driver_connection, connection.dialect.name)

    def rows(self, sql: str, parameters: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        """Every row of a query; ``?`` marks a parameter on both dialects."""
        if self.dialect != "sqlite":
            sql = sql.replace("?", "%s")
        cursor = self.connection.cursor()
        try:
            cursor.execute(sql, parameters)
            return cursor.fetchall()
        finally:
            cursor.close()


def sqlite_path(url: str) -> str | None:
    """The file of a plain ``sqlite:///FILE`` URL; None for any other form (memory, URI mode,
    query options), which goes through the engine instead."""
    parts = urlsplit(url)
    if parts.scheme not in ("sqlite", "sqlite+pysqlite") or parts.netloc or parts.query:
        return None
    path = parts.path[1:]
    return path if path and path != ":memory:" and "%" not in path else None


def postgres_conninfo(url: str) -> str | None:
    """The libpq URI of a ``postgresql://`` URL (psycopg reads it as it is)."""
    scheme, _, rest = url.partition("://")
    if scheme in ("postgresql", "postgres", "postgresql+psycopg") and rest:
        return f"postgresql://{rest}"
    return None


def opened_directly(url: str) -> bool:
    """Whether ``open_reader`` opens the driver itself (else through the engine)."""
    return sqlite_path(url) is not None or postgres_conninfo(url) is not None


@contextmanager
def open_reader(url: str) -> Iterator[Reader]:
    """A read-only look at the ledger at ``url``, closed afterwards. Driver errors pass through
    as the driver raises them (``sqlite3.Error``, ``psycopg.Error``)."""
    if (path := sqlite_path(url)) is not None:
        import sqlite3

        connection = sqlite3.connect(path, isolation_level=None)
        connection.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        connection.execute("BEGIN")  # one snapshot for the whole read
        reader = Reader(connection, "sqlite")
    elif (conninfo := postgres_conninfo(url)) is not None:
        import psycopg

        connection = psycopg.connect(conninfo)
        connection.read_only = True
        connection.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        reader = Reader(connection, "postgresql")
    else:
        from ledger.db.engine import make_engine

        engine = make_engine(url)
        with engine.connect() as sqlalchemy_connection, sqlalchemy_connection.begin():
            yield Reader.of(sqlalchemy_connection)
        engine.dispose()
        return
    try:
        yield reader
    finally:
        connection.close()


def plain_rows(connection: Connection, query: Any) -> list[tuple[Any, ...]]:
    """A Core query run through the driver on the transaction's own connection: plain tuples
    instead of SQLAlchemy's rows, for queries that answer tens of thousands of rows (the SiSa
    aggregates). For queries whose parameters are numbers and strings, which the drivers bind
    as they are; results come as the driver gives them (sums: int on SQLite, Decimal on
    PostgreSQL)."""
    compiled = query.compile(dialect=connection.dialect)
    parameters: Any = compiled.params
    if compiled.positional:
        parameters = tuple(compiled.params[name] for name in compiled.positiontup or ())
    cursor = connection.connection.driver_connection.cursor()
    try:
        cursor.execute(str(compiled), parameters)
        return cursor.fetchall()
    finally:
        cursor.close()


# --- the journal -----------------------------------------------------------------------------

ENTRIES = (
    "SELECT e.id, e.key, e.effective_on, e.recorded_at, e.memo, e.actor, e.reason, "
    "e.source_document, e.content_digest, e.prev_hash, e.entry_hash, r.key "
    "FROM journal_entry e LEFT JOIN journal_entry r ON e.reverses_id = r.id "
    "WHERE e.id > ? ORDER BY e.id LIMIT ?"
)
POSTINGS = (
    "SELECT p.entry_id, a.code, p.side, p.amount, p.currency, p.debit_total_after, "
    "p.credit_total_after FROM posting p JOIN account a ON p.account_id = a.id "
    "WHERE p.entry_id BETWEEN ? AND ? ORDER BY p.entry_id, p.position"
)
ACCOUNTS = (
    "SELECT id, code, name, kind, currency, envelope, tranche, deal, beschikking, organisation, "
    "year, non_negative, closed_at, debit_total, credit_total FROM account ORDER BY id"
)


def day(value: Any) -> Any:
    """A date as SQLite (ISO text), PostgreSQL (a date) or its JSON (text) hands it back;
    None stays None."""
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def moment(value: Any) -> datetime:
    """A timestamp as SQLite (naive UTC text) or PostgreSQL (aware) hands it back, aware."""
    if not isinstance(value, datetime):
        value = datetime.fromisoformat(str(value))
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


def stream_entries(reader: Reader, chunk: int = 5000) -> Iterator[PostedEntry]:
    """Every posted entry in journal order, read in chunks so memory stays flat."""
    last_id = 0
    while True:
        entry_rows = reader.rows(ENTRIES, (last_id, chunk))
        if not entry_rows:
            return
        first, last_id = entry_rows[0][0], entry_rows[-1][0]
        by_entry: dict[int, list[PostedPosting]] = {row[0]: [] for row in entry_rows}
        for entry_id, *posting in reader.rows(POSTINGS, (first, last_id)):
            by_entry[entry_id].append(PostedPosting(*posting))
        for row in entry_rows:
            yield posted_entry(row, by_entry[row[0]])


#: One entry by its key, if booked before a sequence number (a reversal's original, for verify).
ENTRY_BY_KEY = ENTRIES.replace(
    "WHERE e.id > ? ORDER BY e.id LIMIT ?", "WHERE e.key = ? AND e.id < ?"
)


def entry_before(reader: Reader, key: str, before: int) -> PostedEntry | None:
    """The entry with ``key`` if it is booked before sequence number ``before``: ``verify``
    looks a reversal's original up instead of keeping every entry it has checked."""
    found = reader.rows(ENTRY_BY_KEY, (key, before))
    if not found:
        return None
    row = found[0]
    postings = [PostedPosting(*p) for _, *p in reader.rows(POSTINGS, (row[0], row[0]))]
    return posted_entry(row, postings)


def posted_entry(row: Sequence[Any], postings: Sequence[PostedPosting]) -> PostedEntry:
    """An entry from a row of the columns of ``ENTRIES`` (in that order: the driver's tuples
    and SQLAlchemy's rows alike) and its postings."""
    return PostedEntry(
        sequence=row[0],
        key=row[1],
        effective_on=day(row[2]),
        recorded_at=moment(row[3]),
        memo=row[4],
        actor=row[5],
        reason=row[6],
        source_document=row[7],
        reverses=row[11],
        postings=tuple(postings),
        content_digest=row[8],
        prev_hash=row[9],
        entry_hash=row[10],
    )


@dataclass(frozen=True)
class StoredAccount:
    """An account as the database keeps it: the core's account, its row id and its totals."""

    id: int
    account: Account
    debit_total: int
    credit_total: int


def stored_accounts(reader: Reader) -> list[StoredAccount]:
    return [
        StoredAccount(
            row[0],
            account_of(*row[1:5], tuple(row[5:11]), bool(row[11]), row[12] is not None),
            row[13],
            row[14],
        )
        for row in reader.rows(ACCOUNTS)
    ]


@lru_cache(maxsize=65_536)
def account_of(
    code: str,
    name: str,
    kind: str,
    currency: str,
    dimensions: tuple[Any, ...],
    non_negative: bool,
    closed: bool,
) -> Account:
    """The core's account from a row's values. Accounts are immutable values, so equal rows
    share one object (a hot path when every batch of bookings loads its accounts)."""
    return Account(
        code=code,
        name=name,
        kind=AccountKind(kind),
        currency=currency,
        dimensions=Dimensions(*dimensions),
        non_negative=non_negative,
        closed=closed,
    )
