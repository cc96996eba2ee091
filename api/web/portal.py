"""A region's yearly round in the browser: per beschikking and year the template, the upload
(booked with its totals, or every problem with the region's own workbook back, marked), the
statements handed in (each downloadable, a booked one withdrawable), the toelichting, the
eindverantwoording, and the year's SiSa rows previewed and submitted.

A region writes for its own beschikkingen only (another's is 404); finance officers and auditors
see the same pages read-only, across all regions. Every form carries the session's CSRF token
and must come from these pages (``api.web.common.checked_form``). The operations are the API's
own (``api.statements.service``, ``RegioService``, ``sisa.service``): the pages only ask and
show."""

from __future__ import annotations

import hashlib
import json
import uuid
from functools import partial
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Path, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from api.http.access import visible_beschikking
from api.http.bodies import upload_from_form
from api.http.fields import PlainDigits
from api.http.headers import secured
from api.http.problems import XLSX, attachment
from api.http.sisa_status import sisa_status_rows
from api.http.users import Role, User
from api.statements.limits import StatementLimits
from api.statements.problems import StatementRefused
from api.statements.service import import_statement, refused_workbook, template_for
from api.web.common import Lang, PageUser, checked_form, csrf_token, page
from ledger.db.unit_of_work import UnitOfWork
from ledger.errors import LedgerError
from ledger.regio import rules
from ledger.regio.db import rows as regio_rows
from ledger.regio.db.history import final_years, statement_content, statements
from ledger.regio.db.scoped import Scope
from ledger.regio.db.service import RegioService
from ledger.regio.model import SisaStatus, StatementStatus, Who
from ledger.text import IDENTIFIER_PATTERN, check_text, is_identifier
from sisa.db import submission_of, submitted_cumulative
from sisa.db.store import last_submissions, submissions_of_year
from sisa.service import add_toelichting, export_sisa, regelingen_with_rows, submit_sisa
from sisa.status import status_rows

router = APIRouter(prefix="/dashboard", include_in_schema=False)

Nummer = Annotated[str, Path(pattern=IDENTIFIER_PATTERN)]
Year = Annotated[int, Path(ge=2000, le=2100), PlainDigits]
StatementId = Annotated[str, Path(pattern=IDENTIFIER_PATTERN)]
DONE = ("withdrawn", "toelichting", "final", "submitted")
NEXT_STEP = {
    SisaStatus.MISSING: "step_upload",
    SisaStatus.REPORTED: "step_submit",
    SisaStatus.FINAL: "step_done",
    SisaStatus.CLOSED: "step_closed",
    SisaStatus.NOT_DUE: "step_not_due",
}


def organisation_of(user: User) -> str | None:
    return user.organisation if user.role == Role.REGION else None


def only_regions(user: User) -> None:
    """The round is the region's own to do; others read the same pages."""
    if user.role != Role.REGION:
        raise HTTPException(403, "Only the region itself hands in its statements and reports.")


def web_key(user: User) -> str:
    return f"web:{user.name}:{uuid.uuid4().hex}"


def year_statuses(engine: Any, scope: Scope | None = None) -> dict[str, dict[int, str]]:
    """Per SPUK or BU beschikking (of the whole books, or of ``scope`` only: one beschikking, a
    recipient's), the SiSa status of each year of its spending period."""
    if scope is None:
        rows = sisa_status_rows(engine)
    else:
        with UnitOfWork(engine) as uow:
            rows = status_rows(uow.connection, scope=scope)
    return {r.beschikking.nummer: r.years for r in rows}


