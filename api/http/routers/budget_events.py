"""Budget events that are no tranche budget, for the finance officer: envelope money set aside
for a purpose that is no deal, a transfer between budget articles for a tranche (recorded, no
envelope money moves), and a reservation's unused rest back to its tranche. Each is dated,
sourced, booked once per ``Idempotency-Key`` and refused in the domain's words."""

from __future__ import annotations

from fastapi import APIRouter, Response

from api.http.deps import EngineDep, Finance
from api.http.fields import Code, IdempotencyKey, Name, PathCode
from api.http.idempotency import fingerprint
from api.http.links import BOOKED_LINKS, created
from api.http.writes import Booked, Movement, book_once
from ledger.money import Money

router = APIRouter(prefix="/api/v1", tags=["budget"])


class SetAsideCreate(Movement):
    purpose: Code  # e.g. T1-NUCLEAIR-PETTEN, UITVOERINGSKOSTEN
    name: Name


@router.post(
    "/envelopes/{code}/set-asides",
    operation_id="create_set_aside",
    status_code=201,
    response_model=Booked,
    responses=created(BOOKED_LINKS),
)
def set_aside(
    code: PathCode,
    body: SetAsideCreate,
    user: Finance,
    engine: EngineDep,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    """Envelope money for a purpose that is no deal: it leaves the envelope's unallocated
    money, never more than is left on any date."""
    return book_once(
        engine,
        user,
        idempotency_key,
        fingerprint("set-asides", code, body),
        body,
        lambda regio, key, by: regio.set_aside(
            code,
            body.purpose,
            body.name,
            Money.of(body.amount),
            on=body.effective_on,
            key=key,
            who=by,
        ),
    )


class ArticleTransferCreate(Movement):
    name: Name  # e.g. "Voorjaarsnota 2024: aanvullende post naar BZK"


@router.post(
    "/tranches/{code}/article-transfers",
    operation_id="create_article_transfer",
    status_code=201,
    response_model=Booked,
    responses=created(BOOKED_LINKS),
)
def article_transfer(
    code: PathCode,
    body: ArticleTransferCreate,
    user: Finance,
    engine: EngineDep,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    """A transfer between budget articles for a tranche, recorded with its date and source on
    its own accounts: the tranche's budget and the envelope stay as they are."""
    return book_once(
        engine,
        user,
        idempotency_key,
        fingerprint("article-transfers", code, body),
        body,
        lambda regio, key, by: regio.record_article_transfer(
            code, body.name, Money.of(body.amount), on=body.effective_on, key=key, who=by
        ),
    )


@router.post(
    "/reservations/{code}/releases",
    operation_id="release_reservation",
    status_code=201,
    response_model=Booked,
    responses=created(BOOKED_LINKS),
)
def release_reservation(
    code: PathCode,
    body: Movement,
    user: Finance,
    engine: EngineDep,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    """What a reservation will not be used for, back to its tranche's free money; never more
    than the reservation holds on any date."""
    return book_once(
        engine,
        user,
        idempotency_key,
        fingerprint("releases", code, body),
        body,
        lambda regio, key, by: regio.release_reservation(
            code, Money.of(body.amount), on=body.effective_on, key=key, who=by
        ),
    )
