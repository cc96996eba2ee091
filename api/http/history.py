"""What happened to a beschikking and the statements handed in for it, as the API answers
them (shared by the beschikking, payment and statement routes)."""

from __future__ import annotations

from pydantic import Field

from api.http.public import Day, Instant, Public
from ledger.regio.db.history import Happening, StatementRecord
from ledger.regio.model import StatementStatus


class HappeningPublic(Public):
    """One thing that happened to a beschikking: an event (payment, repayment, extension,
    release, settlement, eindverantwoording, toelichting) or a correction through the domain."""

    id: str
    kind: str
    effective_on: Day
    amount: str | None
    currency: str
    year: int | None
    new_end_on: Day | None
    actor: str
    reason: str
    recorded_at: Instant
    entry: int | None
    corrects: str | None
    corrected_by: str | None


class StatementRecordPublic(Public):
    """A statement handed in: who, when, which file, and what became of it."""

    id: str
    beschikking: str
    year: int
    filename: str
    sha256: str
    uploaded_by: str
    uploaded_at: Instant
    status: str = Field(description="booked, replaced, withdrawn or refused")
    lines: int
    problems: int
    entries: list[int]
    replaces: str | None
    replaced_by: str | None
    withdrawn_on: Day | None
    file: str = Field(description="The original file, as it was handed in")
    errors_workbook: str | None = Field(description="A refused file with its problems marked")


def happening(h: Happening) -> HappeningPublic:
    return HappeningPublic(
        id=h.id,
        kind=h.kind,
        effective_on=h.effective_on.isoformat(),
        amount=None if h.amount is None else str(h.amount.amount),
        currency=h.amount.currency if h.amount is not None else "EUR",
        year=h.year,
        new_end_on=h.new_end_on.isoformat() if h.new_end_on else None,
        actor=h.actor,
        reason=h.reason,
        recorded_at=h.recorded_at.isoformat(),
        entry=h.entry,
        corrects=h.corrects,
        corrected_by=h.corrected_by,
    )


def statement_record(s: StatementRecord) -> StatementRecordPublic:
    base = f"/api/v1/beschikkingen/{s.beschikking}/statements/{s.id}"
    return StatementRecordPublic(
        id=s.id,
        beschikking=s.beschikking,
        year=s.year,
        filename=s.filename,
        sha256=s.sha256,
        uploaded_by=s.uploaded_by,
        uploaded_at=s.uploaded_at.isoformat(),
        status=s.status,
        lines=s.lines,
        problems=s.problems,
        entries=s.entries,
        replaces=s.replaces,
        replaced_by=s.replaced_by,
        withdrawn_on=s.withdrawn_on.isoformat() if s.withdrawn_on else None,
        file=f"{base}/file",
        errors_workbook=f"{base}/errors.xlsx" if s.status == StatementStatus.REFUSED else None,
    )
