"""The unit of work: one business operation, one database transaction.

    with UnitOfWork(engine, write=True) as uow:
        ...                      # read and write through uow.connection
        uow.commit()             # explicit; leaving the block without it rolls back

Write units on SQLite start with ``BEGIN IMMEDIATE``, and the threads of one process queue for
it on a lock of their own first: SQLite's busy handler would make them poll with growing sleeps
(up to 100 ms each), which shows as long tail latencies in the API. Other processes still queue
through SQLite's busy timeout. On PostgreSQL the journal takes a transaction-scoped advisory
lock when it books (see ``ledger.db.journal``).

A read unit sees the books at one moment, as a report needs them: a report reads several
tables, one statement after another, and a booking committed in between must show in all of
them or in none. SQLite's read transaction is such a snapshot already; on PostgreSQL a read unit
runs at REPEATABLE READ (its first statement fixes the snapshot). On both, a read unit is read
only (PostgreSQL's READ ONLY, SQLite's ``query_only``), so a write that slips into one is
refused instead of committed outside the writers' queue.
"""

from __future__ import annotations

import threading
from types import TracebackType
from weakref import WeakKeyDictionary

from sqlalchemy import Connection, Engine

from ledger.db.errors import translate_database_error

#: A read unit on PostgreSQL: one snapshot for all its statements, and no writes.
POSTGRES_READ = {"isolation_level": "REPEATABLE READ", "postgresql_readonly": True}

_sqlite_writer_locks: WeakKeyDictionary[Engine, threading.Lock] = WeakKeyDictionary()
_locks_guard = threading.Lock()


def _writer_lock(engine: Engine) -> threading.Lock | None:
    """The in-process queue for SQLite writers of this engine; None on PostgreSQL."""
    if engine.dialect.name != "sqlite":
        return None
    with _locks_guard:
        return _sqlite_writer_locks.setdefault(engine, threading.Lock())


class UnitOfWork:
    def __init__(self, engine: Engine, *, write: bool = False):
        self.engine = engine
        self.write = write
        self._connection: Connection | None = None
        self._committed = False
        self._lock = _writer_lock(engine) if write else None
        self._holds_lock = False

    @property
    def connection(self) -> Connection:
        if self._connection is None:
            raise RuntimeError("UnitOfWork used outside its with-block")
        return self._connection

    def __enter__(self) -> UnitOfWork:
        if self._lock is not None:
            self._lock.acquire()
            self._holds_lock = True
        try:
            connection = self.engine.connect()
            if self.write:
                connection = connection.execution_options(write=True)
            elif connection.dialect.name == "postgresql":
                connection = connection.execution_options(**POSTGRES_READ)
            else:
                _sqlite_query_only(connection, True)
            connection.begin()
        except BaseException:
            self._release()
            raise
        self._connection = connection
        return self

    def _release(self) -> None:
        if self._holds_lock:
            self._holds_lock = False
            self._lock.release()  # type: ignore[union-attr]

    def commit(self) -> None:
        with translate_database_error():
            self.connection.commit()
        self._committed = True

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        connection = self._connection
        self._connection = None
        if connection is None:
            return
        try:
            if not self._committed:
                connection.rollback()
            if not self.write and connection.dialect.name == "sqlite":
                _sqlite_query_only(connection, False)  # back to the pool able to write
        finally:
            connection.close()
            self._release()


def _sqlite_query_only(connection: Connection, on: bool) -> None:
    """SQLite's flag that refuses every write on this connection (outside any transaction:
    the driver runs in autocommit mode, SQLAlchemy opens the transactions)."""
    connection.connection.driver_connection.execute(f"PRAGMA query_only = {int(on)}")
