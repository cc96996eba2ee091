"""What happened to a beschikking, read back for its readers: payments (and their corrections),
repayments, extensions, releases, settlement, eindverantwoording and toelichting, the
wijzigingsbeschikkingen and other corrections made through the domain, and every statement
handed in with its status. As of an effective date, and (with ``Known``) as the books stood.

Read-only; the writers are ``ledger.regio.db``'s operations."""

from __future__ import annotations

import json
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, select

from ledger.db.rows import aware
from ledger.money import Money
from ledger.regio.db.known import EVERYTHING, Known
from ledger.regio.db.statements import statement_table
from ledger.regio.db.tables import amendment_table, event_table
from ledger.regio.model import AmendmentKind, EventKind, StatementStatus

#: Events listed as what happened (spending lines are read through statements and SiSa).
LISTED_EVENTS = (
    EventKind.PAYMENT,
    EventKind.REPAYMENT,
    EventKind.SETTLEMENT,
    EventKind.EXTENSION,
    EventKind.RELEASE,
    EventKind.FINAL,
    EventKind.TOELICHTING,
)


@dataclass(frozen=True)
class Happening:
    """One event or domain correction of a beschikking."""

    id: str  # "event-N" or "amendment-N": stable, never reused
    kind: str
    effective_on: date
    amount: Money | None
    year: int | None
    new_end_on: date | None
    actor: str
    reason: str
    recorded_at: datetime
    entry: int | None
    corrects: str | None = None  # a correction names what it corrects
    corrected_by: str | None = None


@dataclass(frozen=True)
class StatementRecord:
    """A statement handed in, with what became of it."""

    id: str
    beschikking: str
    year: int
    filename: str
    sha256: str
    uploaded_by: str
    uploaded_at: datetime
    status: str  # booked | replaced | withdrawn | refused
    lines: int
    problems: int
    entries: list[int]
    replaces: str | None
    replaced_by: str | None
    withdrawn_on: date | None


@dataclass(frozen=True)
class History:
    happenings: list[Happening] = field(default_factory=list)
    statements: list[StatementRecord] = field(default_factory=list)

    def of_kind(self, *kinds: str) -> list[Happening]:
        return [h for h in self.happenings if h.kind in kinds]


def beschikking_history(
    connection: Connection,
    nummer: str,
    currency: str,
    as_of: date = date.max,
    known: Known = EVERYTHING,
) -> History:
    corrections = _amendments(connection, nummer, currency, as_of, known)
    corrected = {h.corrects: h.id for h in corrections if h.corrects}
    events = [
        _happening(
            "event",
            r,
            currency,
            corrected_by=corrected.get(f"event-{r.id}"),
            new_end_on=r.new_end_on,
        )
        for r in connection.execute(
            select(event_table)
            .where(
                event_table.c.beschikking == nummer,
                event_table.c.kind.in_(LISTED_EVENTS),
                event_table.c.effective_on <= as_of,
                known.records(event_table.c.recorded_at),
            )
            .order_by(event_table.c.id)
        )
    ]
    happenings = sorted([*events, *corrections], key=lambda h: (h.recorded_at, h.id))
    return History(happenings, statements(connection, nummer, known))


def _amendments(
    connection: Connection, nummer: str, currency: str, as_of: date, known: Known
) -> list[Happening]:
    a = amendment_table.c
    query = (
        select(amendment_table)
        .where(a.beschikking == nummer, a.effective_on <= as_of, known.records(a.recorded_at))
        .order_by(a.id)
    )
    return [
        _happening(
            "amendment",
            r,
            currency,
            corrects=f"event-{r.corrects_event_id}" if r.corrects_event_id else None,
            new_end_on=r.new_ends_on,
        )
        for r in connection.execute(query)
    ]


def _happening(prefix: str, r: Any, currency: str, **extra: Any) -> Happening:
    return Happening(
        id=f"{prefix}-{r.id}",
        kind=r.kind,
        effective_on=r.effective_on,
        amount=None if r.amount is None else Money.from_minor_units(r.amount, currency),
        year=r.year,
        actor=r.actor,
        reason=r.reason,
        recorded_at=aware(r.recorded_at),
        entry=r.entry_id,
        **extra,
    )


