"""A beschikking's accountability: an officer's spending, eindverantwoording, the toelichting, and the SiSa correction procedure of a final year."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Response
from pydantic import Field
from sqlalchemy import Connection

from api.http.access import visible_beschikking
from api.http.deps import Anyone, EngineDep, Finance
from api.http.fields import (
    Body,
    Code,
    IdempotencyKey,
    IsoDate,
    Nummer,
    PathYear,
    Text,
    Year,
)
from api.http.idempotency import entry_key, fingerprint, once
from api.http.links import (
    BOOKED_LINKS,
    created,
)
from api.http.problems import Refusal
from api.http.public import Public
from api.http.users import Role
from api.http.writes import (
    Booked,
    SignedAmount,
    Written,
    booked,
    refuse_auditors,
    service,
    who,
)
from ledger.money import Money
from ledger.regio.db.service import RegioService
from ledger.regio.model import (
    FundingSource,
    Who,
)
from sisa.service import (
    add_toelichting,
)

router = APIRouter(prefix="/api/v1", tags=["accountability"])


class ToelichtingPublic(Public):
    beschikking: str
    year: int
    toelichting: str


class SpendingCreate(Written):
    year: int = Field(ge=2000, le=2100)
    source: FundingSource
    amount: SignedAmount
    effective_on: IsoDate
    partner: Code | None = None
    programme_line: Code | None = None


@router.post(
    "/beschikkingen/{nummer}/spending",
    operation_id="record_spending",
    status_code=201,
    response_model=Booked,
    responses=created(BOOKED_LINKS),
)
def record_spending(
    nummer: Nummer,
    body: SpendingCreate,
    user: Finance,
    engine: EngineDep,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    """An officer's spending booking; a negative amount corrects earlier spending of that year
    (before eindverantwoording; after it, use the SiSa correction procedure)."""

    def run(connection: Connection) -> dict[str, Any]:
        currency = visible_beschikking(engine, user, nummer).beschikking.amount.currency
        return booked(
            RegioService(engine, connection=connection).record_spending(
                nummer,
                body.year,
                body.source,
                Money.of(body.amount, currency),
                on=body.effective_on,
                key=entry_key(user, idempotency_key),
                who=who(user, body),
                partner=body.partner,
                programme_line=body.programme_line,
            )
        )

    return once(engine, user, idempotency_key, fingerprint("spending", nummer, body), 201, run)


class FinalCreate(Body):
    toelichting: Text | None = None


class FinalRecorded(Public):
    beschikking: str
    final_year: int


@router.post(
    "/beschikkingen/{nummer}/final",
    operation_id="create_eindverantwoording",
    status_code=201,
    response_model=FinalRecorded,
    responses=created(),
)
def final(
    nummer: Nummer,
    year: Year,
    body: FinalCreate,
    user: Anyone,
    engine: EngineDep,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    """Eindverantwoording: ``year`` is the last SiSa report of the beschikking."""
    refuse_auditors(user)
    visible_beschikking(engine, user, nummer)

    def run(connection: Connection) -> dict[str, Any]:
        RegioService(engine, connection=connection).mark_final(
            nummer,
            year,
            key=entry_key(user, idempotency_key),
            who=Who(user.name, f"Eindverantwoording {year}"),
            organisation=user.organisation if user.role == Role.REGION else None,
            toelichting=body.toelichting,
        )
        return {"beschikking": nummer, "final_year": year}

    return once(engine, user, idempotency_key, fingerprint("final", nummer, year, body), 201, run)


class ToelichtingSet(Body):
    text: Text


@router.post(
    "/beschikkingen/{nummer}/toelichting",
    operation_id="set_toelichting",
    status_code=201,
    response_model=ToelichtingPublic,
    responses=created(),
)
def set_toelichting(
    nummer: Nummer,
    year: Year,
    body: ToelichtingSet,
    user: Anyone,
    engine: EngineDep,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    """The toelichting of a beschikking's SiSa row of ``year``; it may change until submission."""
    if user.role == Role.AUDITOR:
        raise Refusal(403, "forbidden", "Auditors read; they do not write.")
    visible_beschikking(engine, user, nummer)

    def run(connection: Connection) -> dict[str, Any]:
        add_toelichting(
            engine,
            nummer,
            year,
            body.text,
            connection=connection,
            key=entry_key(user, idempotency_key),
            who=Who(user.name, body.text),
            organisation=user.organisation if user.role == Role.REGION else None,
        )
        return {"beschikking": nummer, "year": year, "toelichting": body.text}

    return once(
        engine, user, idempotency_key, fingerprint("toelichting", nummer, year, body), 201, run
    )


@router.post(
    "/beschikkingen/{nummer}/sisa-corrections",
    operation_id="create_sisa_correction",
    status_code=201,
    response_model=Booked,
    responses=created(BOOKED_LINKS),
)
def correct_final_year(
    nummer: Nummer,
    body: SpendingCreate,
    user: Finance,
    engine: EngineDep,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    """The SiSa correction procedure: spending of a final year changes by ``amount``, with its
    reason; the next submission lists it as was / wordt / reden."""

    def run(connection: Connection) -> dict[str, Any]:
        currency = visible_beschikking(engine, user, nummer).beschikking.amount.currency
        return booked(
            service(engine, connection).correct_final_year(
                nummer,
                body.year,
                body.source,
                Money.of(body.amount, currency),
                on=body.effective_on,
                key=entry_key(user, idempotency_key),
                who=who(user, body),
                partner=body.partner,
            )
        )

    return once(
        engine, user, idempotency_key, fingerprint("sisa-corrections", nummer, body), 201, run
    )


class CorrectionDeadlinePublic(Public):
    year: int
    until: str
    source: str


class CorrectionDeadlineCreate(Body):
    until: IsoDate = Field(description="The last day a correction of the year is made on it")
    source: Text = Field(
        description="Where the deadline is set: the year's Procedure aanlevering "
        "SiSa-verantwoordingsinformatie (title, date, Staatscourant), chapter 3.2"
    )


@router.put(
    "/sisa/{year}/correction-deadline",
    operation_id="set_sisa_correction_deadline",
    status_code=201,
    response_model=CorrectionDeadlinePublic,
)
def set_correction_deadline(
    year: PathYear,
    body: CorrectionDeadlineCreate,
    user: Finance,
    engine: EngineDep,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    """The deadline for corrections of a SiSa year: until it a correction after submission is
    made on the year itself (``sisa-corrections``); after it, in a later year's figures. Set
    once; the same again is a retry."""
    return once(
        engine,
        user,
        idempotency_key,
        fingerprint("correction-deadline", year, body),
        201,
        lambda c: RegioService(engine, connection=c).set_correction_deadline(
            year, body.until, who=Who(user.name, body.source, body.source)
        ),
    )
