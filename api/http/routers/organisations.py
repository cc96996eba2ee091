"""Organisations: the recipients of beschikkingen and the partners of deals, added and read."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from sqlalchemy import Connection

from api.http.deps import Anyone, EngineDep, Finance
from api.http.fields import (
    Body,
    Code,
    IdempotencyKey,
    Name,
    PathCode,
)
from api.http.idempotency import fingerprint, once
from api.http.links import (
    created,
)
from api.http.problems import Refusal
from api.http.public import Public
from api.http.reading import AfterKey, Limit, Page, page_of
from api.http.users import Role
from api.http.writes import Recorded, service
from ledger.db.unit_of_work import UnitOfWork
from ledger.regio.db import listings
from ledger.regio.model import (
    Organisation,
    OrganisationType,
)

router = APIRouter(prefix="/api/v1", tags=["organisations"])


class OrganisationCreate(Body):
    code: Code
    name: Name
    type: OrganisationType


@router.post(
    "/organisations",
    operation_id="create_organisation",
    status_code=201,
    response_model=Recorded,
    responses=created(),
)
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


# --- reads -------------------------------------------------------------------------------------


class OrganisationPublic(Public):
    """An organisation: a recipient of beschikkingen, a partner of deals, or both."""

    code: str
    name: str
    type: str
    beschikkingen: list[str]
    partner_of: list[str]


def _organisations(connection: Connection, codes: list[str]) -> list[OrganisationPublic]:
    return [OrganisationPublic(**vars(r)) for r in listings.organisations(connection, codes)]


@router.get("/organisations", operation_id="list_organisations")
def list_organisations(
    request: Request,
    response: Response,
    user: Anyone,
    engine: EngineDep,
    type: Annotated[OrganisationType | None, Query()] = None,  # noqa: A002 - the API's name
    after: AfterKey = None,
    limit: Limit = 100,
) -> Page[OrganisationPublic]:
    """Organisations by code, filtered by type; a region sees only itself."""
    only = (user.organisation or "") if user.role == Role.REGION else None  # a region: itself
    with UnitOfWork(engine) as uow:
        codes = listings.organisation_codes(
            uow.connection, kind=type.value if type else None, only=only, after=after, limit=limit
        )
        found = _organisations(uow.connection, codes[:limit])
    return page_of(request, response, found, lambda f: f.code, more=len(codes) > limit)


@router.get("/organisations/{code}", operation_id="get_organisation")
def one_organisation(code: PathCode, user: Anyone, engine: EngineDep) -> OrganisationPublic:
    if user.role == Role.REGION and code != user.organisation:
        raise Refusal(404, "organisation_not_found", f"No organisation {code}.")
    with UnitOfWork(engine) as uow:
        found = _organisations(uow.connection, [code])
    if not found:
        raise Refusal(404, "organisation_not_found", f"No organisation {code}.")
    return found[0]
