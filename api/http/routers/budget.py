"""The budget: envelopes and tranches (each readable, as of any moment), allocations, shifts, reservations, money added from outside, the regeling a tranche follows, and the figures public sources published."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from sqlalchemy import Connection

from api.http.deps import Anyone, EngineDep, Finance, Reader
from api.http.fields import (
    Amount,
    Body,
    Code,
    IdempotencyKey,
    IsoDate,
    Name,
    OptionalCode,
    OptionalDate,
    PathCode,
    Text,
)
from api.http.idempotency import entry_key, fingerprint, once
from api.http.links import (
    BOOKED_LINKS,
    created,
)
from api.http.problems import Refusal
from api.http.public import Day, Public
from api.http.reading import AfterKey, AfterNumber, AsOf, Limit, Page, page_of, paged, reconciled
from api.http.writes import Booked, Movement, Recorded, Written, book_once, booked, service, who
from ledger.db.unit_of_work import UnitOfWork
from ledger.money import Money
from ledger.regio.db import listings
from ledger.regio.db.service import RegioService
from ledger.regio.model import (
    Envelope,
    Reservation,
    Tranche,
    Who,
)
from reports.resources import envelope_document, tranche_document, tranches_of

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


@router.post(
    "/envelopes",
    operation_id="create_envelope",
    status_code=201,
    response_model=Booked,
    responses=created(BOOKED_LINKS),
)
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


@router.post(
    "/tranches",
    operation_id="create_tranche",
    status_code=201,
    response_model=Recorded,
    responses=created(),
)
def open_tranche(
    body: TrancheCreate, user: Finance, engine: EngineDep, idempotency_key: IdempotencyKey = None
) -> Response:
    def run(connection: Connection) -> dict[str, str]:
        service(engine, connection).open_tranche(Tranche(body.code, body.envelope, body.name))
        return {"code": body.code}

    return once(engine, user, idempotency_key, fingerprint("tranches", body), 201, run)


@router.post(
    "/tranches/{code}/allocations",
    operation_id="create_allocation",
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
    operation_id="create_tranche_shift",
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
    operation_id="create_reservation",
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
    operation_id="create_tranche_addition",
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
    operation_id="set_tranche_regeling",
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


# --- reads -------------------------------------------------------------------------------------


class ControlPublic(Public):
    """A control: a difference that must be zero, and whether it is."""

    name: str
    difference: str
    ties_out: bool


class BudgetChangePublic(Public):
    """One dated, sourced change of a budget and the entry that booked it."""

    effective_on: Day
    kind: str
    from_tranche: str | None
    to_tranche: str | None
    reservation: str | None
    amount: str
    entry: int
    memo: str
    reason: str
    source_document: str | None


class EnvelopePublic(Public):
    """An envelope: its amount, what its tranches were allocated, its budget history."""

    code: str
    name: str
    amount: str
    starts_on: Day
    ends_on: Day
    allocated: str
    unallocated: str
    tranches: list[str]
    history: list[BudgetChangePublic]
    controls: list[ControlPublic]


class ReservationPublic(Public):
    """Money of a tranche set aside (e.g. for Groningen): reserved, used by deals, free."""

    code: str
    name: str
    reserved: str
    used: str
    free: str


class TranchePublic(Public):
    """A tranche as of the moment asked: its budget and where the money stands, in euros."""

    code: str
    name: str
    envelope: str
    budget: str
    shifted_in: str
    shifted_out: str
    added: str
    reserved: str
    committed: str
    granted: str
    paid: str
    spent_rijk: str
    cofinancing_cash: str
    in_kind: str
    settled: str
    recoverable: str
    recovered: str
    lapsed: str
    available_free: str
    available_reserved: str
    available: str
    history: list[BudgetChangePublic]
    reservations: list[ReservationPublic]
    deals: list[str]
    controls: list[ControlPublic]


class PublishedFigurePublic(Public):
    """A figure as a public source published it, with the citation a reader can follow."""

    id: int
    kind: str
    key: str
    name: str
    amount: str
    published_on: Day
    dated: bool  # False: the source gives no date; ``published_on`` is when it applies
    source: str


@router.get("/envelopes", operation_id="list_envelopes")
def list_envelopes(
    request: Request,
    response: Response,
    user: Reader,
    engine: EngineDep,
    at: AsOf,
    after: AfterKey = None,
    limit: Limit = 100,
) -> Page[EnvelopePublic]:
    """Every envelope, by code, as of ``as_of`` and as recorded by ``recorded_as_of``."""
    snapshot, reconciliation = reconciled(request, engine, at)
    documents = [envelope_document(snapshot, e) for e in reconciliation.envelopes]
    return paged(request, response, documents, lambda d: d["code"], after, limit)


@router.get("/envelopes/{code}", operation_id="get_envelope")
def one_envelope(
    code: PathCode, request: Request, user: Reader, engine: EngineDep, at: AsOf
) -> EnvelopePublic:
    snapshot, reconciliation = reconciled(request, engine, at)
    for figures in reconciliation.envelopes:
        if figures.code == code:
            return EnvelopePublic(**envelope_document(snapshot, figures))
    raise Refusal(404, "envelope_not_found", f"No envelope {code} (as of the moment asked).")


@router.get("/tranches", operation_id="list_tranches")
def list_tranches(
    request: Request,
    response: Response,
    user: Reader,
    engine: EngineDep,
    at: AsOf,
    envelope: OptionalCode = None,
    after: AfterKey = None,
    limit: Limit = 100,
) -> Page[TranchePublic]:
    """Every tranche, by code: budget history with sources, shifts, reservations, deals."""
    snapshot, reconciliation = reconciled(request, engine, at)
    documents = [
        tranche_document(snapshot, t)
        for t in tranches_of(reconciliation)
        if envelope in (None, t.envelope)
    ]
    return paged(request, response, documents, lambda d: d["code"], after, limit)


@router.get("/tranches/{code}", operation_id="get_tranche")
def one_tranche(
    code: PathCode, request: Request, user: Reader, engine: EngineDep, at: AsOf
) -> TranchePublic:
    snapshot, reconciliation = reconciled(request, engine, at)
    for figures in tranches_of(reconciliation):
        if figures.code == code:
            return TranchePublic(**tranche_document(snapshot, figures))
    raise Refusal(404, "tranche_not_found", f"No tranche {code}.")


@router.get("/published-figures", operation_id="list_published_figures")
def published_figures(
    request: Request,
    response: Response,
    user: Anyone,
    engine: EngineDep,
    kind: OptionalCode = None,
    published_from: OptionalDate = None,
    published_to: OptionalDate = None,
    after: AfterNumber = None,
    limit: Limit = 100,
) -> Page[PublishedFigurePublic]:
    """The figures public sources published (tranche totals, deals, transfers), each with its
    citation, in the order they were entered; public, so every role reads them."""
    with UnitOfWork(engine) as uow:
        rows = listings.published_figures(
            uow.connection,
            kind=kind,
            published_from=published_from,
            published_to=published_to,
            after=after or 0,
            limit=limit,
        )
    figures = [
        PublishedFigurePublic(
            id=r.id,
            kind=r.kind,
            key=r.key,
            name=r.name,
            amount=str(Money.from_minor_units(r.amount).amount),
            published_on=r.published_on.isoformat(),
            dated=bool(r.dated),
            source=r.source,
        )
        for r in rows[:limit]
    ]
    return page_of(request, response, figures, lambda f: f.id, more=len(rows) > limit)
