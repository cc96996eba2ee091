"""The audit trail's reads: one keyset page of each kind of record (bookings, changes to a
beschikking that book nothing, statement uploads, SiSa submissions and exports), oldest first,
each after its own cursor and as recorded by a moment. The store of ``GET /audit/trail``."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Select, select

from ledger.db.rows import entry_table
from ledger.regio.db.known import Known
from ledger.regio.db.statements import statement_table
from ledger.regio.db.tables import event_table
from sisa.db import export_table, submission_table

#: The kinds of record, by the name of their cursor.
KINDS = ("after", "changes_after", "uploads_after", "submissions_after", "exports_after")


def trail_pages(
    connection: Connection,
    cursors: dict[str, int],
    recorded_as_of: datetime | None,
    limit: int,
) -> dict[str, list[Any]]:
    """Per kind, up to ``limit + 1`` records after its cursor (one more says there is more)."""
    known = Known.at_moment(connection, recorded_as_of)
    queries = dict(zip(KINDS, (_bookings, _changes, _uploads, _submissions, _exports), strict=True))
    return {
        name: connection.execute(_held(queries[name](cursor), known).limit(limit + 1)).all()
        for name, cursor in cursors.items()
    }


def _held(query: Select, known: Known) -> Select:
    """The rows of a trail's kind that had been recorded at the moment asked."""
    if known.at is None:
        return query
    table = query.get_final_froms()[0]
    moment = next(
        table.c[name]
        for name in ("recorded_at", "uploaded_at", "submitted_at", "exported_at")
        if name in table.c
    )
    return query.where(known.records(moment))


def _bookings(after: int) -> Select:
    e = entry_table.c
    query = select(e.id, e.recorded_at, e.actor, e.memo, e.reason, e.source_document)
    return query.where(e.id > after).order_by(e.id)


def _changes(after: int) -> Select:
    """Changes to a beschikking that book nothing: extensions, eindverantwoording, toelichting."""
    e = event_table.c
    return select(event_table).where(e.entry_id.is_(None), e.id > after).order_by(e.id)


def _uploads(after: int) -> Select:
    s = statement_table.c
    return (
        select(s.id, s.beschikking, s.year, s.uploaded_by, s.uploaded_at, s.outcome, s.sha256)
        .where(s.id > after)
        .order_by(s.id)
    )


def _submissions(after: int) -> Select:
    s = submission_table.c
    columns = (s.id, s.public_id, s.year, s.instrument, s.recipient, s.submitted_by)
    return select(*columns, s.submitted_at, s.sha256).where(s.id > after).order_by(s.id)


def _exports(after: int) -> Select:
    x = export_table.c
    return (
        select(x.id, x.year, x.instrument, x.exported_by, x.exported_at, x.sha256)
        .where(x.id > after)
        .order_by(x.id)
    )
