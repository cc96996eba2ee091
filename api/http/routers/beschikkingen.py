"""Beschikkingen: the list, the grant, wijzigingsbeschikkingen, extensions of the spending period, the DU→SPUK conversion and vaststelling."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from fastapi import APIRouter, Response
from pydantic import BaseModel, Field
from sqlalchemy import Connection

from api.http.access import visible_beschikking
from api.http.deps import Anyone, EngineDep, Finance
from api.http.fields import (
    Amount,
    AmountOrZero,
    Code,
    IdempotencyKey,
    IsoDate,
    Nummer,
    Rate,
    Text,
)
from api.http.idempotency import entry_key, fingerprint, once
from api.http.links import (
    BOOKED_LINKS,
    GRANT_LINKS,
    created,
)
from api.http.public import Public
from api.http.users import Role
from api.http.writes import Booked, ExtensionCreate, Written, booked, service, who
from ledger.db.unit_of_work import UnitOfWork
from ledger.money import Money
from ledger.regio.db.service import RegioService
from ledger.regio.db.snapshot import load_snapshot, spending_ends
from ledger.regio.model import (
    Beschikking,
    Instrument,
)
from reports.listings import beschikking_rows

router = APIRouter(prefix="/api/v1", tags=["beschikkingen"])


class BeschikkingPublic(Public):
    """A beschikking as it stands: its grant after wijzigingsbeschikkingen and conversion, what
    was paid and spent from Rijk money, in the grant's currency (amounts as strings)."""

    nummer: str
    deal: str
    instrument: str
    recipient: str
    amount: str
    decided_amount: str
    currency: str
    eur_commitment: str
    usd_per_eur: str | None
    spending_starts_on: str
    spending_ends_on: str
    paid: str
    spent_rijk: str
    converted_from: str | None
    converted_to: str | None


@router.get("/beschikkingen")
def list_beschikkingen(user: Anyone, engine: EngineDep) -> list[BeschikkingPublic]:
    """All beschikkingen; a region sees only its own organisation's."""
    with UnitOfWork(engine) as uow:
        snapshot, ends = load_snapshot(uow.connection, date.max), spending_ends(uow.connection)
    rows = beschikking_rows(snapshot, ends)
    if user.role == Role.REGION:
        rows = [r for r in rows if r.beschikking.recipient == user.organisation]
    return [BeschikkingPublic(**r.as_dict()) for r in rows]


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


class BeschikkingAmendment(Written):
    amount: Amount
    eur_amount: Amount | None = Field(
        default=None, description="For a BU in US dollars: the euros it then commits."
    )
    effective_on: IsoDate


@router.post(
    "/beschikkingen/{nummer}/amendments",
    status_code=201,
    response_model=Booked,
    responses=created(BOOKED_LINKS),
)
def amend_beschikking(
    nummer: Nummer,
    body: BeschikkingAmendment,
    user: Finance,
    engine: EngineDep,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    """A wijzigingsbeschikking: the grant becomes ``amount`` (never below what was paid or spent)."""

    def run(connection: Connection) -> dict[str, Any]:
        state = visible_beschikking(engine, user, nummer)
        currency = state.beschikking.amount.currency
        return booked(
            service(engine, connection).amend_beschikking(
                nummer,
                Money.of(body.amount, currency),
                on=body.effective_on,
                key=entry_key(user, idempotency_key),
                who=who(user, body),
                eur_amount=Money.of(body.eur_amount) if body.eur_amount else None,
            )
        )

    return once(
        engine, user, idempotency_key, fingerprint("beschikking-amendments", nummer, body), 201, run
    )


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


class ConversionCreate(Written):
    spuk: Code = Field(description="The nummer of the new SPUK")
    effective_on: IsoDate
    decided_on: IsoDate
    spending_starts_on: IsoDate
    spending_ends_on: IsoDate


@router.post(
    "/beschikkingen/{nummer}/conversion",
    status_code=201,
    response_model=Booked,
    responses=created(GRANT_LINKS),
)
def convert(
    nummer: Nummer,
    body: ConversionCreate,
    user: Finance,
    engine: EngineDep,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    """A DU's unpaid remainder becomes a new SPUK in the same deal, linked both ways
    (``converted_from`` / ``converted_to``) and never counted twice."""

    def run(connection: Connection) -> dict[str, Any]:
        service = RegioService(engine, connection=connection)
        state = visible_beschikking(engine, user, nummer)
        remaining = service.unpaid_of(connection, nummer)
        spuk = Beschikking(
            body.spuk,
            state.beschikking.deal,
            Instrument.SPUK,
            state.beschikking.recipient,
            remaining,
            body.decided_on,
            body.spending_starts_on,
            body.spending_ends_on,
            converted_from=nummer,
        )
        posted = service.convert_du_to_spuk(
            nummer,
            spuk,
            on=body.effective_on,
            key=entry_key(user, idempotency_key),
            who=who(user, body),
        )
        return {**booked(posted), "nummer": body.spuk}

    return once(engine, user, idempotency_key, fingerprint("conversion", nummer, body), 201, run)


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
