"""Regions' spending statements: the template, the upload (all or nothing), the error workbook of a refused upload, withdrawal, and every statement handed in with its original file."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from pydantic import Field
from sqlalchemy import Connection
from starlette.concurrency import run_in_threadpool

from api.http.access import visible_beschikking
from api.http.bodies import read_upload, upload_body
from api.http.deps import Anyone, EngineDep
from api.http.fields import (
    FIRST_REPORTING_YEAR,
    LAST_REPORTING_YEAR,
    IdempotencyKey,
    Nummer,
    PlainDigits,
    Year,
    one_of,
)
from api.http.history import StatementRecordPublic, statement_record
from api.http.idempotency import entry_key, fingerprint, once, replayed
from api.http.links import (
    UPLOAD_STATEMENT,
    created,
)
from api.http.problems import XLSX, Refusal, attachment, file_response, problem
from api.http.public import Public
from api.http.reading import AfterNumber, AsOf, Limit, Page, paged
from api.http.users import Role
from api.http.writes import Reason, StatementId, refuse_auditors, service
from api.statements.limits import StatementLimits
from api.statements.problems import StatementRefused
from api.statements.service import (
    ImportResult,
    import_statement,
    refused_workbook,
    template_for,
)
from ledger.db.unit_of_work import UnitOfWork
from ledger.regio.db.history import statement_content, statements
from ledger.regio.model import (
    StatementStatus,
    Who,
)

router = APIRouter(prefix="/api/v1", tags=["statements"])


@router.get(
    "/beschikkingen/{nummer}/statements/template",
    operation_id="get_statement_template",
    responses=file_response(XLSX, description="The statement template."),
)
def template(nummer: Nummer, year: Year, user: Anyone, engine: EngineDep) -> Response:
    visible_beschikking(engine, user, nummer)
    content = template_for(engine, nummer, year)
    return Response(
        content,
        media_type=XLSX,
        headers={"Content-Disposition": f'attachment; filename="bestedingen-{nummer}-{year}.xlsx"'},
    )


class StatementProblemPublic(Public):
    """One problem of a statement: where (row, column, cell), the value found, what to do."""

    code: str
    row: int | None
    column: str | None
    cell: str | None
    value: str
    message_nl: str
    message_en: str
    warning: bool


class StatementBooked(Public):
    beschikking: str
    year: int
    sha256: str
    booked: bool
    statement_id: str | None
    entry: int | None = None
    lines: int | None = None
    totals: dict[str, str] = Field(default_factory=dict)
    replaced_statement: str | None = None
    reversal_entry: int | None = None
    repeated_upload: bool = False
    problems: list[StatementProblemPublic] = Field(default_factory=list)
    warnings: list[StatementProblemPublic] = Field(default_factory=list)


#: The upload's body as the schema states it (the route reads the form itself, streaming).
UPLOAD_BODY = upload_body(
    "The statement workbook (.xlsx); its content is checked cell by cell.", XLSX
)


@router.post(
    "/beschikkingen/{nummer}/statements",
    status_code=201,
    response_model=StatementBooked,
    operation_id=UPLOAD_STATEMENT,
    responses={**created(), 200: {"description": "The same file was booked before; nothing new."}},
    openapi_extra={"requestBody": UPLOAD_BODY},
)
async def upload(
    nummer: Nummer,
    year: Year,
    request: Request,
    user: Anyone,
    engine: EngineDep,
    idempotency_key: IdempotencyKey = None,
) -> Any:
    """Upload a spending statement (multipart field ``file``): 201 with a summary when booked,
    422 with every problem. The same file again answers as the first time (200); under the same
    ``Idempotency-Key`` another file is refused (409) instead of replacing the first."""
    refuse_auditors(user)
    await run_in_threadpool(visible_beschikking, engine, user, nummer)
    limits = StatementLimits()
    content, filename = await read_upload(request, limits.max_file_bytes)
    sha256 = hashlib.sha256(content).hexdigest()
    print_ = fingerprint("statements", nummer, year, sha256)
    if first := await run_in_threadpool(replayed, engine, user, idempotency_key, print_):
        return first

    def kept_under_the_key(book: Callable[[Connection], dict[str, Any]]) -> Response:
        return once(engine, user, idempotency_key, print_, _status_of_upload, book)

    try:
        result = await run_in_threadpool(
            lambda: import_statement(
                engine,
                nummer,
                year,
                content,
                filename=filename,
                uploader=user.name,
                organisation=user.organisation if user.role == Role.REGION else None,
                limits=limits,
                sha256=sha256,
                transaction=kept_under_the_key,
            )
        )
    except StatementRefused as refused:
        return _refused_at_the_door(refused)
    return _refused(nummer, result) if result.problems else result.answer


def _status_of_upload(booked: dict[str, Any]) -> int:
    """201 for a new booking, 200 for the same file again (nothing new was booked)."""
    return 200 if booked["repeated_upload"] else 201


def _refused_at_the_door(refused: StatementRefused) -> Response:
    """A statement refused before its lines were read (not this region's, a final year, a file
    that is no workbook): 422 with every problem; nothing is kept."""
    problems = [p.as_dict() for p in refused.problems]
    return problem(
        422,
        refused.problems[0].code,
        "The statement was refused; nothing was booked.",
        problems=problems,
    )


def _refused(nummer: str, result: ImportResult) -> Response:
    """Refused with problems, the upload kept with them: 422 with every problem and where to
    download the workbook with the problems marked."""
    return problem(
        422,
        "statement_refused",
        "The statement was refused; nothing was booked.",
        statement_id=result.statement_id,
        problems=[p.as_dict() for p in result.problems],
        errors_workbook=f"/api/v1/beschikkingen/{nummer}/statements/{result.statement_id}/errors.xlsx",
    )


@router.get(
    "/beschikkingen/{nummer}/statements/{statement_id}/errors.xlsx",
    operation_id="get_statement_errors_workbook",
    responses=file_response(XLSX, description="The upload with its problems marked."),
)
def errors(nummer: Nummer, statement_id: StatementId, user: Anyone, engine: EngineDep) -> Response:
    visible_beschikking(engine, user, nummer)
    content = refused_workbook(engine, nummer, statement_id)
    if content is None:
        raise Refusal(404, "statement_not_found", "No refused statement with that id.")
    return Response(
        content,
        media_type=XLSX,
        headers={
            "Content-Disposition": f'attachment; filename="fouten-{nummer}-{statement_id}.xlsx"'
        },
    )


class Withdrawn(Public):
    beschikking: str
    statement: str
    entries: list[int]


@router.post(
    "/beschikkingen/{nummer}/statements/{statement_id}/withdrawal",
    operation_id="withdraw_statement",
    status_code=201,
    response_model=Withdrawn,
    responses=created(),
)
def withdraw_statement(
    nummer: Nummer,
    statement_id: StatementId,
    body: Reason,
    user: Anyone,
    engine: EngineDep,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    """A statement withdrawn (by its region or finance): its bookings are reversed and its
    lines stop counting; the same file may be handed in again."""
    if user.role == Role.AUDITOR:
        raise Refusal(403, "forbidden", "Auditors read; they do not write.")
    visible_beschikking(engine, user, nummer)

    def run(connection: Connection) -> dict[str, Any]:
        posted = service(engine, connection).withdraw_statement(
            nummer,
            statement_id,
            key=entry_key(user, idempotency_key),
            who=Who(user.name, body.reason),
            organisation=user.organisation if user.role == Role.REGION else None,
        )
        return {
            "beschikking": nummer,
            "statement": statement_id,
            "entries": [p.sequence for p in posted],
        }

    return once(
        engine,
        user,
        idempotency_key,
        fingerprint("statement-withdrawal", nummer, statement_id, body),
        201,
        run,
    )


# --- reads -------------------------------------------------------------------------------------

StatusAsked = Annotated[str | None, Query(pattern=one_of(StatementStatus))]


@router.get("/beschikkingen/{nummer}/statements", operation_id="list_statements")
def list_statements(
    nummer: Nummer,
    request: Request,
    response: Response,
    user: Anyone,
    engine: EngineDep,
    at: AsOf,
    year: Annotated[
        int | None, Query(ge=FIRST_REPORTING_YEAR, le=LAST_REPORTING_YEAR), PlainDigits
    ] = None,
    status: StatusAsked = None,
    after: AfterNumber = None,
    limit: Limit = 100,
) -> Page[StatementRecordPublic]:
    """Every statement handed in for a beschikking, oldest first: who, when, which file (its
    hash), and whether it is booked, replaced, withdrawn or refused; a region: its own."""
    visible_beschikking(engine, user, nummer)
    with UnitOfWork(engine) as uow:
        records = statements(uow.connection, nummer, at.known(uow.connection))
    numbered = [
        (number, r)
        for number, r in enumerate(records, start=1)
        if year in (None, r.year) and status in (None, r.status)
    ]
    page = paged(request, response, numbered, lambda n: n[0], after, limit)
    return Page[StatementRecordPublic](
        items=[statement_record(r) for _, r in page.items],
        next=page.next,
        next_after=page.next_after,
    )


@router.get("/beschikkingen/{nummer}/statements/{statement_id}", operation_id="get_statement")
def one_statement(
    nummer: Nummer, statement_id: StatementId, user: Anyone, engine: EngineDep, at: AsOf
) -> StatementRecordPublic:
    visible_beschikking(engine, user, nummer)
    with UnitOfWork(engine) as uow:
        records = statements(uow.connection, nummer, at.known(uow.connection))
    for record in records:
        if record.id == statement_id:
            return statement_record(record)
    raise Refusal(404, "statement_not_found", f"No statement {statement_id} of {nummer}.")


@router.get(
    "/beschikkingen/{nummer}/statements/{statement_id}/file",
    operation_id="get_statement_file",
    responses=file_response(XLSX, description="The statement exactly as it was handed in."),
)
def statement_file(
    nummer: Nummer, statement_id: StatementId, user: Anyone, engine: EngineDep
) -> Response:
    """The original file of a statement, byte for byte (its SHA-256 is the statement's)."""
    visible_beschikking(engine, user, nummer)
    with UnitOfWork(engine) as uow:
        found = statement_content(uow.connection, nummer, statement_id)
    if found is None:
        raise Refusal(404, "statement_not_found", f"No statement {statement_id} of {nummer}.")
    filename, content = found
    return Response(content, media_type=XLSX, headers=attachment(filename))
