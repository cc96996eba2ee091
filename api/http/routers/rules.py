"""Regelingen and the rules per instrument and tranche, as data."""

from __future__ import annotations

from fastapi import APIRouter, Response
from pydantic import Field

from api.http.deps import Anyone, EngineDep, Finance
from api.http.fields import (
    Body,
    Code,
    IdempotencyKey,
    Name,
    Text,
)
from api.http.idempotency import fingerprint, once
from api.http.links import (
    created,
)
from api.http.public import Public
from ledger.regio import rules
from ledger.regio.db.service import RegioService
from ledger.regio.model import (
    Who,
)

router = APIRouter(prefix="/api/v1", tags=["rules"])


class RegelingPublic(Public):
    code: str
    name: str
    ministry: str
    source: str


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
    ministry: Name
    source: Text = Field(
        description="The public document that establishes the regeling (title, date, kenmerk)"
    )


@router.post("/regelingen", status_code=201, response_model=RegelingPublic, responses=created())
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
            body.code, body.name, body.ministry, body.source, who=Who(user.name, body.source)
        ),
    )


@router.get("/rules")
def list_rules(user: Anyone) -> RulesPublic:
    """The rules per instrument and tranche, as data: who may receive what, in which currency,
    how it is accounted for; co-financing per tranche; Rijksbijdrage bounds where published."""
    return rules.rules_as_data()
