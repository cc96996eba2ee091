"""Regelingen and the rules per instrument and tranche, as data."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Response
from pydantic import Field

from api.http.deps import Anyone, EngineDep, Finance
from api.http.fields import (
    Body,
    Code,
    IdempotencyKey,
    IsoDate,
    Name,
    Text,
)
from api.http.idempotency import fingerprint, once
from api.http.links import (
    created,
)
from api.http.public import Day, Public
from ledger.regio import rules
from ledger.regio.db.service import RegioService
from ledger.regio.model import (
    Who,
)
from ledger.regio.regelingen import Regeling

router = APIRouter(prefix="/api/v1", tags=["rules"])


class RegelingPublic(Public):
    code: str
    name: str
    ministry: str
    source: str
    instruments: list[str]
    starts_on: Day | None
    ends_on: Day | None
    sisa_code: str | None = Field(description="Null where no SiSa code is published for it")


class InstrumentRulePublic(Public):
    instrument: str
    name: str
    currency: str
    recipients: list[str]
    accountability: str
    basis: str


class CofinancingRulePublic(Public):
    tranches: list[str]
    minimum_ratio: str
    counts_private: bool
    counts_in_kind: bool
    basis: str


class BoundsPublic(Public):
    minimum: str
    maximum: str


class RulesPublic(Public):
    """The rules per instrument and tranche, as data, each with its basis."""

    instruments: list[InstrumentRulePublic]
    cofinancing: list[CofinancingRulePublic]
    rijksbijdrage_bounds: dict[str, BoundsPublic]
    rijksbijdrage_bounds_note: str
    exceptions: str


class RegelingCreate(Body):
    code: Code
    name: Name
    ministry: Name = Field(description="The ministry responsible for it now")
    source: Text = Field(
        description="Where the regeling was published (title, date, Staatscourant or Staatsblad)"
    )
    instruments: list[Literal["SPUK", "DU", "BU"]] = Field(
        default_factory=list, max_length=3, description="The instruments it covers"
    )
    starts_on: IsoDate | None = None
    ends_on: IsoDate | None = None
    sisa_code: Code | None = Field(default=None, description="Its SiSa code, where published")


@router.post(
    "/regelingen",
    operation_id="create_regeling",
    status_code=201,
    response_model=RegelingPublic,
    responses=created(),
)
def add_regeling(
    body: RegelingCreate, user: Finance, engine: EngineDep, idempotency_key: IdempotencyKey = None
) -> Response:
    """A regeling (the grant regulation a tranche's beschikkingen are decided under)."""
    return once(
        engine,
        user,
        idempotency_key,
        fingerprint("regelingen", body),
        201,
        lambda c: RegioService(engine, connection=c).add_regeling(
            Regeling(
                body.code,
                body.name,
                body.ministry,
                body.source,
                tuple(body.instruments),
                body.starts_on,
                body.ends_on,
                body.sisa_code,
            ),
            who=Who(user.name, body.source),
        ),
    )


@router.get("/rules", operation_id="list_rules")
def list_rules(user: Anyone) -> RulesPublic:
    """The rules per instrument and tranche, as data: who may receive what, in which currency,
    how it is accounted for; co-financing per tranche; Rijksbijdrage bounds where published."""
    return rules.rules_as_data()
