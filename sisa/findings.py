"""The accountant's fouten en onzekerheden (Regeling informatieverstrekking sisa, art. 3 and
bijlage 2): per reporting year, beschikking and indicator, an error or an uncertainty found in
what was accounted for, its amount and what it is. Kept append-only with who found it, and
shown beside the year's SiSa rows in their own table. Recording one changes no figure: a figure
changes by a correction (``sisa-corrections``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Column,
    Connection,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    insert,
    select,
)
from sqlmodel import Field, SQLModel

from ledger.clock import today
from ledger.db.models import ID, table_of
from ledger.db.rows import aware
from ledger.errors import Problem, raise_if_any
from ledger.money import Money
from ledger.regio import rules
from ledger.regio.db import rows as regio_rows
from ledger.regio.db.known import EVERYTHING, Known
from ledger.said import said
from sisa.annex import AMOUNT_FIELDS

KINDS = ("fout", "onzekerheid")


class SisaFindingRow(SQLModel, table=True):
    __tablename__ = "sisa_finding"
    __table_args__ = (
        CheckConstraint("kind IN ('fout', 'onzekerheid')", name="kind"),
        CheckConstraint("amount >= 0", name="amount"),
        Index("ix_sisa_finding_year", "year"),
    )

    id: int | None = Field(default=None, sa_column=Column(ID, primary_key=True, autoincrement=True))
    year: int = Field(sa_column=Column(Integer, nullable=False))
    nummer: str = Field(
        sa_column=Column(String(100), ForeignKey("beschikking.nummer"), nullable=False)
    )
    field: str = Field(sa_column=Column(String(40), nullable=False))
    kind: str = Field(sa_column=Column(String(12), nullable=False))
    amount: int = Field(sa_column=Column(BigInteger, nullable=False))  # minor units
    currency: str = Field(sa_column=Column(String(3), nullable=False))
    toelichting: str = Field(sa_column=Column(Text, nullable=False))
    actor: str = Field(sa_column=Column(String(200), nullable=False))
    recorded_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))


finding_table = table_of(SisaFindingRow)


@dataclass(frozen=True)
class Finding:
    year: int
    nummer: str
    field: str  # the indicator's field; the annex gives its number
    kind: str  # fout | onzekerheid
    amount: Money
    toelichting: str
    actor: str = ""
    recorded_at: datetime | None = None


def check_finding(finding: Finding) -> list[Problem]:
    problems = []
    if finding.field not in AMOUNT_FIELDS:
        problems.append(
            Problem.of(
                "invalid_indicator",
                said(
                    "A finding is about an amount: one of {names}, not {field!r}.",
                    names=", ".join(AMOUNT_FIELDS),
                    field=finding.field,
                ),
            )
        )
    if finding.kind not in KINDS:
        problems.append(
            Problem.of(
                "invalid_kind",
                said("A finding is a fout or an onzekerheid, not {kind!r}.", kind=finding.kind),
            )
        )
    if not finding.amount.is_positive():
        problems.append(
            Problem.of(
                "invalid_amount",
                said("A finding's amount is above zero (the size of the error or uncertainty)."),
            )
        )
    if not finding.toelichting.strip():
        problems.append(
            Problem.of(
                "toelichting_missing",
                said("Say what the error or uncertainty is."),
            )
        )
    return problems


def keep_finding(connection: Connection, finding: Finding) -> int:
    return int(
        connection.execute(
            insert(finding_table).values(
                year=finding.year,
                nummer=finding.nummer,
                field=finding.field,
                kind=finding.kind,
                amount=finding.amount.minor_units,
                currency=finding.amount.currency,
                toelichting=finding.toelichting,
                actor=finding.actor,
                recorded_at=finding.recorded_at,
            )
        ).inserted_primary_key[0]
    )


def findings_of(
    connection: Connection, year: int, nummers: set[str], known: Known = EVERYTHING
) -> list[Finding]:
    """The findings of a year about these beschikkingen, in the order they were recorded (as
    the books stood: ``known``)."""
    c = finding_table.c
    rows = connection.execute(
        select(finding_table).where(c.year == year, known.records(c.recorded_at)).order_by(c.id)
    )
    return [
        Finding(
            r.year,
            r.nummer,
            r.field,
            r.kind,
            Money.from_minor_units(r.amount, r.currency),
            r.toelichting,
            r.actor,
            aware(r.recorded_at),
        )
        for r in rows
        if r.nummer in nummers
    ]


def record_finding(connection: Connection, finding: Finding) -> dict[str, object]:
    """An accountant's fout or onzekerheid about a beschikking's figure of a year, in the
    caller's write transaction; the year must have ended and the beschikking exist."""
    problems = check_finding(finding)
    state = regio_rows.beschikking_state(connection, finding.nummer)  # not_found if unknown
    problems += rules.check_year_ended(
        said("A finding on {nummer}", nummer=finding.nummer), finding.year, today()
    )
    if finding.amount.currency != state.beschikking.amount.currency:
        problems.append(
            Problem.of(
                "invalid_amount",
                said(
                    "A finding on {finding} is in {currency}.",
                    finding=finding.nummer,
                    currency=state.beschikking.amount.currency,
                ),
            )
        )
    raise_if_any(problems)
    number = keep_finding(connection, finding)
    return {
        "id": number,
        "year": finding.year,
        "beschikking": finding.nummer,
        "indicator": finding.field,
        "kind": finding.kind,
        "amount": str(finding.amount.amount),
        "toelichting": finding.toelichting,
    }
