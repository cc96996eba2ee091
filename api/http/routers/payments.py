"""Payments on a beschikking (listed, booked, corrected) and repayments of a terugvordering."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Any

from fastapi import APIRouter, Path, Request, Response
from starlette.concurrency import run_in_threadpool

from api.http.access import visible_beschikking
from api.http.deps import Anyone, EngineDep, Finance
from api.http.fields import (
    Amount,
    Body,
    IdempotencyKey,
    IsoDate,
    Nummer,
    OptionalDate,
    PlainDigits,
    Text,
)
from api.http.history import HappeningPublic, happening
from api.http.idempotency import entry_key, fingerprint, once
from api.http.links import (
    BOOKED_LINKS,
    CREATE_PAYMENT,
    created,
)
from api.http.public import Public
from api.http.reading import AfterNumber, AsOf, Limit, Page, paged
from api.http.writes import Booked, Dated, Movement, book_once
from ledger.db.unit_of_work import UnitOfWork
from ledger.money import Money
from ledger.regio.db.history import beschikking_history
from ledger.regio.db.service import RegioService
from ledger.regio.model import (
    Who,
)

router = APIRouter(prefix="/api/v1", tags=["payments"])


class PaymentCreate(Body):
    amount: Amount
    paid_on: IsoDate
    reason: Text
    # a foreign-currency grant: the euros the payment really cost, and the source of its rate
    eur_paid: Amount | None = None
    source_document: Text | None = None


class PaymentBooked(Public):
    entry: int
    beschikking: str
    amount: str
    currency: str
    paid_on: date
    entry_hash: str


@router.post(
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
            who=Who(user.name, payment.reason, payment.source_document),
            eur_paid=None if payment.eur_paid is None else Money.of(payment.eur_paid),
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


EntryInPath = Annotated[
    int, Path(ge=1, le=2**63 - 1, description="The payment's journal entry"), PlainDigits
]


@router.post(
    "/beschikkingen/{nummer}/payments/{entry}/correction",
    operation_id="correct_payment",
    status_code=201,
    response_model=Booked,
    responses=created(BOOKED_LINKS),
)
def correct_payment(
    nummer: Nummer,
    entry: EntryInPath,
    body: Dated,
    user: Finance,
    engine: EngineDep,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    """A payment booked wrongly is reversed; book the right one as a new payment."""
    return book_once(
        engine,
        user,
        idempotency_key,
        fingerprint("payment-correction", nummer, entry, body),
        body,
        lambda regio, key, by: regio.correct_payment(
            nummer, entry, on=body.effective_on, key=key, who=by
        ),
    )


@router.post(
    "/beschikkingen/{nummer}/repayments",
    operation_id="create_repayment",
    status_code=201,
    response_model=Booked,
    responses=created(BOOKED_LINKS),
)
def repay(
    nummer: Nummer,
    body: Movement,
    user: Finance,
    engine: EngineDep,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    return book_once(
        engine,
        user,
        idempotency_key,
        fingerprint("repayments", nummer, body),
        body,
        lambda regio, key, by: regio.repay(
            nummer, Decimal(body.amount), on=body.effective_on, key=key, who=by
        ),
    )


@router.get("/beschikkingen/{nummer}/payments", operation_id="list_payments")
def list_payments(
    nummer: Nummer,
    request: Request,
    response: Response,
    user: Anyone,
    engine: EngineDep,
    at: AsOf,
    paid_from: OptionalDate = None,
    paid_to: OptionalDate = None,
    after: AfterNumber = None,
    limit: Limit = 100,
) -> Page[HappeningPublic]:
    """The payments on a beschikking in the order they were booked (a corrected one names its
    correction), and the repayments of a terugvordering (kind ``repayment``); a region: its own."""
    state = visible_beschikking(engine, user, nummer)
    with UnitOfWork(engine) as uow:
        history = beschikking_history(
            uow.connection,
            nummer,
            state.beschikking.amount.currency,
            at.day,
            at.known(uow.connection),
        )
    payments = [
        happening(h)
        for h in history.of_kind("payment", "repayment")
        if (paid_from is None or h.effective_on >= paid_from)
        and (paid_to is None or h.effective_on <= paid_to)
    ]
    return paged(request, response, payments, _order, after, limit)


def _order(payment: HappeningPublic) -> int:
    """The event's number: the order it was booked in (the page key)."""
    return int(payment.id.removeprefix("event-"))