def year_context(engine: Any, user: User, nummer: str, year: int) -> dict[str, Any]:
    """Everything the page of one beschikking and year shows."""
    state = visible_beschikking(engine, user, nummer)
    with UnitOfWork(engine) as uow:
        c = uow.connection
        handed_in = [s for s in statements(c, nummer) if s.year == year]
        toelichting = regio_rows.toelichting(c, nummer, year)
        spending = regio_rows.spending_cents(c, nummer)
        final = final_years(c).get(nummer)
        before = submitted_cumulative(c, nummer, year - 1)
        recipient = state.beschikking.recipient
        submitted = last_submissions(c, year, recipient=recipient).get(recipient)
    currency = state.granted.currency
    why_final = rules.toelichting_needed(
        state.granted.minor_units, spending, year, True, currency, submitted_before=before
    )
    why_row = rules.toelichting_needed(
        state.granted.minor_units, spending, year, False, currency, submitted_before=before
    )
    status = (
        year_statuses(engine, Scope(nummer=nummer)).get(nummer, {}).get(year, SisaStatus.NOT_DUE)
    )
    return {
        "b": state.beschikking,
        "year": year,
        "year_status": status,
        "next_step": NEXT_STEP[status],
        "statements": handed_in,
        "current": next((s for s in handed_in if s.status == StatementStatus.BOOKED), None),
        "toelichting": toelichting,
        "why_final": why_final,
        "why_row": why_row,
        "final_year": final,
        "submission": submitted,
        "writes": user.role == Role.REGION and final is None,
    }


def year_page(
    request: Request, engine: Any, user: User, nummer: str, year: int, lang: str, **extra: Any
) -> Response:
    status = extra.pop("status_code", 200)
    context = year_context(engine, user, nummer, year)
    done = request.query_params.get("done")
    return page(
        "year.html",
        lang,
        status,
        user=user,
        csrf=csrf_token(request),
        request_done=done if done in DONE else None,
        **context,
        **extra,
    )


@router.get("/beschikkingen/{nummer}/{year}")
def year_view(nummer: Nummer, year: Year, request: Request, user: PageUser, lang: Lang) -> Response:
    return year_page(request, request.app.state.engine, user, nummer, year, lang)


@router.get("/beschikkingen/{nummer}/{year}/template.xlsx")
def template(nummer: Nummer, year: Year, request: Request, user: PageUser) -> Response:
    engine = request.app.state.engine
    visible_beschikking(engine, user, nummer)
    return _download(template_for(engine, nummer, year), f"bestedingen-{nummer}-{year}.xlsx")


def _download(content: bytes, filename: str, media_type: str = XLSX) -> Response:
    return secured(Response(content, media_type=media_type, headers=attachment(filename)))


@router.post("/beschikkingen/{nummer}/{year}/statement")
async def hand_in(
    nummer: Nummer, year: Year, request: Request, user: PageUser, lang: Lang
) -> Response:
    """Upload a statement: booked (with totals), or every problem with the workbook marked. A
    different file replaces the booked one only when the form says the user confirms it."""
    engine = request.app.state.engine
    only_regions(user)
    form = await checked_form(request)
    limits = StatementLimits()
    try:
        content, filename = await upload_from_form(form, limits.max_file_bytes)
    except HTTPException as refused:
        if refused.status_code == 413:
            raise
        return await again(request, user, nummer, year, lang, 422, file_error="file_missing")
    context = await run_in_threadpool(year_context, engine, user, nummer, year)
    current = context["current"]
    replaces = str(form.get("replace") or "") or None  # the booked statement the user saw
    if current and current.sha256 != _sha256(content) and replaces != current.id:
        return await again(request, user, nummer, year, lang, 409, confirm_replace=True)
    try:
        return await run_in_threadpool(
            _handed_in, engine, user, nummer, year, lang, content, filename, limits, replaces
        )
    except LedgerError as refused:  # another statement was booked since the page was shown
        if refused.code != "replacement_not_confirmed":
            raise
        return await again(request, user, nummer, year, lang, 409, confirm_replace=True)


def _handed_in(
    engine: Any,
    user: User,
    nummer: str,
    year: int,
    lang: str,
    content: bytes,
    filename: str,
    limits: StatementLimits,
    replaces: str | None,
) -> Response:
    """Book the statement and say how it went: its totals, or every problem. It replaces a
    booked statement only when that is the one the user confirmed (``replaces``), checked in
    the booking's own transaction."""
    shown = partial(page, "handed_in.html", lang, user=user, nummer=nummer, year=year)
    try:
        result = import_statement(
            engine,
            nummer,
            year,
            content,
            filename=filename,
            uploader=user.name,
            organisation=organisation_of(user),
            limits=limits,
            replaces=replaces,
        )
    except StatementRefused as refused:
        return shown(
            422, problems=refused.problems, statement_id=None, booked=None, filename=filename
        )
    return shown(
        201 if result.is_booked else 422,
        problems=result.problems,
        statement_id=result.statement_id,
        booked=result.booked,
        filename=filename,
    )


