"""Deals (convenanten): the list, signing, amendment, withdrawal and the extension of the looptijd."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Response
from pydantic import BaseModel, Field

from api.http.deps import EngineDep, Finance, Reader
from api.http.fields import (
    Amount,
    Body,
    Code,
    IdempotencyKey,
    IsoDate,
    Name,
    PathCode,
    ProgrammeLine,
    Text,
)
from api.http.idempotency import entry_key, fingerprint, once
from api.http.links import (
    BOOKED_LINKS,
    DEAL_LINKS,
    created,
)
from api.http.public import Public
from api.http.writes import Booked, Dated, ExtensionCreate, Written, book_once, booked, service, who
from ledger.db.unit_of_work import UnitOfWork
from ledger.money import Money
from ledger.regio.db.snapshot import load_snapshot
from ledger.regio.model import (
    Deal,
    Pledge,
    PledgeKind,
)
from reports.listings import deal_rows

router = APIRouter(prefix="/api/v1", tags=["deals"])


class DealPublic(Public):
    """A deal with its Rijksbijdrage and what was granted, paid and spent of it, in euros."""

    code: str
    name: str
    tranche: str
    reservation: str | None
    rijksbijdrage: str
    signed_on: str
    ends_on: str
    granted: str
    paid: str
    spent_rijk: str


class PledgeIn(Body):
    partner: Code
    kind: PledgeKind
    amount: Amount


class DealCreate(Written):
    code: Code
    name: Name
    tranche: Code
    rijksbijdrage: Amount
    signed_on: IsoDate
    ends_on: IsoDate
    reservation: Code | None = None
    programme_lines: list[ProgrammeLine] = Field(default_factory=list, max_length=50)
    pledges: list[PledgeIn] = Field(default_factory=list, max_length=100)
    cofinancing_exception: Text | None = None


@router.get("/deals")
def list_deals(user: Reader, engine: EngineDep) -> list[DealPublic]:
    with UnitOfWork(engine) as uow:
        snapshot = load_snapshot(uow.connection, date.max)
    return [row.as_dict() for row in deal_rows(snapshot)]


@router.post("/deals", status_code=201, response_model=Booked, responses=created(DEAL_LINKS))
def sign_deal(
    body: DealCreate, user: Finance, engine: EngineDep, idempotency_key: IdempotencyKey = None
) -> Response:
    deal = Deal(
        body.code,
        body.name,
        body.tranche,
        Money.of(body.rijksbijdrage),
        body.signed_on,
        body.ends_on,
        body.reservation,
        tuple(body.programme_lines),
        tuple(Pledge(p.partner, p.kind, Money.of(p.amount)) for p in body.pledges),
        body.cofinancing_exception,
    )
    return once(
        engine,
        user,
        idempotency_key,
        fingerprint("deals", body),
        201,
        lambda c: {
            **booked(
                service(engine, c).sign_deal(
                    deal, key=entry_key(user, idempotency_key), who=who(user, body)
                )
            ),
            "code": body.code,
        },
    )


class DealAmendment(Written):
    rijksbijdrage: Amount
    effective_on: IsoDate


@router.post(
    "/deals/{code}/amendments",
    status_code=201,
    response_model=Booked,
    responses=created(BOOKED_LINKS),
)
def amend_deal(
    code: PathCode,
    body: DealAmendment,
    user: Finance,
    engine: EngineDep,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    """The convenant's Rijksbijdrage changes (never below what its beschikkingen take)."""
    return book_once(
        engine,
        user,
        idempotency_key,
        fingerprint("deal-amendments", code, body),
        body,
        lambda regio, key, by: regio.amend_deal(
            code, Money.of(body.rijksbijdrage), on=body.effective_on, key=key, who=by
        ),
    )


@router.post(
    "/deals/{code}/withdrawal",
    status_code=201,
    response_model=Booked,
    responses=created(BOOKED_LINKS),
)
def withdraw_deal(
    code: PathCode,
    body: Dated,
    user: Finance,
    engine: EngineDep,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    """The convenant is withdrawn before anything was granted; its money goes back."""
    return book_once(
        engine,
        user,
        idempotency_key,
        fingerprint("deal-withdrawal", code, body),
        body,
        lambda regio, key, by: regio.withdraw_deal(code, on=body.effective_on, key=key, who=by),
    )


class DealExtended(BaseModel):
    deal: str
    ends_on: str


@router.post(
    "/deals/{code}/extensions", status_code=201, response_model=DealExtended, responses=created()
)
def extend_deal(
    code: PathCode,
    body: ExtensionCreate,
    user: Finance,
    engine: EngineDep,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    """The convenant's looptijd is extended (then its beschikkingen may be extended up to it)."""
    return once(
        engine,
        user,
        idempotency_key,
        fingerprint("deal-extensions", code, body),
        201,
        lambda c: {
            "deal": code,
            "ends_on": service(engine, c)
            .extend_deal(
                code,
                body.new_end,
                on=body.effective_on,
                key=entry_key(user, idempotency_key),
                who=who(user, body),
            )
            .isoformat(),
        },
    )
