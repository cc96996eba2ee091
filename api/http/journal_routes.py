"""The journal for finance officers and auditors: entries with filters and pages, one entry,
and (finance officers only) a reversal."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Response
from sqlalchemy import Connection, select

from api.http.deps import EngineDep, Finance, Reader
from api.http.fields import (
    After,
    Body,
    EntryNumber,
    IdempotencyKey,
    IsoDate,
    OptionalCode,
    OptionalDate,
    Text,
)
from api.http.idempotency import entry_key, fingerprint, once
from api.http.links import BOOKED_LINKS, GET_ENTRY, created
from api.http.problems import Refusal
from ledger.db.journal import book_entries
from ledger.db.rows import entry_table, load_entries
from ledger.db.unit_of_work import UnitOfWork
from ledger.entries import reverse_entry
from ledger.money import Money
from ledger.posted import PostedEntry
from ledger.regio.db.corrections import refuse_owned

router = APIRouter(prefix="/api/v1/journal")


def entry_document(entry: PostedEntry) -> dict[str, Any]:
    return {
        "sequence": entry.sequence,
        "key": entry.key,
        "effective_on": entry.effective_on.isoformat(),
        "recorded_at": entry.recorded_at.isoformat(),
        "memo": entry.memo,
        "actor": entry.actor,
        "reason": entry.reason,
        "source_document": entry.source_document,
        "reverses": entry.reverses,
        "entry_hash": entry.entry_hash,
        "postings": [
            {
                "account": p.account,
                "side": p.side,
                "currency": p.currency,
                "amount": str(Money.from_minor_units(p.minor_units, p.currency).amount),
            }
            for p in entry.postings
        ],
    }


@router.get("/entries")
def list_entries(
    user: Reader,
    engine: EngineDep,
    actor: OptionalCode = None,
    effective_from: OptionalDate = None,
    effective_to: OptionalDate = None,
    after: After = 0,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> dict[str, Any]:
    """Entries in journal order, ``after`` a sequence number (keyset pages), filtered by actor
    and effective dates. ``next_after`` continues the list."""
    c = entry_table.c
    query = select(c.id).where(c.id > after).order_by(c.id).limit(limit)
    if actor:
        query = query.where(c.actor == actor)
    if effective_from:
        query = query.where(c.effective_on >= effective_from)
    if effective_to:
        query = query.where(c.effective_on <= effective_to)
    with UnitOfWork(engine) as uow:
        ids = list(uow.connection.execute(query).scalars())
        entries = load_entries(uow.connection, ids=ids)
    return {
        "entries": [entry_document(e) for e in entries],
        "next_after": ids[-1] if len(ids) == limit else None,
    }


@router.get("/entries/{sequence}", operation_id=GET_ENTRY)
def one_entry(sequence: EntryNumber, user: Reader, engine: EngineDep) -> dict[str, Any]:
    with UnitOfWork(engine) as uow:
        found = load_entries(uow.connection, ids=[sequence])
    if not found:
        raise Refusal(404, "entry_not_found", f"No journal entry {sequence}.")
    return entry_document(found[0])


class ReversalCreate(Body):
    reason: Text
    effective_on: IsoDate | None = None


@router.post("/entries/{sequence}/reversal", status_code=201, responses=created(BOOKED_LINKS))
def reverse(
    sequence: EntryNumber,
    body: ReversalCreate,
    user: Finance,
    engine: EngineDep,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    """Book the mirror image of an entry of the ledger alone, linked to it; the original stays
    as it was. An entry a domain operation made (a convenant, a payment, a statement, ...) is
    refused with ``correct_through_domain`` and the operation that corrects it."""

    def run(connection: Connection) -> dict[str, Any]:
        found = load_entries(connection, ids=[sequence])
        if not found:
            raise Refusal(404, "entry_not_found", f"No journal entry {sequence}.")
        refuse_owned(connection, sequence)
        reversal = reverse_entry(
            found[0].to_entry(),
            key=entry_key(user, idempotency_key),
            actor=user.name,
            reason=body.reason,
            effective_on=body.effective_on,
        )
        posted = book_entries(connection, [reversal])[0]
        return {**entry_document(posted), "entry": posted.sequence}

    return once(engine, user, idempotency_key, fingerprint("reversal", sequence, body), 201, run)


audit = APIRouter(prefix="/api/v1/audit")


@audit.get("/trail")
def audit_trail(
    user: Reader,
    engine: EngineDep,
    after: After = 0,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> dict[str, Any]:
    """Who did what when: every booking (actor, reason, source, time), every change to a
    beschikking without money (extensions, eindverantwoording, toelichting), every statement
    upload (booked or refused) and every SiSa export, newest last."""
    from ledger.regio.db.rows import event_table
    from ledger.regio.db.statements import statement_table
    from sisa.db import export_table

    with UnitOfWork(engine) as uow:
        c = uow.connection
        entries = c.execute(
            select(
                entry_table.c.id,
                entry_table.c.recorded_at,
                entry_table.c.actor,
                entry_table.c.memo,
                entry_table.c.reason,
                entry_table.c.source_document,
            )
            .where(entry_table.c.id > after)
            .order_by(entry_table.c.id)
            .limit(limit)
        ).all()
        events = c.execute(
            select(event_table).where(event_table.c.entry_id.is_(None)).order_by(event_table.c.id)
        ).all()
        uploads = c.execute(
            select(
                statement_table.c.id,
                statement_table.c.beschikking,
                statement_table.c.year,
                statement_table.c.uploaded_by,
                statement_table.c.uploaded_at,
                statement_table.c.outcome,
                statement_table.c.sha256,
            ).order_by(statement_table.c.id)
        ).all()
        exports = c.execute(
            select(
                export_table.c.id,
                export_table.c.year,
                export_table.c.instrument,
                export_table.c.exported_by,
                export_table.c.exported_at,
                export_table.c.sha256,
            ).order_by(export_table.c.id)
        ).all()
    return {
        "bookings": [
            {
                "entry": e.id,
                "at": str(e.recorded_at),
                "actor": e.actor,
                "what": e.memo,
                "reason": e.reason,
                "source_document": e.source_document,
            }
            for e in entries
        ],
        "next_after": entries[-1].id if len(entries) == limit else None,
        "beschikking_changes": [
            {
                "beschikking": e.beschikking,
                "kind": e.kind,
                "at": str(e.recorded_at),
                "actor": e.actor,
                "reason": e.reason,
                "year": e.year,
                "new_end_on": str(e.new_end_on) if e.new_end_on else None,
            }
            for e in events
        ],
        "statement_uploads": [
            {
                "statement": u.id,
                "beschikking": u.beschikking,
                "year": u.year,
                "by": u.uploaded_by,
                "at": str(u.uploaded_at),
                "outcome": u.outcome,
                "sha256": u.sha256,
            }
            for u in uploads
        ],
        "sisa_exports": [
            {
                "export": x.id,
                "year": x.year,
                "instrument": x.instrument,
                "by": x.exported_by,
                "at": str(x.exported_at),
                "sha256": x.sha256,
            }
            for x in exports
        ],
    }
