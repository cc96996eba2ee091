"""The budget: envelopes and tranches, allocations, shifts, reservations, money added from outside, and the regeling a tranche follows."""

from __future__ import annotations

from fastapi import APIRouter, Response
from sqlalchemy import Connection

from api.http.deps import EngineDep, Finance
from api.http.fields import (
    Amount,
    Body,
    Code,
    IdempotencyKey,
    IsoDate,
    Name,
    PathCode,
    Text,
)
from api.http.idempotency import entry_key, fingerprint, once
from api.http.links import (
    BOOKED_LINKS,
    created,
)
from api.http.public import Public
from api.http.writes import Booked, Movement, Recorded, Written, book_once, booked, service, who
from ledger.money import Money
from ledger.regio.db.service import RegioService
from ledger.regio.model import (
    Envelope,
    Reservation,
    Tranche,
    Who,
)

router = APIRouter(prefix="/api/v1", tags=["budget"])


class TrancheRegelingPublic(Public):
    tranche: str
    regeling: str


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
    return book_once(
        engine,
        user,
        idempotency_key,
        fingerprint("allocations", code, body),
        body,
        lambda regio, key, by: regio.allocate(
            code, Money.of(body.amount), on=body.effective_on, key=key, who=by
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
    return book_once(
        engine,
        user,
        idempotency_key,
        fingerprint("shifts", code, body),
        body,
        lambda regio, key, by: regio.shift(
            code, body.to_tranche, Money.of(body.amount), on=body.effective_on, key=key, who=by
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
    return book_once(
        engine,
        user,
        idempotency_key,
        fingerprint("reservations", code, body),
        body,
        lambda regio, key, by: regio.reserve(
            reservation, Money.of(body.amount), on=body.effective_on, key=key, who=by
        ),
    )


@router.post(
    "/tranches/{code}/additions",
    status_code=201,
    response_model=Booked,
    responses=created(BOOKED_LINKS),
)
def add_from_outside(
    code: PathCode,
    body: Movement,
    user: Finance,
    engine: EngineDep,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    """Money added to a tranche from outside its envelope (with the source that says so)."""
    return once(
        engine,
        user,
        idempotency_key,
        fingerprint("additions", code, body),
        201,
        lambda c: booked(
            RegioService(engine, connection=c).add_from_outside(
                code,
                Money.of(body.amount),
                on=body.effective_on,
                key=entry_key(user, idempotency_key),
                who=who(user, body),
            )
        ),
    )


class TrancheRegeling(Body):
    regeling: Code
    reason: Text


@router.put(
    "/tranches/{code}/regeling",
    status_code=201,
    response_model=TrancheRegelingPublic,
    responses=created(),
)
def assign_regeling(
    code: PathCode,
    body: TrancheRegeling,
    user: Finance,
    engine: EngineDep,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    """Which regeling a tranche's beschikkingen follow (set once)."""
    return once(
        engine,
        user,
        idempotency_key,
        fingerprint("tranche-regeling", code, body),
        201,
        lambda c: RegioService(engine, connection=c).assign_regeling(
            code, body.regeling, who=Who(user.name, body.reason)
        ),
    )