def _sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


@router.get("/beschikkingen/{nummer}/statements/{statement_id}/file")
def statement_file(
    nummer: Nummer, statement_id: StatementId, request: Request, user: PageUser
) -> Response:
    engine = request.app.state.engine
    visible_beschikking(engine, user, nummer)
    with UnitOfWork(engine) as uow:
        found = statement_content(uow.connection, nummer, statement_id)
    if found is None:
        raise HTTPException(404, f"No statement {statement_id}.")
    return _download(found[1], found[0])


@router.get("/beschikkingen/{nummer}/statements/{statement_id}/fouten.xlsx")
def marked_workbook(
    nummer: Nummer, statement_id: StatementId, request: Request, user: PageUser
) -> Response:
    engine = request.app.state.engine
    visible_beschikking(engine, user, nummer)
    content = refused_workbook(engine, nummer, statement_id)
    if content is None:
        raise HTTPException(404, f"No refused statement {statement_id}.")
    return _download(content, f"fouten-{nummer}-{statement_id}.xlsx")


def _back(nummer: str, year: int, lang: str, done: str) -> Response:
    return secured(
        RedirectResponse(
            f"/dashboard/beschikkingen/{nummer}/{year}?lang={lang}&done={done}", status_code=303
        )
    )


@router.post("/beschikkingen/{nummer}/statements/{statement_id}/withdrawal")
async def withdraw(
    nummer: Nummer, statement_id: StatementId, request: Request, user: PageUser, lang: Lang
) -> Response:
    engine = request.app.state.engine
    only_regions(user)
    form = await checked_form(request)
    year_text = str(form.get("year", ""))
    year = int(year_text) if year_text.isascii() and year_text.isdigit() else 0
    if not 2000 <= year <= 2100:
        raise HTTPException(422, "The form names no reporting year.")
    reason = str(form.get("reason", "")).strip()
    if not reason or check_text("The reason", reason, limit=2000, free_text=True):
        return await again(request, user, nummer, year, lang, 422, reason_error=True)

    def run() -> None:
        RegioService(engine).withdraw_statement(
            nummer,
            statement_id,
            key=web_key(user),
            who=Who(user.name, reason),
            organisation=organisation_of(user),
        )

    return await _done_or_refused(request, user, nummer, year, lang, run, "withdrawn")


async def _done_or_refused(
    request: Request, user: User, nummer: str, year: int, lang: str, run: Any, done: str
) -> Response:
    """Do a write; on a refusal show the year page again with what the ledger said."""
    try:
        await run_in_threadpool(run)
    except LedgerError as refused:
        said = refused
    else:
        return _back(nummer, year, lang, done)
    return await again(request, user, nummer, year, lang, 409, refusal=said)


async def again(
    request: Request, user: User, nummer: str, year: int, lang: str, status: int, **shown: Any
) -> Response:
    """The year page once more, with what was wrong: a form's error or the ledger's refusal."""
    engine = request.app.state.engine
    return await run_in_threadpool(
        partial(year_page, request, engine, user, nummer, year, lang, status_code=status, **shown)
    )


@router.post("/beschikkingen/{nummer}/{year}/toelichting")
async def toelichting(
    nummer: Nummer, year: Year, request: Request, user: PageUser, lang: Lang
) -> Response:
    engine = request.app.state.engine
    only_regions(user)
    form = await checked_form(request)
    text = str(form.get("toelichting", "")).strip()
    if not text or check_text("The toelichting", text, limit=2000, free_text=True):
        return await again(request, user, nummer, year, lang, 422, toelichting_error=True)

    def run() -> None:
        add_toelichting(
            engine,
            nummer,
            year,
            text,
            key=web_key(user),
            who=Who(user.name, text),
            organisation=organisation_of(user),
        )

    return await _done_or_refused(request, user, nummer, year, lang, run, "toelichting")


