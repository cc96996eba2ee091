"""Who is who, as data, for the finance officer: an identity at an identity provider (its
subject, or a group it carries) mapped to a role and organisation, or its mapping revoked; each
with who and why, once per ``Idempotency-Key``. Finance officers and auditors read them all."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Response
from pydantic import Field
from sqlalchemy import Connection

from api.http.deps import EngineDep, Finance, Reader
from api.http.fields import Body, Claim, Code, IdempotencyKey, Text
from api.http.idempotency import fingerprint, once
from api.http.identities import Mapping, mappings, record_mapping
from api.http.links import created
from api.http.public import Public
from ledger.db.journal import utc_now
from ledger.db.rows import aware
from ledger.db.unit_of_work import UnitOfWork

router = APIRouter(prefix="/api/v1", tags=["identities"])


class BySubject(Body):
    kind: Literal["subject"]
    subject: Claim


class ByGroup(Body):
    kind: Literal["group"]
    group: Claim


Identity = Annotated[BySubject | ByGroup, Field(discriminator="kind")]


class MappingCreate(Body):
    issuer: Claim
    identity: Identity
    role: Literal["finance", "auditor", "region"]
    organisation: Code | None = None
    reason: Text


class RevocationCreate(Body):
    issuer: Claim
    identity: Identity
    reason: Text


class MappingPublic(Public):
    issuer: str
    subject: str | None
    group: str | None
    role: str | None  # null: revoked
    organisation: str | None
    actor: str
    reason: str
    recorded_at: datetime


def public(m: Mapping) -> dict[str, object]:
    return {
        "issuer": m.issuer,
        "subject": m.subject,
        "group": m.group,
        "role": m.role.value if m.role else None,
        "organisation": m.organisation,
        "actor": m.actor,
        "reason": m.reason,
        "recorded_at": aware(m.recorded_at).isoformat(),
    }


def _who(identity: BySubject | ByGroup) -> dict[str, str | None]:
    if isinstance(identity, BySubject):
        return {"subject": identity.subject, "group": None}
    return {"subject": None, "group": identity.group}


@router.get("/identities", operation_id="list_identities")
def list_identities(user: Reader, engine: EngineDep) -> list[MappingPublic]:
    """Every identity mapping as recorded, oldest first, revocations included."""
    with UnitOfWork(engine) as uow:
        return [MappingPublic(**public(m)) for m in mappings(uow.connection)]  # type: ignore[arg-type]


@router.post(
    "/identities",
    operation_id="map_identity",
    status_code=201,
    response_model=MappingPublic,
    responses=created(),
)
def map_identity(
    body: MappingCreate, user: Finance, engine: EngineDep, idempotency_key: IdempotencyKey = None
) -> Response:
    """An identity (its subject, or a group it carries) mapped to a role and organisation; the
    latest mapping of an identity holds."""

    def run(connection: Connection) -> dict[str, object]:
        made = record_mapping(
            connection,
            body.issuer,
            **_who(body.identity),
            role=body.role,
            organisation=body.organisation,
            actor=user.name,
            reason=body.reason,
            at=utc_now(),
        )
        return public(made)

    return once(engine, user, idempotency_key, fingerprint("identities", body), 201, run)


@router.post(
    "/identities/revocations",
    operation_id="revoke_identity",
    status_code=201,
    response_model=MappingPublic,
    responses=created(),
)
def revoke_identity(
    body: RevocationCreate,
    user: Finance,
    engine: EngineDep,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    """An identity's mapping revoked: its tokens are refused from now on."""

    def run(connection: Connection) -> dict[str, object]:
        made = record_mapping(
            connection,
            body.issuer,
            **_who(body.identity),
            role=None,
            organisation=None,
            actor=user.name,
            reason=body.reason,
            at=utc_now(),
        )
        return public(made)

    return once(engine, user, idempotency_key, fingerprint("identity-revocations", body), 201, run)
