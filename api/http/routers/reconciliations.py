"""Reconciliations: the ministry's own record of commitments, payments and repayments matched
against the ledger (``api.reconcile``), kept, and read back as JSON or a workbook. A
reconciliation books nothing. Finance officers make them; auditors read them."""

from __future__ import annotations

import hashlib
import json
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request, Response
from fastapi.responses import StreamingResponse
from pydantic import Field
from sqlalchemy import Connection, Engine
from starlette.concurrency import run_in_threadpool

from api.http.bodies import read_upload, upload_body
from api.http.deps import EngineDep, Finance, Reader
from api.http.fields import IdempotencyKey, OptionalCode, PlainDigits
from api.http.idempotency import JsonText, fingerprint, once
from api.http.links import created
from api.http.problems import CSV, XLSX, Refusal, attachment, file_response, problem
from api.http.public import Day, Instant, Public
from api.http.reading import AfterNumber, AsOf, Limit, Page, page_of
from api.reconcile.reader import read_record
from api.reconcile.service import Scope, reconcile_record
from api.reconcile.store import Kept, kept, kept_file, kept_list
from api.reconcile.workbook import reconciliation_answer_workbook
from api.statements.limits import StatementLimits
from ledger.db.unit_of_work import UnitOfWork
from ledger.errors import LedgerError

router = APIRouter(prefix="/api/v1", tags=["reconciliations"])

GET_RECONCILIATION = "get_reconciliation"
ReconciliationId = Annotated[
    str, Path(pattern="^rec-[0-9a-f]{20}$", description="The reconciliation's id")
]


class AmountsPublic(Public):
    verplichting: str
    betaling: str
    terugontvangst: str


class CountsPublic(Public):
    """How many lines and entries had each outcome."""

    matched: int
    amount_differs: int
    date_differs: int
    only_in_file: int
    only_in_ledger: int


class FileSidePublic(Public):
    line: int
    date: Day
    amount: str
    kenmerk: str | None
    omschrijving: str | None


class LedgerSidePublic(Public):
    ref: str
    date: Day
    amount: str
    kenmerk: str | None
    entries: list[int]


class PairPublic(Public):
    """A line of the file and its ledger entry, or one of them alone, with the outcome."""

    outcome: str
    kind: str
    file: FileSidePublic | None
    ledger: LedgerSidePublic | None
    difference: str | None
    days_apart: int | None


class MatchedBeschikkingPublic(Public):
    nummer: str
    in_ledger: bool
    deal: str | None
    tranche: str | None
    currency: str
    counts: CountsPublic
    file: AmountsPublic
    ledger: AmountsPublic
    pairs: list[PairPublic]


class TrancheTotalsPublic(Public):
    tranche: str | None
    currency: str
    counts: CountsPublic
    file: AmountsPublic
    ledger: AmountsPublic


class ScopePublic(Public):
    tranche: str | None
    everything: bool
    beschikkingen: list[str]


class LineProblemPublic(Public):
    line: int
    column: str
    value: str
    code: str
    message: str
    message_nl: str


class ReconciliationPublic(Public):
    """A reconciliation as it was answered: per beschikking every pair with its outcome, totals
    per beschikking and per tranche, the lines that could not be read."""

    id: str
    made_by: str
    made_at: Instant
    filename: str
    sha256: str
    as_of: str | None
    recorded_as_of: str | None
    window_days: int
    scope: ScopePublic
    lines_in_file: int | None = Field(
        description="Every physical line of the file: the header, blank lines and lines before "
        "the header too (null in answers kept before it was counted)"
    )
    lines_read: int = Field(description="The lines below the header that hold anything")
    counts: CountsPublic
    problem_count: int = Field(description="Every problem found; `problems` lists the first 1,000")
    problems: list[LineProblemPublic]
    beschikkingen: list[MatchedBeschikkingPublic]
    tranches: list[TrancheTotalsPublic]
    workbook: str
    file: str


class ReconciliationListedPublic(Public):
    number: int
    id: str
    made_by: str
    made_at: Instant
    filename: str
    sha256: str
    counts: CountsPublic
    url: str


UPLOAD_BODY = upload_body("The ministry's record: CSV (';' or ',', UTF-8) or .xlsx.", CSV, XLSX)


def _links(found: Kept) -> dict[str, str]:
    base = f"/api/v1/reconciliations/{found.id}"
    return {"workbook": f"{base}/workbook", "file": f"{base}/file"}


def _public(found: Kept) -> dict[str, Any]:
    earlier = {"lines_in_file": None, "problem_count": len(found.answer["problems"])}
    return {**earlier, **found.answer, **_links(found)}


def _answer(found: Kept) -> JsonText:
    """The kept answer as it was written, with its links, never read into objects (a file of
    200,000 lines answers 60 MB); an answer kept before it counted its lines and problems
    gets them from ``_public``. A key inside the text's strings has its quotes escaped, so
    only a field of the answer itself can match."""
    if '"problem_count":' in found.text:
        return JsonText(found.text, _links(found))
    return JsonText(json.dumps(_public(found)), {})


