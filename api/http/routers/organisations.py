"""Organisations: the recipients of beschikkingen and the partners of deals."""

from __future__ import annotations

from fastapi import APIRouter, Response
from sqlalchemy import Connection

from api.http.deps import EngineDep, Finance
from api.http.fields import (
    Body,
    Code,
    IdempotencyKey,
    Name,
)
from api.http.idempotency import fingerprint, once
from api.http.links import (
    created,
)
from api.http.writes import Recorded, service
from ledger.regio.model import (
    Organisation,
    OrganisationType,
)

router = APIRouter(prefix="/api/v1", tags=["organisations"])


class OrganisationCreate(Body):
    code: Code
    name: Name
    type: OrganisationType


@router.post("/organisations", status_code=201, response_model=Recorded, responses=created())
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
