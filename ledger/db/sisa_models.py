"""Tables of the SiSa accountability: the annex definition per reporting year (kept as data,
frozen once used) and every export made, with the figures it showed, so a later correction
can be listed as was / wordt."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    CheckConstraint,
    Column,
    DateTime,
    ForeignKey,
    Integer,
    PrimaryKeyConstraint,
    String,
    Text,
)
from sqlmodel import Field, SQLModel

from ledger.db.models import ID


class SisaAnnexRow(SQLModel, table=True):
    __tablename__ = "sisa_annex"

    year: int = Field(sa_column=Column(Integer, primary_key=True, autoincrement=False))
    code: str = Field(sa_column=Column(String(40), nullable=False))
    name: str = Field(sa_column=Column(Text, nullable=False))
    source: str = Field(sa_column=Column(Text, nullable=False))


class SisaIndicatorRow(SQLModel, table=True):
    __tablename__ = "sisa_indicator"
    __table_args__ = (
        PrimaryKeyConstraint("year", "number", name="pk_sisa_indicator"),
        CheckConstraint("aard_controle IN ('R', 'n.v.t.')", name="aard_controle"),
    )

    year: int = Field(sa_column=Column(Integer, ForeignKey("sisa_annex.year"), nullable=False))
    number: str = Field(sa_column=Column(String(4), nullable=False))
    text: str = Field(sa_column=Column(Text, nullable=False))
    aard_controle: str = Field(sa_column=Column(String(8), nullable=False))
    field: str = Field(sa_column=Column(String(40), nullable=False))


class SisaExportRow(SQLModel, table=True):
    __tablename__ = "sisa_export"
    __table_args__ = (CheckConstraint("instrument IN ('SPUK', 'BU')", name="instrument"),)

    id: int | None = Field(default=None, sa_column=Column(ID, primary_key=True, autoincrement=True))
    year: int = Field(
        sa_column=Column(Integer, ForeignKey("sisa_annex.year"), nullable=False, index=True)
    )
    instrument: str = Field(sa_column=Column(String(4), nullable=False))
    recipient: str | None = Field(default=None, sa_column=Column(String(100)))
    exported_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    exported_by: str = Field(sa_column=Column(String(200), nullable=False))
    sha256: str = Field(sa_column=Column(String(64), nullable=False))
    figures: str = Field(
        sa_column=Column(Text, nullable=False)
    )  # JSON: {nummer: {indicator: whole euros}}
