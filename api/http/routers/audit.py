"""The audit trail: who did what when."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from sqlalchemy import Select, select

from api.http.deps import EngineDep, Reader
from api.http.fields import (
    After,
)
from api.http.public import Public
from ledger.db.rows import entry_table
from ledger.db.unit_of_work import UnitOfWork
from ledger.regio.db.rows import event_table
from ledger.regio.db.statements import statement_table
from sisa.db import export_table

router = APIRouter(prefix="/api/v1", tags=["audit"])


class TrailBookingPublic(Public):
    entry: int
    at: str
    actor: str
    what: str
    reason: str
    source_document: str | None


class TrailChangePublic(Public):
    beschikking: str
    kind: str
    at: str
    actor: str
    reason: str
    year: int | None
    new_end_on: str | None


class TrailUploadPublic(Public):
    statement: int
    beschikking: str
    year: int
    by: str
    at: str
    outcome: str
    sha256: str


class TrailExportPublic(Public):
    export: int
    year: int
    instrument: str
    by: str
    at: str
    sha256: str


class TrailPublic(Public):
    """Who did what when: bookings (paged by ``next_after``), changes to beschikkingen without
    money, statement uploads and SiSa exports."""

    bookings: list[TrailBookingPublic]
    next_after: int | None
    beschikking_changes: list[TrailChangePublic]
    statement_uploads: list[TrailUploadPublic]
    sisa_exports: list[TrailExportPublic]


@router.get("/audit/trail")
def audit_trail(
    user: Reader,
    engine: EngineDep,
    after: After = 0,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> TrailPublic:
    """Who did what when: every booking (actor, reason, source, time), every change to a
    beschikking without money (extensions, eindverantwoording, toelichting), every statement
    upload (booked or refused) and every SiSa export, newest last."""
    with UnitOfWork(engine) as uow:
        c = uow.connection
        entries = c.execute(_bookings(after, limit)).all()
        events = c.execute(_changes()).all()
        uploads = c.execute(_uploads()).all()
        exports = c.execute(_exports()).all()
    return TrailPublic(
        bookings=[_booking(e) for e in entries],
        next_after=entries[-1].id if len(entries) == limit else None,
        beschikking_changes=[_change(e) for e in events],
        statement_uploads=[_upload(u) for u in uploads],
        sisa_exports=[_export(x) for x in exports],
    )


def _booking(e: Any) -> TrailBookingPublic:
    return TrailBookingPublic(
        entry=e.id,
        at=str(e.recorded_at),
        actor=e.actor,
        what=e.memo,
        reason=e.reason,
        source_document=e.source_document,
    )


def _change(e: Any) -> TrailChangePublic:
    new_end_on = str(e.new_end_on) if e.new_end_on else None
    return TrailChangePublic(
        beschikking=e.beschikking,
        kind=e.kind,
        at=str(e.recorded_at),
        actor=e.actor,
        reason=e.reason,
        year=e.year,
        new_end_on=new_end_on,
    )


def _upload(u: Any) -> TrailUploadPublic:
    return TrailUploadPublic(
        statement=u.id,
        beschikking=u.beschikking,
        year=u.year,
        by=u.uploaded_by,
        at=str(u.uploaded_at),
        outcome=u.outcome,
        sha256=u.sha256,
    )


def _export(x: Any) -> TrailExportPublic:
    return TrailExportPublic(
        export=x.id,
        year=x.year,
        instrument=x.instrument,
        by=x.exported_by,
        at=str(x.exported_at),
        sha256=x.sha256,
    )


def _bookings(after: int, limit: int) -> Select:
    e = entry_table.c
    query = select(e.id, e.recorded_at, e.actor, e.memo, e.reason, e.source_document)
    return query.where(e.id > after).order_by(e.id).limit(limit)


def _changes() -> Select:
    """Changes to a beschikking that book nothing: extensions, eindverantwoording, toelichting."""
    return select(event_table).where(event_table.c.entry_id.is_(None)).order_by(event_table.c.id)


def _uploads() -> Select:
    s = statement_table.c
    return select(
        s.id, s.beschikking, s.year, s.uploaded_by, s.uploaded_at, s.outcome, s.sha256
    ).order_by(s.id)


def _exports() -> Select:
    x = export_table.c
    return select(x.id, x.year, x.instrument, x.exported_by, x.exported_at, x.sha256).order_by(x.id)
