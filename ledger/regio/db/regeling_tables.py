"""The regelingen's tables: a regeling as published, which regeling a tranche follows and which
one a beschikking was decided under (each written once), and the deadline for corrections of a
SiSa year."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Column,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
)
from sqlmodel import Field, SQLModel

from ledger.db.models import table_of


class RegelingRow(SQLModel, table=True):
    """A grant regulation (regeling) as published: the legal basis a beschikking is decided
    under (``source``: its publication), the ministry now responsible, the instruments it
    covers, its period, and its SiSa code (null where none is published); its SiSa block."""

    __tablename__ = "regeling"

    code: str = Field(sa_column=Column(String(40), primary_key=True))
    name: str = Field(sa_column=Column(Text, nullable=False))
    ministry: str = Field(sa_column=Column(String(100), nullable=False))
    source: str = Field(sa_column=Column(Text, nullable=False))
    actor: str = Field(sa_column=Column(String(200), nullable=False))
    recorded_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    instruments: str | None = Field(default=None, sa_column=Column(String(40)))  # "SPUK,BU"
    starts_on: date | None = Field(default=None, sa_column=Column(Date))
    ends_on: date | None = Field(default=None, sa_column=Column(Date))
    sisa_code: str | None = Field(default=None, sa_column=Column(String(20)))


class CorrectionDeadlineRow(SQLModel, table=True):
    """The last day a correction of SiSa year ``year`` is made on that year (the Procedure
    aanlevering SiSa-verantwoordingsinformatie, chapter 3.2); after it a correction is made in a
    later year's figures. Set once per year, with its source (migration 0018)."""

    __tablename__ = "sisa_correction_deadline"

    year: int = Field(sa_column=Column(Integer, primary_key=True, autoincrement=False))
    until: date = Field(sa_column=Column(Date, nullable=False))
    source: str = Field(sa_column=Column(Text, nullable=False))
    actor: str = Field(sa_column=Column(String(200), nullable=False))
    recorded_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))


class BeschikkingRegelingRow(SQLModel, table=True):
    """The regeling a beschikking was decided under, written at its grant (migration 0018;
    a beschikking granted before it follows its tranche's regeling)."""

    __tablename__ = "beschikking_regeling"

    nummer: str = Field(
        sa_column=Column(String(100), ForeignKey("beschikking.nummer"), primary_key=True)
    )
    regeling: str = Field(
        sa_column=Column(String(40), ForeignKey("regeling.code"), nullable=False, index=True)
    )
    actor: str = Field(sa_column=Column(String(200), nullable=False))
    recorded_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))


class TrancheRegelingRow(SQLModel, table=True):
    """Which regeling a tranche's beschikkingen are decided under."""

    __tablename__ = "tranche_regeling"

    tranche: str = Field(
        sa_column=Column(String(100), ForeignKey("tranche.code"), primary_key=True)
    )
    regeling: str = Field(sa_column=Column(String(40), ForeignKey("regeling.code"), nullable=False))
    actor: str = Field(sa_column=Column(String(200), nullable=False))
    reason: str = Field(sa_column=Column(Text, nullable=False))
    recorded_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))


regeling_table = table_of(RegelingRow)
correction_deadline_table = table_of(CorrectionDeadlineRow)
beschikking_regeling_table = table_of(BeschikkingRegelingRow)
tranche_regeling_table = table_of(TrancheRegelingRow)