@router.post(
    "/reconciliations",
    status_code=201,
    response_model=ReconciliationPublic,
    responses=created(
        {"GetIt": {"operationId": GET_RECONCILIATION, "parameters": {"id": "$response.body#/id"}}}
    ),
    openapi_extra={"requestBody": UPLOAD_BODY},
    operation_id="create_reconciliation",
)
async def make_reconciliation(
    request: Request,
    user: Finance,
    engine: EngineDep,
    at: AsOf,
    tranche: OptionalCode = None,
    everything: Annotated[bool, Query(description="Match every beschikking")] = False,
    window_days: Annotated[int, Query(ge=0, le=366), PlainDigits] = 7,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    """Match the ministry's file (``multipart`` field ``file``) against the ledger: per
    beschikking what matches, what is only in the file, only in the ledger, or differs in
    amount or date, with the ledger's entries beside each line and totals per tranche. The
    scope is the beschikkingen the file names, plus a ``tranche``'s or ``everything``; the
    ledger as of ``as_of`` and as recorded by ``recorded_as_of``. Kept; nothing is booked."""
    limits = StatementLimits()
    content, filename = await read_upload(request, limits.max_file_bytes)
    scope = Scope(tranche, everything, at.as_of, at.recorded_as_of, window_days)

    try:
        record = await run_in_threadpool(read_record, content, limits)
    except LedgerError as unreadable:
        return problem(
            422,
            unreadable.code,
            unreadable.problems[0].message,
            unreadable.problems[0].message_nl,
            problems=[p.as_dict() for p in unreadable.problems],
        )

    def run(connection: Connection) -> JsonText:
        return _answer(reconcile_record(connection, record, content, filename, user.name, scope))

    digest = hashlib.sha256(content).hexdigest()
    print_ = fingerprint("reconciliation", scope, filename, digest)
    return await run_in_threadpool(once, engine, user, idempotency_key, print_, 201, run)


@router.get("/reconciliations", operation_id="list_reconciliations")
def list_reconciliations(
    request: Request,
    response: Response,
    user: Reader,
    engine: EngineDep,
    after: AfterNumber = None,
    limit: Limit = 100,
) -> Page[ReconciliationListedPublic]:
    """The reconciliations made, oldest first: who matched which file when, and the counts."""
    with UnitOfWork(engine) as uow:
        found = kept_list(uow.connection, after or 0, limit)
    listed = [
        ReconciliationListedPublic(
            number=k.number,
            id=k.id,
            made_by=k.made_by,
            made_at=k.made_at.isoformat(),
            filename=k.filename,
            sha256=k.sha256,
            counts=k.answer["counts"],
            url=f"/api/v1/reconciliations/{k.id}",
        )
        for k in found[:limit]
    ]
    return page_of(request, response, listed, lambda x: x.number, more=len(found) > limit)


def _found(engine: Engine, public_id: str) -> Kept:
    with UnitOfWork(engine) as uow:
        found = kept(uow.connection, public_id)
    if found is None:
        raise Refusal(404, "reconciliation_not_found", f"No reconciliation {public_id}.")
    return found


@router.get(
    "/reconciliations/{id}",
    operation_id=GET_RECONCILIATION,
    response_model=ReconciliationPublic,
)
def one_reconciliation(
    id: ReconciliationId,  # noqa: A002 - the API's name
    user: Reader,
    engine: EngineDep,
) -> Response:
    answer = _answer(_found(engine, id))
    return StreamingResponse(answer.pieces(), media_type="application/json")


@router.get(
    "/reconciliations/{id}/workbook",
    operation_id="get_reconciliation_workbook",
    responses=file_response(XLSX, description="The reconciliation as a workbook."),
)
def reconciliation_workbook(
    id: ReconciliationId,  # noqa: A002 - the API's name
    user: Reader,
    engine: EngineDep,
    lang: Annotated[str, Query(pattern="^(nl|en)$")] = "nl",
) -> Response:
    found = _found(engine, id)
    return Response(
        reconciliation_answer_workbook(_public(found), lang),
        media_type=XLSX,
        headers={"Content-Disposition": f'attachment; filename="aansluiting-{id}.xlsx"'},
    )


@router.get(
    "/reconciliations/{id}/file",
    operation_id="get_reconciliation_file",
    responses=file_response(XLSX, CSV, description="The file as it was uploaded."),
)
def reconciliation_file(
    id: ReconciliationId,  # noqa: A002 - the API's name
    user: Reader,
    engine: EngineDep,
) -> Response:
    with UnitOfWork(engine) as uow:
        found = kept_file(uow.connection, id)
    if found is None:
        raise Refusal(404, "reconciliation_not_found", f"No reconciliation {id}.")
    filename, content = found
    media = XLSX if content.startswith(b"PK") else CSV
    return Response(content, media_type=media, headers=attachment(filename))
