"""The unit of work: one business operation, one database transaction.

    with UnitOfWork(engine, write=True) as uow:
        ...                      # read and write through uow.connection
        uow.commit()             # explicit; leaving the block without it rolls back

Write units on SQLite start with ``BEGIN IMMEDIATE``; on PostgreSQL the journal takes a
transaction-scoped advisory lock when it books (see ``ledger.db.journal``).
"""

from __future__ import annotations

from types import TracebackType

from sqlalchemy import Connection, Engine

from ledger.db.errors import translate_database_error


class UnitOfWork:
    def __init__(self, engine: Engine, *, write: bool = False):
        self.engine = engine
        self.write = write
        self._connection: Connection | None = None
        self._committed = False

    @property
    def connection(self) -> Connection:
        if self._connection is None:
            raise RuntimeError("UnitOfWork used outside its with-block")
        return self._connection

    def __enter__(self) -> UnitOfWork:
        connection = self.engine.connect()
        if self.write:
            connection = connection.execution_options(write=True)
        connection.begin()
        self._connection = connection
        return self

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
        finally:
            connection.close()
