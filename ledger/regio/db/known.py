"""``Known``: what the books held at a moment, the as-of filter every reader of the Regio
Deals' records applies (entries up to the last one recorded by then, records made by then)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, and_, literal, or_

from ledger.db.queries import last_entry_id
from ledger.db.rows import in_utc


@dataclass(frozen=True)
class Known:
    """What the books held at ``at``: entries up to ``upto`` (the last one recorded by then) and
    records made by then. ``Known()`` is everything."""

    at: datetime | None = None
    upto: int | None = None

    @classmethod
    def at_moment(cls, connection: Connection, at: datetime | None) -> Known:
        return cls() if at is None else cls(in_utc(at), last_entry_id(connection, at))

    def entries(self, column: Any) -> Any:
        """Rows booked by an entry (or with none) that the books held."""
        if self.upto is None:
            return literal(True)
        return or_(column.is_(None), column <= self.upto)

    def records(self, column: Any) -> Any:
        """Rows the books held then, given the column of their recording time: a row booked by
        an entry (its table's ``entry_id``) is held with that entry, so that a record and its
        booking, made in one transaction, are held or left out together; a row that books
        nothing is held if it was recorded by then."""
        if self.at is None:
            return literal(True)
        recorded = column <= self.at
        entry = column.table.c.get("entry_id")
        if entry is None:
            return recorded
        return or_(and_(entry.is_not(None), entry <= self.upto), and_(entry.is_(None), recorded))


EVERYTHING = Known()
