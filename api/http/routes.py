"""Health, beschikkingen (with payments), the tranche reconciliation, the deal report and the
journal check. Each route parses, calls one service, maps the result."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request, Response
from fastapi.responses import HTMLResponse, JSONResponse
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from api.http.deps import Anyone, EngineDep, Finance, Reader
from api.http.fields import (
    Amount,
    Body,
    IdempotencyKey,
    IsoDate,
    Nummer,
    OptionalDate,
    PathCode,
    Text,
)
from api.http.idempotency import entry_key, fingerprint, once
from api.http.links import BOOKED_LINKS, CREATE_PAYMENT, GET_DEAL_REPORT, created
from api.http.problems import XLSX, file_response
from api.http.users import Role
from api.web.headers import secured
from ledger.db.unit_of_work import UnitOfWork
from ledger.db.verify import verify_journal
from ledger.regio.db.service import RegioService
from ledger.regio.db.snapshot import load_snapshot, spending_ends
from ledger.regio.model import Who
from reports.deal_report import build_deal_progress
from reports.html import standalone
from reports.listings import beschikking_rows
from reports.reconciliation import SOURCES, build_tranche_reconciliation
from reports.render import to_json
from reports.workbook import deal_workbook, reconciliation_workbook

router = APIRouter()
v1 = APIRouter(prefix="/api/v1")


@router.get("/healthz")
def healthz(engine: EngineDep) -> dict[str, str]:
    with UnitOfWork(engine) as uow:
        uow.connection.exec_driver_sql("SELECT 1")
    return {"status": "ok"}


@v1.get("/beschikkingen")
def list_beschikkingen(user: Anyone, engine: EngineDep) -> list[dict[str, Any]]:
    """All beschikkingen; a region sees only its own organisation's."""
    with UnitOfWork(engine) as uow:
        snapshot, ends = load_snapshot(uow.connection, date.max), spending_ends(uow.connection)
    rows = beschikking_rows(snapshot, ends)
    if user.role == Role.REGION:
        rows = [r for r in rows if r.beschikking.recipient == user.organisation]
    return [r.as_dict() for r in rows]


class PaymentCreate(Body):
    amount: Amount
    paid_on: IsoDate
    reason: Text


class PaymentBooked(BaseModel):
    entry: int
    beschikking: str
    amount: str
    currency: str
    paid_on: date
    entry_hash: str


@v1.post(
    "/beschikkingen/{nummer}/payments",
    status_code=201,
    response_model=PaymentBooked,
    responses=created(BOOKED_LINKS),
    operation_id=CREATE_PAYMENT,
)
async def create_payment(
    nummer: Nummer,
    payment: PaymentCreate,
    user: Finance,
    engine: EngineDep,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    """Book a payment (voorschot). Retrying with the same ``Idempotency-Key`` books it once.

    ``async`` with one explicit hop to the thread pool for the booking: the hot path of the API
    pays for one thread switch, not one per dependency and one more for the response."""

    def run(connection: Any) -> dict[str, Any]:
        posted = RegioService(engine, connection=connection).pay(
            nummer,
            Decimal(payment.amount),
            on=payment.paid_on,
            key=entry_key(user, idempotency_key),
            who=Who(user.name, payment.reason),
        )
        return {
            "entry": posted.sequence,
            "beschikking": nummer,
            "amount": payment.amount,
            "currency": posted.postings[0].currency,
            "paid_on": payment.paid_on.isoformat(),
            "entry_hash": posted.entry_hash,
        }

    return await run_in_threadpool(
        once,
        engine,
        user,
        idempotency_key,
        fingerprint("payments", nummer, payment),
        201,
        run,
        lambda answer: {"Location": f"/api/v1/journal/entries/{answer['entry']}"},
    )


@v1.get(
    "/reports/tranches",
    responses=file_response("application/json", XLSX, description="The reconciliation."),
)
def tranche_report(
    request: Request,
    user: Reader,
    engine: EngineDep,
    as_of: OptionalDate = None,
    format: Annotated[str, Query(pattern="^(json|xlsx)$")] = "json",  # noqa: A002 - the API's name
    lang: Annotated[str, Query(pattern="^(nl|en)$")] = "nl",
) -> Response:
    """The tranche reconciliation as of a date (default today): JSON, or the workbook to hand on.
    Kept until the next write to the ledger (see ``api.http.cache``)."""
    day = as_of or date.today()

    def compute() -> bytes:
        with UnitOfWork(engine) as uow:
            snapshot = load_snapshot(uow.connection, day)
        reconciliation = build_tranche_reconciliation(snapshot)
        if format == "xlsx":
            return reconciliation_workbook(reconciliation, lang, snapshot.illustrative)
        return to_json(reconciliation, illustrative=snapshot.illustrative).encode()

    content = request.app.state.derived.get_or_compute(
        engine, ("tranches", day, format, lang), compute
    )
    if format == "xlsx":
        return Response(
            content,
            media_type=XLSX,
            headers={
                "Content-Disposition": f'attachment; filename="aansluiting-tranches-{day}.xlsx"'
            },
        )
    return Response(content, media_type="application/json")


@v1.get(
    "/reports/deals/{code}",
    responses=file_response(
        "application/json", XLSX, "text/html", description="Voortgang of a deal."
    ),
    operation_id=GET_DEAL_REPORT,
)
def deal_report(
    code: PathCode,
    user: Reader,
    engine: EngineDep,
    as_of: OptionalDate = None,
    format: Annotated[str, Query(pattern="^(json|xlsx|html)$")] = "json",  # noqa: A002 - the API's name
    lang: Annotated[str, Query(pattern="^(nl|en)$")] = "nl",
) -> Response:
    """Voortgang of one deal: granted, paid, spending by year and source, co-financing against
    the Rijk's share (the multiplier), programme lines, open terugvordering."""
    with UnitOfWork(engine) as uow:
        snapshot = load_snapshot(uow.connection, as_of or date.today())
    try:
        progress = build_deal_progress(snapshot, code)
    except KeyError:
        raise HTTPException(404, f"No deal {code}.") from None
    if format == "xlsx":
        return Response(
            deal_workbook(progress, lang),
            media_type=XLSX,
            headers={"Content-Disposition": f'attachment; filename="voortgang-{code}.xlsx"'},
        )
    if format == "html":
        html = standalone(
            "deal.html", lang, p=progress, sources=SOURCES, illustrative=snapshot.illustrative
        )
        return secured(HTMLResponse(html))
    return JSONResponse(progress.as_dict())


@v1.get("/journal/verify")
def journal_verify(user: Reader, engine: EngineDep) -> dict[str, Any]:
    with UnitOfWork(engine) as uow:
        report = verify_journal(uow.connection)
    return {
        "ok": report.ok,
        "entries_checked": report.entries_checked,
        "last_hash": report.last_hash,
        "problems": [p.as_dict() for p in report.problems],
    }
