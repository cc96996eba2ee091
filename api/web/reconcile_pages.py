"""The reconciliation in the browser: a finance officer uploads the ministry's own record and
sees (and downloads) the outcome; auditors read the kept reconciliations. The matching is
``api.reconcile``'s, the same as the API's and the command line's; nothing is booked."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from api.http.bodies import upload_from_form
from api.http.headers import secured
from api.http.users import Role
from api.reconcile.reader import read_record
from api.reconcile.service import Scope, reconcile_record
from api.reconcile.store import Kept, kept, kept_list
from api.reconcile.workbook import reconciliation_answer_workbook
from api.statements.limits import StatementLimits
from api.web.common import Lang, PageReader, checked_form, csrf_token, page
from ledger.clock import today
from ledger.dates import parse_date
from ledger.db.unit_of_work import UnitOfWork
from ledger.errors import LedgerError
from ledger.text import is_identifier

router = APIRouter(prefix="/dashboard", include_in_schema=False)
ReconciliationId = Annotated[str, Path(pattern="^rec-[0-9a-f]{20}$")]


def _list_page(
    request: Request, user: object, lang: str, status: int = 200, **extra: object
) -> Response:
    with UnitOfWork(request.app.state.engine) as uow:
        found = kept_list(uow.connection, 0, 500)
    return page(
        "reconciliations.html",
        lang,
        status,
        user=user,
        kept=list(reversed(found)),
        csrf=csrf_token(request),
        **extra,
    )


@router.get("/reconciliations")
def reconciliations(request: Request, user: PageReader, lang: Lang) -> Response:
    return _list_page(request, user, lang)


@router.post("/reconciliations")
async def reconcile(request: Request, user: PageReader, lang: Lang) -> Response:
    """Match the uploaded file; the outcome is kept and shown on its own page."""
    if user.role != Role.FINANCE:
        raise HTTPException(403, "Finance officers make reconciliations; auditors read them.")
    form = await checked_form(request)
    limits = StatementLimits()
    tranche = str(form.get("tranche", "")).strip() or None
    as_of_text = str(form.get("as_of", "")).strip()
    problems: dict[str, str] = {}
    if tranche is not None and not is_identifier(tranche):
        problems["tranche"] = "invalid_tranche"
    try:
        as_of = parse_date(as_of_text) if as_of_text else None
    except LedgerError:
        as_of, problems["as_of"] = None, "invalid_as_of"
    try:
        content, filename = await upload_from_form(form, limits.max_file_bytes)
    except HTTPException as refused:
        if refused.status_code == 413:
            raise
        problems["file"] = "file_missing"
    if problems:
        return _list_page(request, user, lang, 422, field_errors=problems)
    try:
        record = await run_in_threadpool(read_record, content, limits)
    except LedgerError as unreadable:
        return _list_page(request, user, lang, 422, unreadable=unreadable.problems[0])
    scope = Scope(tranche, False, as_of)
    made = await run_in_threadpool(_keep, request, record, content, filename, user.name, scope)
    return secured(
        RedirectResponse(f"/dashboard/reconciliations/{made}?lang={lang}", status_code=303)
    )


def _keep(
    request: Request, record: object, content: bytes, filename: str, by: str, scope: Scope
) -> str:
    with UnitOfWork(request.app.state.engine, write=True) as uow:
        made = reconcile_record(uow.connection, record, content, filename, by, scope)  # type: ignore[arg-type]
        uow.commit()
    return made.id


def _kept_or_404(request: Request, public_id: str) -> Kept:
    with UnitOfWork(request.app.state.engine) as uow:
        found = kept(uow.connection, public_id)
    if found is None:
        raise HTTPException(404, f"No reconciliation {public_id}.")
    return found


@router.get("/reconciliations/{id}")
def reconciliation(
    id: ReconciliationId,  # noqa: A002 - the address's name
    request: Request,
    user: PageReader,
    lang: Lang,
) -> Response:
    found = _kept_or_404(request, id)
    return page("reconciliation.html", lang, user=user, r=found.answer, today=today())


@router.get("/reconciliations/{id}/aansluiting.xlsx")
def reconciliation_workbook(
    id: ReconciliationId,  # noqa: A002 - the address's name
    request: Request,
    user: PageReader,
    lang: Lang,
) -> Response:
    found = _kept_or_404(request, id)
    content = reconciliation_answer_workbook(found.answer, lang)
    return secured(
        Response(
            content,
            media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            headers={"Content-Disposition": f'attachment; filename="aansluiting-{id}.xlsx"'},
        )
    )
