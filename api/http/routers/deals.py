"""Deals (convenanten): the list, signing, amendment, withdrawal and the extension of the looptijd."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from pydantic import Field

from api.http.cache import whole_books
from api.http.deps import Anyone, EngineDep, Finance
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
    ProgrammeLine,
    Text,
)
from api.http.idempotency import entry_key, fingerprint, once
from api.http.links import (
    BOOKED_LINKS,
    DEAL_LINKS,
    created,
)
from api.http.problems import Refusal
from api.http.public import Day, Public
from api.http.reading import AfterKey, AsOf, Limit, Page, paged
from api.http.users import Role, User
from api.http.writes import (
    Booked,
    Dated,
    DealBooked,
    ExtensionCreate,
    Written,
    book_once,
    booked,
    service,
    who,
)
from ledger.clock import today
from ledger.db.unit_of_work import UnitOfWork
from ledger.money import Money
from ledger.regio.db.scoped import Scope, load_scoped_snapshot
from ledger.regio.model import (
    Deal,
    Pledge,
    PledgeKind,
)
from ledger.regio.snapshot import Snapshot
from reports.listings import deal_rows
from reports.resources import deal_document

router = APIRouter(prefix="/api/v1", tags=["deals"])


class DealPublic(Public):
    """A deal with its Rijksbijdrage and what was granted, paid and spent of it, in euros."""

    code: str
    name: str
    tranche: str
    reservation: str | None
    rijksbijdrage: str
    signed_on: Day
    ends_on: Day
    granted: str
    paid: str
    spent_rijk: str
    status: str = Field(description="running, ended (past its looptijd) or withdrawn")


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


@router.post(
    "/deals",
    operation_id="create_deal",
    status_code=201,
    response_model=DealBooked,
    responses=created(DEAL_LINKS),
)
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
    operation_id="amend_deal",
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
    operation_id="withdraw_deal",
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


class DealExtended(Public):
    deal: str
    ends_on: Day


@router.post(
    "/deals/{code}/extensions",
    operation_id="extend_deal",
    status_code=201,
    response_model=DealExtended,
    responses=created(),
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


# --- reads -------------------------------------------------------------------------------------


class PledgePublic(Public):
    partner: str
    kind: str
    amount: str


class DealDetailPublic(DealPublic):
    """A deal with its programme lines, the partners' pledges and the beschikkingen that pay it."""

    withdrawn_on: Day | None
    programme_lines: list[str]
    pledges: list[PledgePublic]
    cofinancing_exception: str | None
    beschikkingen: list[str]


DealStatus = Annotated[str | None, Query(pattern="^(running|ended|withdrawn)$")]


def deal_documents(snapshot: Snapshot, user: User) -> list[dict[str, Any]]:
    """Every deal of the snapshot as a document; a region: the deals it receives money for."""
    on = min(snapshot.as_of, today())
    paid_by: dict[str, list[str]] = {}
    mine: set[str] = set()
    for b in snapshot.beschikkingen:
        paid_by.setdefault(b.deal, []).append(b.nummer)
        if b.recipient == user.organisation:
            mine.add(b.deal)
    return [
        deal_document(row, sorted(paid_by.get(row.deal.code, [])), on)
        for row in deal_rows(snapshot)
        if user.role != Role.REGION or row.deal.code in mine
    ]


@router.get("/deals", operation_id="list_deals")
def list_deals(
    request: Request,
    response: Response,
    user: Anyone,
    engine: EngineDep,
    at: AsOf,
    tranche: OptionalCode = None,
    status: DealStatus = None,
    signed_from: OptionalDate = None,
    signed_to: OptionalDate = None,
    after: AfterKey = None,
    limit: Limit = 100,
) -> Page[DealPublic]:
    """Deals by code, as of ``as_of`` and as recorded by ``recorded_as_of``, filtered by
    tranche, status and signing date; a region sees the deals it receives money for."""
    scope = Scope(
        tranche=tranche, receiving=user.organisation if user.role == Role.REGION else None
    )
    if scope == Scope():  # every deal, which reads the whole books: kept per state (cache)
        found = request.app.state.derived.get_or_compute(
            engine,
            ("deal documents", at.day, at.recorded_as_of, today()),
            lambda: deal_documents(whole_books(engine, at.day, at.recorded_as_of), user),
        )
    else:
        with UnitOfWork(engine) as uow:
            snapshot = load_scoped_snapshot(uow.connection, scope, at.day, at.recorded_as_of)
        found = deal_documents(snapshot, user)
    documents = [
        DealPublic(**{name: d[name] for name in DealPublic.model_fields})
        for d in found
        if tranche in (None, d["tranche"])
        and status in (None, d["status"])
        and (signed_from is None or d["signed_on"] >= signed_from.isoformat())
        and (signed_to is None or d["signed_on"] <= signed_to.isoformat())
    ]
    return paged(request, response, documents, lambda d: d.code, after, limit)


@router.get("/deals/{code}", operation_id="get_deal")
def one_deal(code: PathCode, user: Anyone, engine: EngineDep, at: AsOf) -> DealDetailPublic:
    """One deal as it stands: figures, status, programme lines, pledges and beschikkingen (a
    region: a deal it receives money for; another is 404)."""
    with UnitOfWork(engine) as uow:
        snapshot = load_scoped_snapshot(uow.connection, Scope(deal=code), at.day, at.recorded_as_of)
    for document in deal_documents(snapshot, user):
        if document["code"] == code:
            return DealDetailPublic(**document)
    raise Refusal(404, "deal_not_found", f"No deal {code} as of that moment.")
