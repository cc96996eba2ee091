"""Finance officers' writes: organisations, envelopes, tranches (allocations, shifts,
reservations), deals, beschikkingen and what happens to them. Each POST accepts an
``Idempotency-Key``: the same key with the same request books once, with another is 409."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from fastapi import APIRouter, Response
from pydantic import Field

from api.http.deps import EngineDep, Finance, IdempotencyKey, Reader
from api.http.idempotency import fingerprint, once
from api.http.text import Body
from ledger.db.regio import RegioService
from ledger.db.regio_snapshot import load_snapshot
from ledger.db.unit_of_work import UnitOfWork
from ledger.money import Money
from ledger.posted import PostedEntry
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
)  # fmt: skip
from reports.listings import deal_rows

router = APIRouter(prefix="/api/v1")
AMOUNT = r"^\d{1,13}(\.\d{1,2})?$"


class Written(Body):
    reason: str = Field(min_length=1, max_length=2000)
    source_document: str | None = Field(default=None, max_length=2000)


def who(user: Any, body: Written) -> Who:
    return Who(user.name, body.reason, body.source_document)


def key_for(user: Any, header: str | None, fallback: str) -> str:
    return f"api:{user.name}:{header}" if header else f"api:{user.name}:{fallback}"


def booked(posted: PostedEntry) -> dict[str, Any]:
    return {"entry": posted.sequence, "key": posted.key, "entry_hash": posted.entry_hash}


class OrganisationCreate(Body):
    code: str = Field(min_length=1, max_length=100)
    name: str = Field(min_length=1, max_length=300)
    type: OrganisationType


@router.post("/organisations", status_code=201)
def add_organisation(
    body: OrganisationCreate,
    user: Finance,
    engine: EngineDep,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    def run() -> dict[str, str]:
        RegioService(engine).add_organisation(Organisation(body.code, body.name, body.type))
        return {"code": body.code}

    return once(engine, user, idempotency_key, fingerprint("organisations", body), 201, run)


class EnvelopeCreate(Written):
    code: str = Field(min_length=1, max_length=100)
    name: str = Field(min_length=1, max_length=300)
    amount: str = Field(pattern=AMOUNT)
    starts_on: date
    ends_on: date


@router.post("/envelopes", status_code=201)
def open_envelope(
    body: EnvelopeCreate, user: Finance, engine: EngineDep, idempotency_key: IdempotencyKey = None
) -> dict[str, Any]:
    envelope = Envelope(body.code, body.name, Money.of(body.amount), body.starts_on, body.ends_on)
    return booked(
        RegioService(engine).open_envelope(
            envelope,
            key=key_for(user, idempotency_key, f"envelope:{body.code}"),
            who=who(user, body),
        )
    )


class TrancheCreate(Body):
    code: str = Field(min_length=1, max_length=100)
    envelope: str
    name: str = Field(min_length=1, max_length=300)


@router.post("/tranches", status_code=201)
def open_tranche(
    body: TrancheCreate, user: Finance, engine: EngineDep, idempotency_key: IdempotencyKey = None
) -> Response:
    def run() -> dict[str, str]:
        RegioService(engine).open_tranche(Tranche(body.code, body.envelope, body.name))
        return {"code": body.code}

    return once(engine, user, idempotency_key, fingerprint("tranches", body), 201, run)


class Movement(Written):
    amount: str = Field(pattern=AMOUNT)
    effective_on: date


@router.post("/tranches/{code}/allocations", status_code=201)
def allocate(
    code: str,
    body: Movement,
    user: Finance,
    engine: EngineDep,
    idempotency_key: IdempotencyKey = None,
) -> dict[str, Any]:
    key = key_for(user, idempotency_key, f"allocate:{code}:{body.effective_on}:{body.amount}")
    return booked(
        RegioService(engine).allocate(
            code, Money.of(body.amount), on=body.effective_on, key=key, who=who(user, body)
        )
    )


class ShiftCreate(Movement):
    to_tranche: str


@router.post("/tranches/{code}/shifts", status_code=201)
def shift(
    code: str,
    body: ShiftCreate,
    user: Finance,
    engine: EngineDep,
    idempotency_key: IdempotencyKey = None,
) -> dict[str, Any]:
    key = key_for(
        user, idempotency_key, f"shift:{code}:{body.to_tranche}:{body.effective_on}:{body.amount}"
    )
    posted = RegioService(engine).shift(
        code,
        body.to_tranche,
        Money.of(body.amount),
        on=body.effective_on,
        key=key,
        who=who(user, body),
    )
    return booked(posted)


class ReservationCreate(Movement):
    reservation: str = Field(min_length=1, max_length=100)
    name: str = Field(min_length=1, max_length=300)


@router.post("/tranches/{code}/reservations", status_code=201)
def reserve(
    code: str,
    body: ReservationCreate,
    user: Finance,
    engine: EngineDep,
    idempotency_key: IdempotencyKey = None,
) -> dict[str, Any]:
    key = key_for(
        user, idempotency_key, f"reserve:{body.reservation}:{body.effective_on}:{body.amount}"
    )
    reservation = Reservation(body.reservation, code, body.name)
    return booked(
        RegioService(engine).reserve(
            reservation, Money.of(body.amount), on=body.effective_on, key=key, who=who(user, body)
        )
    )


class PledgeIn(Body):
    partner: str
    kind: PledgeKind
    amount: str = Field(pattern=AMOUNT)


class DealCreate(Written):
    code: str = Field(min_length=1, max_length=100)
    name: str = Field(min_length=1, max_length=300)
    tranche: str
    rijksbijdrage: str = Field(pattern=AMOUNT)
    signed_on: date
    ends_on: date
    reservation: str | None = None
    programme_lines: list[str] = Field(default_factory=list, max_length=50)
    pledges: list[PledgeIn] = Field(default_factory=list, max_length=100)
    cofinancing_exception: str | None = Field(default=None, max_length=2000)


@router.get("/deals")
def list_deals(user: Reader, engine: EngineDep) -> list[dict[str, Any]]:
    with UnitOfWork(engine) as uow:
        snapshot = load_snapshot(uow.connection, date.max)
    return [row.as_dict() for row in deal_rows(snapshot)]


@router.post("/deals", status_code=201)
def sign_deal(
    body: DealCreate, user: Finance, engine: EngineDep, idempotency_key: IdempotencyKey = None
) -> dict[str, Any]:
    deal = Deal(body.code, body.name, body.tranche, Money.of(body.rijksbijdrage), body.signed_on, body.ends_on, body.reservation,
                tuple(body.programme_lines), tuple(Pledge(p.partner, p.kind, Money.of(p.amount)) for p in body.pledges),
                body.cofinancing_exception)  # fmt: skip
    return booked(
        RegioService(engine).sign_deal(
            deal, key=key_for(user, idempotency_key, f"deal:{body.code}"), who=who(user, body)
        )
    )


class BeschikkingCreate(Written):
    nummer: str = Field(min_length=1, max_length=100)
    deal: str
    instrument: Instrument
    recipient: str
    amount: str = Field(pattern=AMOUNT)
    currency: str = Field(default="EUR", pattern="^(EUR|USD)$")
    decided_on: date
    spending_starts_on: date
    spending_ends_on: date
    eur_commitment: str | None = Field(default=None, pattern=AMOUNT)
    usd_per_eur: str | None = Field(default=None, pattern=r"^\d{1,4}(\.\d{1,8})?$")


@router.post("/beschikkingen", status_code=201)
def grant(
    body: BeschikkingCreate,
    user: Finance,
    engine: EngineDep,
    idempotency_key: IdempotencyKey = None,
) -> dict[str, Any]:
    beschikking = Beschikking(
        body.nummer, body.deal, body.instrument, body.recipient, Money.of(body.amount, body.currency), body.decided_on,
        body.spending_starts_on, body.spending_ends_on,
        Money.of(body.eur_commitment) if body.eur_commitment else None, Decimal(body.usd_per_eur) if body.usd_per_eur else None,
    )  # fmt: skip
    return booked(
        RegioService(engine).grant(
            beschikking,
            key=key_for(user, idempotency_key, f"grant:{body.nummer}"),
            who=who(user, body),
        )
    )


class ExtensionCreate(Written):
    new_end: date
    effective_on: date


@router.post("/beschikkingen/{nummer}/extensions", status_code=201)
def extend(
    nummer: str,
    body: ExtensionCreate,
    user: Finance,
    engine: EngineDep,
    idempotency_key: IdempotencyKey = None,
) -> dict[str, Any]:
    key = key_for(user, idempotency_key, f"extend:{nummer}:{body.new_end}")
    end = RegioService(engine).extend(
        nummer, body.new_end, on=body.effective_on, key=key, who=who(user, body)
    )
    return {"beschikking": nummer, "spending_ends_on": end.isoformat()}


class SettlementCreate(Written):
    effective_on: date
    ineligible: str | None = Field(default=None, pattern=AMOUNT)


@router.post("/beschikkingen/{nummer}/settlement", status_code=201)
def settle(
    nummer: str,
    body: SettlementCreate,
    user: Finance,
    engine: EngineDep,
    idempotency_key: IdempotencyKey = None,
) -> dict[str, Any]:
    key = key_for(user, idempotency_key, f"settle:{nummer}")
    ineligible = Decimal(body.ineligible) if body.ineligible else None
    return booked(
        RegioService(engine).settle(
            nummer, on=body.effective_on, key=key, who=who(user, body), ineligible=ineligible
        )
    )


@router.post("/beschikkingen/{nummer}/repayments", status_code=201)
def repay(
    nummer: str,
    body: Movement,
    user: Finance,
    engine: EngineDep,
    idempotency_key: IdempotencyKey = None,
) -> dict[str, Any]:
    key = key_for(user, idempotency_key, f"repay:{nummer}:{body.effective_on}:{body.amount}")
    return booked(
        RegioService(engine).repay(
            nummer, Decimal(body.amount), on=body.effective_on, key=key, who=who(user, body)
        )
    )