def statements(
    connection: Connection, nummer: str | None, known: Known = EVERYTHING
) -> list[StatementRecord]:
    """Every statement handed in (of one beschikking, or all), oldest first, with its status."""
    s, a = statement_table.c, amendment_table.c
    query = select(
        s.id,
        s.public_id,
        s.beschikking,
        s.year,
        s.filename,
        s.sha256,
        s.uploaded_by,
        s.uploaded_at,
        s.outcome,
        s.problems,
        s.line_count,
        s.entry_id,
        s.in_kind_entry_id,
        s.replaces_id,
        s.reversal_entry_id,
    ).where(known.records(s.uploaded_at))
    if nummer is not None:
        query = query.where(s.beschikking == nummer)
    rows = connection.execute(query.order_by(s.id)).all()
    withdrawn = dict(
        connection.execute(
            select(a.statement_id, a.effective_on).where(
                a.kind == AmendmentKind.STATEMENT_WITHDRAWAL, known.records(a.recorded_at)
            )
        ).all()
    )
    public = {r.id: r.public_id for r in rows}
    successors = {r.replaces_id: r.public_id for r in rows if r.replaces_id is not None}
    return [_record(r, public, successors.get(r.id), withdrawn.get(r.id)) for r in rows]


def _record(
    r: Any, public: dict[int, str], replaced_by: str | None, withdrawn_on: date | None
) -> StatementRecord:
    if r.outcome == StatementStatus.REFUSED:
        status = StatementStatus.REFUSED
    elif withdrawn_on is not None:
        status = StatementStatus.WITHDRAWN
    else:
        status = StatementStatus.REPLACED if replaced_by else StatementStatus.BOOKED
    problems = len(json.loads(r.problems)) if r.problems else 0
    return StatementRecord(
        id=r.public_id,
        beschikking=r.beschikking,
        year=r.year,
        filename=r.filename,
        sha256=r.sha256,
        uploaded_by=r.uploaded_by,
        uploaded_at=aware(r.uploaded_at),
        status=status,
        lines=r.line_count,
        problems=problems,
        entries=[e for e in (r.entry_id, r.in_kind_entry_id) if e is not None],
        replaces=public.get(r.replaces_id) if r.replaces_id else None,
        replaced_by=replaced_by,
        withdrawn_on=withdrawn_on,
    )


def statement_content(
    connection: Connection, nummer: str, public_id: str
) -> tuple[str, bytes] | None:
    """The file of a statement exactly as it was handed in, and its name."""
    s = statement_table.c
    found = connection.execute(
        select(s.filename, s.content).where(s.beschikking == nummer, s.public_id == public_id)
    ).first()
    return None if found is None else (found.filename, found.content)


def counted_years(connection: Connection, known: Known = EVERYTHING) -> dict[str, set[int]]:
    """Per beschikking, the years with a booked statement that still counts (as the books
    stood, with ``known``)."""
    years: dict[str, set[int]] = {}
    for record in statements(connection, None, known):
        if record.status == StatementStatus.BOOKED:
            years.setdefault(record.beschikking, set()).add(record.year)
    return years


def final_years(
    connection: Connection, as_of: date = date.max, known: Known = EVERYTHING
) -> dict[str, int]:
    """Per beschikking with an eindverantwoording, its last SiSa year."""
    e = event_table.c
    query = select(e.beschikking, e.year).where(
        e.kind == EventKind.FINAL, e.effective_on <= as_of, known.records(e.recorded_at)
    )
    return {nummer: year for nummer, year in connection.execute(query)}


def closing_events(
    connection: Connection,
    as_of: date = date.max,
    known: Known = EVERYTHING,
    nummers: Collection[str] | None = None,
) -> dict[str, set[str]]:
    """Per beschikking (or for those in ``nummers``) its events that close it
    (eindverantwoording, vaststelling), effective by ``as_of`` and as the books stood
    (``known``)."""
    e = event_table.c
    query = select(e.beschikking, e.kind).where(
        e.kind.in_((EventKind.FINAL, EventKind.SETTLEMENT)),
        e.effective_on <= as_of,
        known.records(e.recorded_at),
    )
    if nummers is not None:
        query = query.where(e.beschikking.in_(sorted(nummers)))
    found: dict[str, set[str]] = {}
    for nummer, kind in connection.execute(query):
        found.setdefault(nummer, set()).add(kind)
    return found
