"""The audit trail: who did what when."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response

from api.http.deps import EngineDep, Reader
from api.http.fields import MAX_ID, PlainDigits
from api.http.public import Day, Public
from api.http.reading import Limit, RecordedAsOf
from api.trail import trail_pages
from ledger.db.rows import aware
from ledger.db.unit_of_work import UnitOfWork

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
    new_end_on: Day | None


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


class TrailSubmissionPublic(Public):
    submission: int
    id: str
    year: int
    instrument: str
    recipient: str | None
    by: str
    at: str
    sha256: str


class TrailPublic(Public):
    """Who did what when, each kind in the order it happened and paged on its own: bookings,
    changes to beschikkingen without money, statement uploads, SiSa submissions and the exports
    recorded before submissions existed. ``next`` continues every kind that has more."""

    bookings: list[TrailBookingPublic]
    beschikking_changes: list[TrailChangePublic]
    statement_uploads: list[TrailUploadPublic]
    sisa_submissions: list[TrailSubmissionPublic]
    sisa_exports: list[TrailExportPublic]
    next: str | None


def _cursor(description: str) -> Any:
    return Annotated[int, Query(ge=0, le=MAX_ID, description=description), PlainDigits]


@router.get("/audit/trail", operation_id="get_audit_trail")
def audit_trail(
    request: Request,
    response: Response,
    user: Reader,
    engine: EngineDep,
    after: _cursor("Bookings after this journal sequence number") = 0,
    changes_after: _cursor("Changes to beschikkingen after this number") = 0,
    uploads_after: _cursor("Statement uploads after this number") = 0,
    submissions_after: _cursor("SiSa submissions after this number") = 0,
    exports_after: _cursor("SiSa exports after this number") = 0,
    recorded_as_of: RecordedAsOf = None,
    limit: Limit = 100,
) -> TrailPublic:
    """Who did what when: every booking (actor, reason, source, time), every change to a
    beschikking without money (extensions, eindverantwoording, toelichting), every statement
    upload (booked or refused), every SiSa submission and export; each kind oldest first, at
    most ``limit`` of each per page; with ``recorded_as_of``, what had been done by then."""
    cursors = {
        "after": after,
        "changes_after": changes_after,
        "uploads_after": uploads_after,
        "submissions_after": submissions_after,
        "exports_after": exports_after,
    }
    with UnitOfWork(engine) as uow:
        pages = trail_pages(uow.connection, cursors, recorded_as_of, limit)
    rows = {name: found[:limit] for name, found in pages.items()}
    next_url = None
    if any(len(found) > limit for found in pages.values()):
        # every kind continues after what this page showed of it (a finished one: nothing more)
        url = request.url.include_query_params(
            **{name: found[-1].id for name, found in rows.items() if found}
        )
        next_url = str(url).removeprefix(f"{url.scheme}://{url.netloc}")
        response.headers["Link"] = f'<{next_url}>; rel="next"'
    return TrailPublic(
        bookings=[_booking(e) for e in rows["after"]],
        beschikking_changes=[_change(e) for e in rows["changes_after"]],
        statement_uploads=[_upload(u) for u in rows["uploads_after"]],
        sisa_submissions=[_submission(x) for x in rows["submissions_after"]],
        sisa_exports=[_export(x) for x in rows["exports_after"]],
        next=next_url,
    )


def _booking(e: Any) -> TrailBookingPublic:
    return TrailBookingPublic(
        entry=e.id,
        at=aware(e.recorded_at).isoformat(),
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
        at=aware(e.recorded_at).isoformat(),
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
        at=aware(u.uploaded_at).isoformat(),
        outcome=u.outcome,
        sha256=u.sha256,
    )


def _export(x: Any) -> TrailExportPublic:
    return TrailExportPublic(
        export=x.id,
        year=x.year,
        instrument=x.instrument,
        by=x.exported_by,
        at=aware(x.exported_at).isoformat(),
        sha256=x.sha256,
    )


def _submission(x: Any) -> TrailSubmissionPublic:
    return TrailSubmissionPublic(
        submission=x.id,
        id=x.public_id,
        year=x.year,
        instrument=x.instrument,
        recipient=x.recipient,
        by=x.submitted_by,
        at=aware(x.submitted_at).isoformat(),
        sha256=x.sha256,
    )
