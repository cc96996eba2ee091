"""Beschikkingen: the list, the grant, wijzigingsbeschikkingen, extensions of the spending period, the DU→SPUK conversion and vaststelling."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from pydantic import Field
from sqlalchemy import Connection, Engine

from api.http.access import visible_beschikking
from api.http.cache import whole_books
from api.http.deps import Anyone, EngineDep, Finance
from api.http.fields import (
    Amount,
    AmountOrZero,
    Code,
    IdempotencyKey,
    IsoDate,
    Nummer,
    OptionalCode,
    OptionalDate,
    Rate,
    Text,
    one_of,
)
from api.http.history import HappeningPublic, StatementRecordPublic, happening, statement_record
from api.http.idempotency import entry_key, fingerprint, once
from api.http.links import (
    BOOKED_LINKS,
    GRANT_LINKS,
    created,
)
from api.http.problems import Refusal
from api.http.public import Day, Public
from api.http.reading import AfterKey, AsOf, Limit, Moment, Page, paged
from api.http.users import Role
from api.http.writes import Booked, ExtensionCreate, GrantBooked, Written, booked, service, who
from ledger.clock import today
from ledger.db.unit_of_work import UnitOfWork
from ledger.money import Money
from ledger.regio import chart, rules
from ledger.regio.db.history import History, beschikking_history, closing_events
from ledger.regio.db.scoped import Scope, load_scoped_snapshot
from ledger.regio.db.snapshot import spending_ends
from ledger.regio.model import (
    Beschikking,
    BeschikkingStatus,
    Instrument,
    SpukTerms,
)
from ledger.regio.snapshot import Snapshot
from reports.listings import beschikking_rows
from reports.resources import beschikking_summary, tranche_of_deal

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
    spending_starts_on: Day
    spending_ends_on: Day
    paid: str
    spent_rijk: str
    converted_from: str | None
    converted_to: str | None
    tranche: str
    decided_on: Day
    status: str = Field(description="open, final (eindverantwoording made), settled or converted")


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
    regeling: Code | None = Field(
        default=None, description="The regeling it is decided under (default: its tranche's)"
    )


@router.post(
    "/beschikkingen",
    operation_id="create_beschikking",
    status_code=201,
    response_model=GrantBooked,
    responses=created(GRANT_LINKS),
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
        regeling=body.regeling,
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
    operation_id="amend_beschikking",
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


class Extended(Public):
    beschikking: str
    spending_ends_on: date


@router.post(
    "/beschikkingen/{nummer}/extensions",
    operation_id="extend_beschikking",
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
    regeling: Code | None = Field(
        default=None,
        description="The regeling the SPUK is decided under (default: its tranche's, where "
        "the tranche has one)",
    )


@router.post(
    "/beschikkingen/{nummer}/conversion",
    operation_id="convert_beschikking",
    status_code=201,
    response_model=GrantBooked,
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

    terms = SpukTerms(
        body.spuk,
        body.decided_on,
        body.spending_starts_on,
        body.spending_ends_on,
        regeling=body.regeling,
    )

    def run(connection: Connection) -> dict[str, Any]:
        visible_beschikking(engine, user, nummer)
        posted = service(engine, connection).convert_remainder(
            nummer,
            terms,
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
    cofinancing_exception: Text | None = Field(
        default=None,
        description="Why the Rijk settles more than the realised co-financing carries under "
        "the tranche's rule (without it such a vaststelling is refused)",
    )


@router.post(
    "/beschikkingen/{nummer}/settlement",
    operation_id="settle_beschikking",
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
                cofinancing_exception=body.cofinancing_exception,
            )
        ),
    )


# --- reads -------------------------------------------------------------------------------------


class TerugvorderingPublic(Public):
    """What the vaststelling asks back and what came back, in the grant's currency."""

    recoverable: str
    recovered: str


class BeschikkingDetailPublic(BeschikkingPublic):
    """A beschikking with everything that happened to it, as of the moment asked."""

    payments: list[HappeningPublic]
    repayments: list[HappeningPublic]
    extensions: list[HappeningPublic]
    corrections: list[HappeningPublic]
    settlement: HappeningPublic | None
    final_year: int | None = Field(description="The year of the eindverantwoording, if made")
    toelichting_years: list[int]
    terugvordering: TerugvorderingPublic
    statements: list[StatementRecordPublic]
    events: list[HappeningPublic]


StatusAsked = Annotated[str | None, Query(pattern=one_of(BeschikkingStatus))]


