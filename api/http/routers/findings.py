"""The accountant's fouten en onzekerheden about a year's SiSa figures (Regeling
informatieverstrekking sisa, art. 3 and bijlage 2): recorded by an auditor or a finance
officer, kept append-only, and shown in the year's SiSa export in their own table."""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from fastapi import APIRouter, Response
from pydantic import Field
from sqlalchemy import Connection

from api.http.deps import EngineDep, Reader
from api.http.fields import Amount, Body, Code, IdempotencyKey, PathYear, Text
from api.http.idempotency import fingerprint, once
from api.http.public import Public
from ledger.db.journal import utc_now
from ledger.money import Money
from sisa.annex import AMOUNT_FIELDS
from sisa.findings import Finding, record_finding

router = APIRouter(prefix="/api/v1", tags=["sisa"])


class FindingCreate(Body):
    beschikking: Code
    indicator: str = Field(
        pattern="^(" + "|".join(AMOUNT_FIELDS) + ")$",
        description="The figure it is about, by its field (the annex gives its number)",
    )
    kind: Literal["fout", "onzekerheid"]
    amount: Amount
    currency: str = Field(default="EUR", pattern="^(EUR|USD)$")
    toelichting: Text


class FindingPublic(Public):
    id: int
    year: int
    beschikking: str
    indicator: str
    kind: str
    amount: str
    toelichting: str


@router.post(
    "/sisa/{year}/findings",
    operation_id="create_sisa_finding",
    status_code=201,
    response_model=FindingPublic,
)
def add_finding(
    year: PathYear,
    body: FindingCreate,
    user: Reader,
    engine: EngineDep,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    """A fout or onzekerheid the accountant found in a beschikking's figure of ``year`` (after
    the year ended). It changes no figure: a correction does (``sisa-corrections``)."""

    def run(connection: Connection) -> dict[str, object]:
        finding = Finding(
            year,
            body.beschikking,
            body.indicator,
            body.kind,
            Money.of(Decimal(body.amount), body.currency),
            body.toelichting,
            user.name,
            utc_now(),
        )
        return record_finding(connection, finding)

    return once(engine, user, idempotency_key, fingerprint("findings", year, body), 201, run)
