"""The journal for finance officers and auditors: entries with filters and pages, one entry, the check of every invariant, and (finance officers only) a reversal of an entry of the ledger alone."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from sqlalchemy import Connection

from api.http.deps import EngineDep, Finance, Reader
from api.http.fields import (
    ACCOUNT_PATTERN,
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
from api.http.links import (
    BOOKED_LINKS,
    GET_ENTRY,
    created,
)
from api.http.problems import Refusal, file_response
from api.http.public import Day, Instant, ProblemPublic, Public
from api.http.reading import AsOf, Limit, Page, page_of
from ledger.accounts import Dimensions
from ledger.db import driver
from ledger.db.journal import book_entries
from ledger.db.queries import JournalFilter, account_kinds, entry_ids_for
from ledger.db.rows import load_entries, stream_entries
from ledger.db.unit_of_work import UnitOfWork
from ledger.db.verify import verify_journal
from ledger.entries import reverse_entry
from ledger.posted import PostedEntry
from ledger.regio.db.begroting_check import budget_view_problems
from ledger.regio.db.corrections import refuse_owned
from ledger.text import text_pattern
from reports.journal_export import AccountInfo, export_lines

router = APIRouter(prefix="/api/v1", tags=["journal"])


class PostingPublic(Public):
    account: str
    side: str
    currency: str
    amount: str


class EntryPublic(Public):
    """A journal entry as the journal keeps it: who, why, on which source, and its postings."""

    sequence: int
    key: str
    effective_on: Day
    recorded_at: Instant
    memo: str
    actor: str
    reason: str
    source_document: str | None
    reverses: str | None
    entry_hash: str
    postings: list[PostingPublic]


class VerifyPublic(Public):
    """The recheck of every invariant of the journal; ``problems`` names what is broken."""

    ok: bool
    entries_checked: int
    last_hash: str | None
    problems: list[ProblemPublic]


def entry_document(entry: PostedEntry) -> EntryPublic:
    return EntryPublic(**entry.as_document())


@router.get("/journal/entries", operation_id="list_journal_entries")
def list_entries(
    request: Request,
    response: Response,
    user: Reader,
    engine: EngineDep,
    at: AsOf,
    account: Annotated[str | None, Query(pattern=ACCOUNT_PATTERN, max_length=300)] = None,
    deal: OptionalCode = None,
    beschikking: OptionalCode = None,
    tranche: OptionalCode = None,
    actor: Annotated[
        str | None, Query(min_length=1, max_length=200, pattern=text_pattern(free_text=False))
    ] = None,
    effective_from: OptionalDate = None,
    effective_to: OptionalDate = None,
    after: After = 0,
    limit: Limit = 100,
) -> Page[EntryPublic]:
    """Entries in journal order (keyset pages after a sequence number), filtered as the CLI's
    ``journal`` filters: on an account or the accounts of a deal, beschikking or tranche, by
    actor, by effective dates; ``as_of`` is the last effective date, ``recorded_as_of`` leaves
    out what was recorded later."""
    last_day = min(d for d in (effective_to, at.as_of, date.max) if d is not None)
    where = JournalFilter(
        code=account,
        dimensions=Dimensions(deal=deal, beschikking=beschikking, tranche=tranche),
        actor=actor,
        effective_from=effective_from,
        effective_to=None if last_day == date.max else last_day,
        recorded_to=at.recorded_as_of,
        after=after,
    )
    with UnitOfWork(engine) as uow:
        ids = entry_ids_for(uow.connection, limit=limit + 1, where=where)
        entries = load_entries(uow.connection, ids=ids[:limit])
    return page_of(
        request,
        response,
        [entry_document(e) for e in entries],
        lambda e: e.sequence,
        more=len(ids) > limit,
    )


@router.get("/journal/entries/{sequence}", operation_id=GET_ENTRY)
def one_entry(sequence: EntryNumber, user: Reader, engine: EngineDep) -> EntryPublic:
    with UnitOfWork(engine) as uow:
        found = load_entries(uow.connection, ids=[sequence])
    if not found:
        raise Refusal(404, "entry_not_found", f"No journal entry {sequence}.")
    return entry_document(found[0])


@router.get("/journal/verify", operation_id="verify_journal")
def journal_verify(user: Reader, engine: EngineDep) -> VerifyPublic:
    """Every invariant of the journal rechecked, and the budget view against the journal."""
    with UnitOfWork(engine) as uow:
        report = verify_journal(driver.Reader.of(uow.connection))
        problems = report.problems + budget_view_problems(uow.connection)
    return VerifyPublic(
        ok=not problems,
        entries_checked=report.entries_checked,
        last_hash=report.last_hash,
        problems=[ProblemPublic(**p.as_dict()) for p in problems],
    )


class EntryReversalCreate(Body):
    reason: Text
    effective_on: IsoDate | None = None


class ReversalPublic(EntryPublic):
    """The reversal as booked, with ``entry`` its sequence number (as every booking answers)."""

    entry: int


@router.post(
    "/journal/entries/{sequence}/reversal",
    operation_id="reverse_journal_entry",
    status_code=201,
    response_model=ReversalPublic,
    responses=created(BOOKED_LINKS),
)
def reverse(
    sequence: EntryNumber,
    body: EntryReversalCreate,
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
        return {**entry_document(posted).model_dump(), "entry": posted.sequence}

    return once(engine, user, idempotency_key, fingerprint("reversal", sequence, body), 201, run)


@router.get(
    "/journal/export",
    operation_id="export_journal",
    responses=file_response(
        "text/plain; charset=utf-8", description="The journal for hledger or beancount."
    ),
)
def export_journal(
    user: Reader,
    engine: EngineDep,
    format: Annotated[str, Query(pattern="^(hledger|beancount)$")],  # noqa: A002 - the API's name
    as_of: OptionalDate = None,
) -> Response:
    """The journal as an hledger or beancount file, for an auditor to recompute every balance
    with an engine we did not write: each entry with its date, memo, sequence, key, actor,
    reason and source; postings in cents exact; currencies as commodities; the entries effective
    on or before ``as_of`` if given. ``hledger -f FILE check --strict`` and ``bean-check FILE``
    accept it."""
    with UnitOfWork(engine) as uow:
        accounts = [AccountInfo(*row) for row in account_kinds(uow.connection)]
        text = "\n".join(export_lines(format, stream_entries(uow.connection), accounts, as_of))
    suffix = "journal" if format == "hledger" else "beancount"
    return Response(
        text + "\n",
        media_type="text/plain; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="regioledger.{suffix}"'},
    )