@router.get("/beschikkingen", operation_id="list_beschikkingen")
def list_beschikkingen(
    request: Request,
    response: Response,
    user: Anyone,
    engine: EngineDep,
    at: AsOf,
    tranche: OptionalCode = None,
    deal: OptionalCode = None,
    recipient: OptionalCode = None,
    instrument: Annotated[Instrument | None, Query()] = None,
    status: StatusAsked = None,
    decided_from: OptionalDate = None,
    decided_to: OptionalDate = None,
    after: AfterKey = None,
    limit: Limit = 100,
) -> Page[BeschikkingPublic]:
    """Beschikkingen by nummer, as of ``as_of`` and as recorded by ``recorded_as_of``, filtered
    by tranche, deal, recipient, instrument, status and date of decision; a region sees only
    its own organisation's."""
    if user.role == Role.REGION:
        recipient = user.organisation if recipient in (None, user.organisation) else "-"
    scope = Scope(deal=deal, recipient=recipient, tranche=tranche)
    documents = [
        d
        for d in (
            _every_document(request, engine, at)
            if scope == Scope()
            else _documents(engine, at, scope)[1]
        )
        if all(
            wanted is None or d[name] == wanted
            for name, wanted in (
                ("tranche", tranche),
                ("deal", deal),
                ("recipient", recipient),
                ("instrument", instrument.value if instrument else None),
                ("status", status),
            )
        )
        and (decided_from is None or d["decided_on"] >= decided_from.isoformat())
        and (decided_to is None or d["decided_on"] <= decided_to.isoformat())
    ]
    return paged(request, response, documents, lambda d: d["nummer"], after, limit)


def _every_document(request: Request, engine: Engine, at: Moment) -> list[dict[str, Any]]:
    """Every beschikking's document, which reads the whole books: kept per state of the ledger
    (``api.http.cache``), as of the day asked and today, shared read-only between requests."""
    key = ("beschikking documents", at.day, at.recorded_as_of, today())
    return request.app.state.derived.get_or_compute(  # type: ignore[no-any-return]
        engine, key, lambda: _documents(engine, at)[1]
    )


def _documents(
    engine: Engine, at: Moment, scope: Scope | None = None
) -> tuple[Snapshot, list[dict[str, Any]]]:
    """The snapshot at the moment and the documents of its beschikkingen; with a ``scope``, only
    that part of the books (``load_scoped_snapshot``)."""
    nummer = scope.nummer if scope else None
    with UnitOfWork(engine) as uow:
        c = uow.connection
        known = at.known(c)
        snapshot = (
            whole_books(engine, at.day, at.recorded_as_of)
            if scope is None
            else load_scoped_snapshot(c, scope, at.day, at.recorded_as_of)
        )
        # A scoped read asks for its own beschikkingen' events only, however large the ledger.
        shown = None if scope is None else [b.nummer for b in snapshot.beschikkingen]
        ends = spending_ends(c, at.day, known, shown)
        closed = closing_events(c, at.day, known, shown)
    tranches = tranche_of_deal(snapshot)
    return snapshot, [
        {
            **beschikking_summary(row, tranches[row.beschikking.deal]),
            "status": rules.beschikking_status(
                closed.get(row.beschikking.nummer, ()), row.converted_to is not None
            ),
        }
        for row in beschikking_rows(snapshot, ends)
        if nummer in (None, row.beschikking.nummer)
    ]


@router.get("/beschikkingen/{nummer}", operation_id="get_beschikking")
def one_beschikking(
    nummer: Nummer, user: Anyone, engine: EngineDep, at: AsOf
) -> BeschikkingDetailPublic:
    """One beschikking with its payments, repayments, extensions, corrections, conversion,
    statements, eindverantwoording, settlement and terugvordering (a region: its own)."""
    visible_beschikking(engine, user, nummer)
    snapshot, found = _documents(engine, at, Scope(nummer=nummer))
    if not found:
        raise Refusal(404, "beschikking_not_found", f"No beschikking {nummer} as of that moment.")
    document = found[0]
    with UnitOfWork(engine) as uow:
        history = beschikking_history(
            uow.connection, nummer, document["currency"], at.day, at.known(uow.connection)
        )
    return BeschikkingDetailPublic(**document, **_drill_down(snapshot, nummer, history))


def _drill_down(snapshot: Any, nummer: str, history: History) -> dict[str, Any]:
    currency = next(b.amount.currency for b in snapshot.beschikkingen if b.nummer == nummer)
    settlement = history.of_kind("settlement")
    finals = history.of_kind("final")
    stage = lambda name: str(  # noqa: E731 - a one-line lookup
        snapshot.balance(chart.beschikking_account(nummer, name), currency).amount
    )
    return {
        "payments": [happening(h) for h in history.of_kind("payment")],
        "repayments": [happening(h) for h in history.of_kind("repayment")],
        "extensions": [happening(h) for h in history.of_kind("extension")],
        "corrections": [happening(h) for h in history.happenings if h.id.startswith("amendment-")],
        "settlement": happening(settlement[-1]) if settlement else None,
        "final_year": finals[-1].year if finals else None,
        "toelichting_years": sorted({h.year for h in history.of_kind("toelichting") if h.year}),
        "terugvordering": {"recoverable": stage("recoverable"), "recovered": stage("recovered")},
        "statements": [statement_record(s) for s in history.statements],
        "events": [happening(h) for h in history.happenings],
    }