@router.post("/beschikkingen/{nummer}/{year}/final")
async def final(
    nummer: Nummer, year: Year, request: Request, user: PageUser, lang: Lang
) -> Response:
    """Eindverantwoording, only when the form confirms it (a checkbox the user ticks)."""
    engine = request.app.state.engine
    only_regions(user)
    form = await checked_form(request)
    if form.get("confirm") != "yes":
        return await again(request, user, nummer, year, lang, 422, confirm_error=True)

    def run() -> None:
        RegioService(engine).mark_final(
            nummer,
            year,
            key=web_key(user),
            who=Who(user.name, f"Eindverantwoording {year}"),
            organisation=organisation_of(user),
        )

    return await _done_or_refused(request, user, nummer, year, lang, run, "final")


# --- SiSa: the year's rows as they would be submitted, the submission, the annex as submitted ---


def _recipient(user: User, request: Request) -> str | None:
    if user.role == Role.REGION:
        return user.organisation
    wanted = request.query_params.get("recipient")
    return wanted if is_identifier(wanted) else None


@router.get("/sisa/{year}/rows")
def sisa_rows(year: Year, request: Request, user: PageUser, lang: Lang) -> Response:
    """The region's own SiSa rows of the year as they would be submitted (a preview: it records
    nothing), its submissions of the year, and the form that submits them."""
    engine = request.app.state.engine
    recipient = _recipient(user, request)
    asked = _regeling_asked(request.query_params.get("regeling"))
    blocks = []  # a recipient under several regelingen accounts for each in its own block
    for regeling in [asked] if asked else regelingen_with_rows(engine, year, recipient=recipient):
        content, export = export_sisa(engine, year, "json", recipient=recipient, regeling=regeling)
        blocks.append((regeling, json.loads(content) if content else None, export.problems))
    with UnitOfWork(engine) as uow:
        submitted = submissions_of_year(uow.connection, year, recipient=recipient)
    return page(
        "sisa_rows.html",
        lang,
        user=user,
        year=year,
        recipient=recipient,
        blocks=blocks,
        submitted=submitted,
        csrf=csrf_token(request),
        done=request.query_params.get("done") if request.query_params.get("done") in DONE else None,
    )


def _regeling_asked(value: object) -> str | None:
    """The SiSa block a page or form names (``regeling``), or None for every block."""
    if value in (None, ""):
        return None
    if not is_identifier(value):
        raise HTTPException(
            422, "A regeling is named by its code (letters, digits, '.', '_', '-')."
        )
    return str(value)


@router.post("/sisa/{year}/submission")
async def submit(year: Year, request: Request, user: PageUser, lang: Lang) -> Response:
    engine = request.app.state.engine
    only_regions(user)
    form = await checked_form(request)
    regeling = _regeling_asked(form.get("regeling"))
    result = await run_in_threadpool(
        lambda: submit_sisa(
            engine,
            year,
            "xlsx",
            actor=user.name,
            recipient=user.organisation,
            regeling=regeling,
        )
    )
    if not result.submitted:
        raise HTTPException(
            409, "; ".join(p.message for p in result.refused) or "Nothing to submit."
        )
    return secured(
        RedirectResponse(f"/dashboard/sisa/{year}/rows?lang={lang}&done=submitted", status_code=303)
    )


@router.get("/sisa/{year}/submissions/{submission}")
def submitted_file(
    year: Year, submission: StatementId, request: Request, user: PageUser
) -> Response:
    with UnitOfWork(request.app.state.engine) as uow:
        row = submission_of(uow.connection, year, submission)
    if row is None or (user.role == Role.REGION and row.recipient != user.organisation):
        raise HTTPException(404, "No such submission.")
    media = {"xlsx": XLSX, "csv": "text/csv", "json": "application/json"}[row.format]
    return _download(
        row.content, f"sisa-{year}-{row.instrument}-{row.recipient}.{row.format}", media
    )
