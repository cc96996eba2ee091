"""Finance officers' writes: organisations, envelopes, tranches (allocations, shifts,
reservations), deals, beschikkingen and what happens to them. Every POST goes through the one
idempotency mechanism (``api.http.idempotency.once``): with an ``Idempotency-Key`` a retry
answers as the first time, another request under the same key is 409; without one, every POST
is a new request."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from fastapi import APIRouter, Response
from pydantic import BaseModel, Field
from sqlalchemy import Connection

from api.http.deps import EngineDep, Finance, Reader
from api.http.fields import (
    Amount,
    AmountOrZero,
    Body,
    Code,
    IdempotencyKey,
    IsoDate,
    Name,
    Nummer,
    PathCode,
    ProgrammeLine,
    Rate,
    Text,
)
from api.http.idempotency import entry_key, fingerprint, once
from api.http.links import BOOKED_LINKS, DEAL_LINKS, GRANT_LINKS, created
from api.http.users import User
from ledger.db.unit_of_work import UnitOfWork
from ledger.money import Money
from ledger.posted import PostedEntry
from ledger.regio.db.service import RegioService
from ledger.regio.db.snapshot import load_snapshot
from ledger.regio.model import (
    Beschikking,
    Deal,
    Envelope,
    Instrument,
    Organisation,
    OrganisationType,
    Pledge,
    PledgeKind,
    Reservation,
    Tranche,
    Who,
)
from reports.listings import deal_rows

router = APIRouter(prefix="/api/v1")


class Written(Body):
    reason: Text
    source_document: Text | None = None


class Booked(BaseModel):
    """What a booking POST answers: the journal entry it booked."""

    entry: int
    key: str
    entry_hash: str


class Recorded(BaseModel):
    code: str


def who(user: User, body: Written) -> Who:
    return Who(user.name, body.reason, body.source_document)


def booked(posted: PostedEntry) -> dict[str, Any]:
    return {"entry": posted.sequence, "key": posted.key, "entry_hash": posted.entry_hash}


def service(engine: Any, connection: Connection) -> RegioService:
    return RegioService(engine, connection=connection)


class OrganisationCreate(Body):
    code: Code
    name: Name
    type: OrganisationType


@router.post("/organisations", status_code=201, response_model=Recorded, responses=created())
def add_organisation(
    body: OrganisationCreate,
    user: Finance,
    engine: EngineDep,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    def run(connection: Connection) -> dict[str, str]:
        service(engine, connection).add_organisation(Organisation(body.code, body.name, body.type))
        return {"code": body.code}

    return once(engine, user, idempotency_key, fingerprint("organisations", body), 201, run)


class EnvelopeCreate(Written):
    code: Code
    name: Name
    amount: Amount
    starts_on: IsoDate
    ends_on: IsoDate


@router.post("/envelopes", status_code=201, response_model=Booked, responses=created(BOOKED_LINKS))
def open_envelope(
    body: EnvelopeCreate, user: Finance, engine: EngineDep, idempotency_key: IdempotencyKey = None
) -> Response:
    envelope = Envelope(body.code, body.name, Money.of(body.amount), body.starts_on, body.ends_on)
    return once(
        engine,
        user,
        idempotency_key,
        fingerprint("envelopes", body),
        201,
        lambda c: booked(
            service(engine, c).open_envelope(
                envelope, key=entry_key(user, idempotency_key), who=who(user, body)
            )
        ),
    )


class TrancheCreate(Body):
    code: Code
    envelope: Code
    name: Name


@router.post("/tranches", status_code=201, response_model=Recorded, responses=created())
def open_tranche(
    body: TrancheCreate, user: Finance, engine: EngineDep, idempotency_key: IdempotencyKey = None
) -> Response:
    def run(connection: Connection) -> dict[str, str]:
        service(engine, connection).open_tranche(Tranche(body.code, body.envelope, body.name))
        return {"code": body.code}

    return once(engine, user, idempotency_key, fingerprint("tranches", body), 201, run)


class Movement(Written):
    amount: Amount
    effective_on: IsoDate


@router.post(
    "/tranches/{code}/allocations",
    status_code=201,
    response_model=Booked,
    responses=created(BOOKED_LINKS),
)
def allocate(
    code: PathCode,
    body: Movement,
    user: Finance,
    engine: EngineDep,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    return once(
        engine,
        user,
        idempotency_key,
        fingerprint("allocations", code, body),
        201,
        lambda c: booked(
            service(engine, c).allocate(
                code,
                Money.of(body.amount),
                on=body.effective_on,
                key=entry_key(user, idempotency_key),
                who=who(user, body),
            )
        ),
    )


class ShiftCreate(Movement):
    to_tranche: Code


@router.post(
    "/tranches/{code}/shifts",
    status_code=201,
    response_model=Booked,
    responses=created(BOOKED_LINKS),
)
def shift(
    code: PathCode,
    body: ShiftCreate,
    user: Finance,
    engine: EngineDep,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    return once(
        engine,
        user,
        idempotency_key,
        fingerprint("shifts", code, body),
        201,
        lambda c: booked(
            service(engine, c).shift(
                code,
                body.to_tranche,
                Money.of(body.amount),
                on=body.effective_on,
                key=entry_key(user, idempotency_key),
                who=who(user, body),
            )
        ),
    )


class ReservationCreate(Movement):
    reservation: Code
    name: Name


@router.post(
    "/tranches/{code}/reservations",
    status_code=201,
    response_model=Booked,
    responses=created(BOOKED_LINKS),
)
def reserve(
    code: PathCode,
    body: ReservationCreate,
    user: Finance,
    engine: EngineDep,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    reservation = Reservation(body.reservation, code, body.name)
    return once(
        engine,
        user,
        idempotency_key,
        fingerprint("reservations", code, body),
        201,
        lambda c: booked(
            service(engine, c).reserve(
                reservation,
                Money.of(body.amount),
                on=body.effective_on,
                key=entry_key(user, idempotency_key),
                who=who(user, body),
            )
        ),
    )


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
def list_deals(user: Reader, engine: EngineDep) -> list[dict[str, Any]]:
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


class BeschikkingCreate(Written):
    nummer: Code
    deal: Code
    instrument: Instrument
    recipient: Code
    amount: Amount
    currency: str = Field(default="EUR", pattern="^(EUR|USD)$")
    decided_on: IsoDate
    spending_starts_on: IsoDate
    spending_ends_on: IsoDate
    eur_commitment: Amount | None = None
    usd_per_eur: Rate | None = None


@router.post(
    "/beschikkingen", status_code=201, response_model=Booked, responses=created(GRANT_LINKS)
)
def grant(
    body: BeschikkingCreate,
    user: Finance,
    engine: EngineDep,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    beschikking = Beschikking(
        body.nummer,
        body.deal,
        body.instrument,
        body.recipient,
        Money.of(body.amount, body.currency),
        body.decided_on,
        body.spending_starts_on,
        body.spending_ends_on,
        Money.of(body.eur_commitment) if body.eur_commitment else None,
        Decimal(body.usd_per_eur) if body.usd_per_eur else None,
    )
    return once(
        engine,
        user,
        idempotency_key,
        fingerprint("beschikkingen", body),
        201,
        lambda c: {
            **booked(
                service(engine, c).grant(
                    beschikking, key=entry_key(user, idempotency_key), who=who(user, body)
                )
            ),
            "nummer": body.nummer,
        },
    )


class ExtensionCreate(Written):
    new_end: IsoDate
    effective_on: IsoDate


class Extended(BaseModel):
    beschikking: str
    spending_ends_on: date


@router.post(
    "/beschikkingen/{nummer}/extensions",
    status_code=201,
    response_model=Extended,
    responses=created(),
)
def extend(
    nummer: Nummer,
    body: ExtensionCreate,
    user: Finance,
    engine: EngineDep,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    def run(connection: Connection) -> dict[str, Any]:
        end = service(engine, connection).extend(
            nummer,
            body.new_end,
            on=body.effective_on,
            key=entry_key(user, idempotency_key),
            who=who(user, body),
        )
        return {"beschikking": nummer, "spending_ends_on": end.isoformat()}

    return once(engine, user, idempotency_key, fingerprint("extensions", nummer, body), 201, run)


class SettlementCreate(Written):
    effective_on: IsoDate
    ineligible: AmountOrZero | None = None
    ambtshalve: Text | None = Field(
        default=None,
        description="Without an eindverantwoording: why the vaststelling is taken ambtshalve.",
    )


@router.post(
    "/beschikkingen/{nummer}/settlement",
    status_code=201,
    response_model=Booked,
    responses=created(BOOKED_LINKS),
)
def settle(
    nummer: Nummer,
    body: SettlementCreate,
    user: Finance,
    engine: EngineDep,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    ineligible = Decimal(body.ineligible) if body.ineligible else None
    return once(
        engine,
        user,
        idempotency_key,
        fingerprint("settlement", nummer, body),
        201,
        lambda c: booked(
            service(engine, c).settle(
                nummer,
                on=body.effective_on,
                key=entry_key(user, idempotency_key),
                who=who(user, body),
                ineligible=ineligible,
                ambtshalve=body.ambtshalve,
            )
        ),
    )


@router.post(
    "/beschikkingen/{nummer}/repayments",
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
    return once(
        engine,
        user,
        idempotency_key,
        fingerprint("repayments", nummer, body),
        201,
        lambda c: booked(
            service(engine, c).repay(
                nummer,
                Decimal(body.amount),
                on=body.effective_on,
                key=entry_key(user, idempotency_key),
                who=who(user, body),
            )
        ),
    )
