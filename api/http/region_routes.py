"""Regions' statements over HTTP: template, upload (all or nothing), the error workbook of a
refused upload, and eindverantwoording."""

from __future__ import annotations

import hashlib
import json
from functools import partial
from typing import Any

from fastapi import APIRouter, HTTPException, Request, Response
from pydantic import Field
from sqlalchemy import Engine, select
from starlette.concurrency import run_in_threadpool

from api.http.access import visible_beschikking
from api.http.deps import Anyone, EngineDep, IdempotencyKey, StatementId, Year
from api.http.idempotency import answer, fingerprint, once, replayed
from api.http.problems import XLSX, file_response, problem
from api.http.text import Body
from api.statements.limits import StatementLimits
from api.statements.problems import StatementProblem, StatementRefused
from api.statements.reader import read_statement
from api.statements.service import import_statement
from api.statements.workbooks import errors_workbook, statement_template
from ledger.db.regio import RegioService
from ledger.db.statements import StatementStore, statement_table
from ledger.db.unit_of_work import UnitOfWork
from ledger.db.users import User
from ledger.regio.model import Who

router = APIRouter(prefix="/api/v1/beschikkingen")


def _writer(user: Anyone) -> None:
    if user.role == "auditor":
        raise HTTPException(403, "Auditors read; they do not write.")


@router.get(
    "/{nummer}/statements/template",
    responses=file_response(XLSX, description="The statement template."),
)
def template(nummer: str, year: Year, user: Anyone, engine: EngineDep) -> Response:
    visible_beschikking(engine, user, nummer)
    context = StatementStore(engine).context(nummer)
    content = statement_template(nummer, year, sorted(context.programme_lines_display))
    return Response(
        content,
        media_type=XLSX,
        headers={"Content-Disposition": f'attachment; filename="bestedingen-{nummer}-{year}.xlsx"'},
    )


async def _read_upload(request: Request, limits: StatementLimits) -> tuple[bytes, str]:
    """The uploaded file, cut off while streaming as soon as it passes the size limit (413)."""
    form = await request.form(max_files=1, max_fields=5)
    upload = form.get("file")
    if upload is None or isinstance(upload, str):
        raise HTTPException(422, "Send the workbook as multipart field 'file'.")
    chunks, size = [], 0
    while chunk := await upload.read(1024 * 1024):
        size += len(chunk)
        if size > limits.max_file_bytes:
            raise HTTPException(
                413, f"The file is larger than {limits.max_file_bytes // (1024 * 1024)} MB."
            )
        chunks.append(chunk)
    return b"".join(chunks), upload.filename or "upload.xlsx"


@router.post("/{nummer}/statements", status_code=201)
async def upload(nummer: str, year: Year, request: Request, user: Anyone, engine: EngineDep,
                 idempotency_key: IdempotencyKey = None) -> Any:  # fmt: skip
    """Upload a spending statement: 201 with a summary when booked, 422 with every problem.
    The same file again answers as the first time; with the same ``Idempotency-Key``, another
    file is refused (409) instead of replacing the first."""
    _writer(user)
    visible_beschikking(engine, user, nummer)
    limits = StatementLimits()
    declared = int(request.headers.get("content-length") or 0)
    if declared > limits.max_file_bytes + 64 * 1024:
        raise HTTPException(
            413, f"The file is larger than {limits.max_file_bytes // (1024 * 1024)} MB."
        )
    content, filename = await _read_upload(request, limits)
    print_ = fingerprint("statements", nummer, year, hashlib.sha256(content).hexdigest())
    if first := await run_in_threadpool(replayed, engine, user, idempotency_key, print_):
        return first
    try:
        result = await run_in_threadpool(
            partial(import_statement, engine, nummer, year, content, filename=filename, uploader=user.name,
                    organisation=user.organisation if user.role == "region" else None, limits=limits)
        )  # fmt: skip
    except StatementRefused as refused:
        return problem(422, refused.problems[0].code, "The statement was refused; nothing was booked.",
                       problems=[p.as_dict() for p in refused.problems])  # fmt: skip
    if not result.ok:
        return problem(422, "statement_refused", "The statement was refused; nothing was booked.",
                       statement_id=result.statement_id, problems=[p.as_dict() for p in result.problems],
                       errors_workbook=f"/api/v1/beschikkingen/{nummer}/statements/{result.statement_id}/errors.xlsx")  # fmt: skip
    status = 200 if result.booked.reused else 201
    return await run_in_threadpool(
        answer, engine, user, idempotency_key, print_, status, result.as_dict()
    )


@router.get(
    "/{nummer}/statements/{statement_id}/errors.xlsx",
    responses=file_response(XLSX, description="The upload with its problems marked."),
)
def errors(nummer: str, statement_id: StatementId, user: Anyone, engine: EngineDep) -> Response:
    visible_beschikking(engine, user, nummer)
    with UnitOfWork(engine) as uow:
        row = uow.connection.execute(
            select(statement_table).where(
                statement_table.c.id == statement_id, statement_table.c.beschikking == nummer
            )
        ).first()
    if row is None or row.outcome != "refused":
        raise HTTPException(404, "No refused statement with that id.")
    problems = [StatementProblem(p["code"], p["row"], p["column"], (p["cell"] or "").rstrip("0123456789") or None, p["value"] or "")
                for p in json.loads(row.problems)]  # fmt: skip
    try:
        sheet = read_statement(row.content).sheet
    except StatementRefused:
        sheet = None
    return Response(errors_workbook(row.content, sheet, problems), media_type=XLSX,
                    headers={"Content-Disposition": f'attachment; filename="fouten-{nummer}-{statement_id}.xlsx"'})  # fmt: skip


class FinalCreate(Body):
    toelichting: str | None = Field(default=None, max_length=2000)


@router.post("/{nummer}/final", status_code=201)
def final(nummer: str, year: Year, body: FinalCreate, user: Anyone, engine: EngineDep,
          idempotency_key: IdempotencyKey = None) -> Response:  # fmt: skip
    """Eindverantwoording: ``year`` is the last SiSa report of the beschikking."""
    _writer(user)
    visible_beschikking(engine, user, nummer)
    return once(engine, user, idempotency_key, fingerprint("final", nummer, year, body), 201,
                lambda: _mark_final(engine, user, nummer, year, body))  # fmt: skip


def _mark_final(
    engine: Engine, user: User, nummer: str, year: int, body: FinalCreate
) -> dict[str, Any]:
    RegioService(engine).mark_final(nummer, year, key=f"final:{nummer}", who=Who(user.name, f"Eindverantwoording {year}"),
                                    organisation=user.organisation if user.role == "region" else None,
                                    toelichting=body.toelichting)  # fmt: skip
    return {"beschikking": nummer, "final_year": year}
