"""Corrections and changes through the domain over HTTP (``ledger.regio.db.corrections``): a
convenant amended, withdrawn or extended; a wijzigingsbeschikking; a payment corrected; an
officer's spending and its correction; a statement withdrawn; the SiSa correction procedure for
a final year; a toelichting; money added from outside; a DU converted into a SPUK; regelingen;
and the rules per instrument and tranche. Every POST goes through the one idempotency mechanism."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Response
from pydantic import BaseModel, Field
from sqlalchemy import Connection

from api.http.access import visible_beschikking
from api.http.deps import Anyone, EngineDep, Finance
from api.http.fields import (
    POSITIVE_AMOUNT,
    Amount,
    Body,
    Code,
    IdempotencyKey,
    IsoDate,
    Name,
    Nummer,
    PathCode,
    Text,
    Year,
)
from api.http.finance_routes import Booked, ExtensionCreate, Written, booked, who
from api.http.idempotency import entry_key, fingerprint, once
from api.http.links import BOOKED_LINKS, GRANT_LINKS, created
from api.http.problems import Refusal
from api.http.region_routes import StatementId
from api.http.users import Role
from ledger.money import Money
from ledger.regio import rules
from ledger.regio.db.service import RegioService
from ledger.regio.model import Beschikking, FundingSource, Instrument, Who
from sisa.service import add_toelichting

router = APIRouter(prefix="/api/v1")
#: A change, above or below zero: ASCII digits, at most 2 decimals.
SignedAmount = Annotated[
    str,
    Field(
        pattern="^-?" + POSITIVE_AMOUNT.removeprefix("^"),
        description="A change above or below zero: -1234.50 or 1234.50",
    ),
]
EntryInPath = Annotated[int, Path(ge=1, le=2**63 - 1, description="The payment's journal entry")]


def corrections(engine: Any, connection: Connection) -> RegioService:
    return RegioService(engine, connection=connection)


def _book(name: str, *parts: object):  # noqa: ANN202 - the once() call of a booking route
    def route(engine: Any, user: Any, key: str | None, status: int, run: Any) -> Response:
        return once(engine, user, key, fingerprint(name, *parts), status, run)

    return route


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
    return _book("deal-amendments", code, body)(
        engine,
        user,
        idempotency_key,
        201,
        lambda c: booked(
            corrections(engine, c).amend_deal(
                code,
                Money.of(body.rijksbijdrage),
                on=body.effective_on,
                key=entry_key(user, idempotency_key),
                who=who(user, body),
            )
        ),
    )


class Dated(Written):
    effective_on: IsoDate


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
    return _book("deal-withdrawal", code, body)(
        engine,
        user,
        idempotency_key,
        201,
        lambda c: booked(
            corrections(engine, c).withdraw_deal(
                code,
                on=body.effective_on,
                key=entry_key(user, idempotency_key),
                who=who(user, body),
            )
        ),
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
    return _book("deal-extensions", code, body)(
        engine,
        user,
        idempotency_key,
        201,
        lambda c: {
            "deal": code,
            "ends_on": corrections(engine, c)
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
            corrections(engine, connection).amend_beschikking(
                nummer,
                Money.of(body.amount, currency),
                on=body.effective_on,
                key=entry_key(user, idempotency_key),
                who=who(user, body),
                eur_amount=Money.of(body.eur_amount) if body.eur_amount else None,
            )
        )

    return _book("beschikking-amendments", nummer, body)(engine, user, idempotency_key, 201, run)


@router.post(
    "/beschikkingen/{nummer}/payments/{entry}/correction",
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
    return _book("payment-correction", nummer, entry, body)(
        engine,
        user,
        idempotency_key,
        201,
        lambda c: booked(
            corrections(engine, c).correct_payment(
                nummer,
                entry,
                on=body.effective_on,
                key=entry_key(user, idempotency_key),
                who=who(user, body),
            )
        ),
    )


class SpendingCreate(Written):
    year: int = Field(ge=2000, le=2100)
    source: FundingSource
    amount: SignedAmount
    effective_on: IsoDate
    partner: Code | None = None
    programme_line: Code | None = None


@router.post(
    "/beschikkingen/{nummer}/spending",
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

    return _book("spending", nummer, body)(engine, user, idempotency_key, 201, run)


@router.post(
    "/beschikkingen/{nummer}/sisa-corrections",
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
            corrections(engine, connection).correct_final_year(
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

    return _book("sisa-corrections", nummer, body)(engine, user, idempotency_key, 201, run)


class Reason(Body):
    reason: Text


class Withdrawn(BaseModel):
    beschikking: str
    statement: str
    entries: list[int]


@router.post(
    "/beschikkingen/{nummer}/statements/{statement_id}/withdrawal",
    status_code=201,
    response_model=Withdrawn,
    responses=created(),
)
def withdraw_statement(
    nummer: Nummer,
    statement_id: StatementId,
    body: Reason,
    user: Anyone,
    engine: EngineDep,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    """A statement withdrawn (by its region or finance): its bookings are reversed and its
    lines stop counting; the same file may be handed in again."""
    if user.role == Role.AUDITOR:
        raise Refusal(403, "forbidden", "Auditors read; they do not write.")
    visible_beschikking(engine, user, nummer)

    def run(connection: Connection) -> dict[str, Any]:
        posted = corrections(engine, connection).withdraw_statement(
            nummer,
            statement_id,
            key=entry_key(user, idempotency_key),
            who=Who(user.name, body.reason),
            organisation=user.organisation if user.role == Role.REGION else None,
        )
        return {
            "beschikking": nummer,
            "statement": statement_id,
            "entries": [p.sequence for p in posted],
        }

    return _book("statement-withdrawal", nummer, statement_id, body)(
        engine, user, idempotency_key, 201, run
    )


class ToelichtingSet(Body):
    text: Text


@router.post("/beschikkingen/{nummer}/toelichting", status_code=201, responses=created())
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

    return _book("toelichting", nummer, year, body)(engine, user, idempotency_key, 201, run)


class Addition(Written):
    amount: Amount
    effective_on: IsoDate


@router.post(
    "/tranches/{code}/additions",
    status_code=201,
    response_model=Booked,
    responses=created(BOOKED_LINKS),
)
def add_from_outside(
    code: PathCode,
    body: Addition,
    user: Finance,
    engine: EngineDep,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    """Money added to a tranche from outside its envelope (with the source that says so)."""
    return _book("additions", code, body)(
        engine,
        user,
        idempotency_key,
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

    return _book("conversion", nummer, body)(engine, user, idempotency_key, 201, run)


class RegelingCreate(Body):
    code: Code
    name: Name
    ministry: Name
    source: Text = Field(
        description="The public document that establishes the regeling (title, date, kenmerk)"
    )


@router.post("/regelingen", status_code=201, responses=created())
def add_regeling(
    body: RegelingCreate, user: Finance, engine: EngineDep, idempotency_key: IdempotencyKey = None
) -> Response:
    """A regeling (the grant regulation a tranche's beschikkingen are decided under)."""
    return _book("regelingen", body)(
        engine,
        user,
        idempotency_key,
        201,
        lambda c: RegioService(engine, connection=c).add_regeling(
            body.code, body.name, body.ministry, body.source, who=Who(user.name, body.source)
        ),
    )


class TrancheRegeling(Body):
    regeling: Code
    reason: Text


@router.put("/tranches/{code}/regeling", status_code=201, responses=created())
def assign_regeling(
    code: PathCode,
    body: TrancheRegeling,
    user: Finance,
    engine: EngineDep,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    """Which regeling a tranche's beschikkingen follow (set once)."""
    return _book("tranche-regeling", code, body)(
        engine,
        user,
        idempotency_key,
        201,
        lambda c: RegioService(engine, connection=c).assign_regeling(
            code, body.regeling, who=Who(user.name, body.reason)
        ),
    )


@router.get("/rules")
def list_rules(user: Anyone) -> dict[str, Any]:
    """The rules per instrument and tranche, as data: who may receive what, in which currency,
    how it is accounted for; co-financing per tranche; Rijksbijdrage bounds where published."""
    return rules.rules_as_data()
