"""SiSa's own tables: annex definitions per regeling and year and their indicators, the
exports recorded before migration 0010, every submission with the figures it showed, and the
years each submission holds (which the posting trigger keeps frozen)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    PrimaryKeyConstraint,
    String,
    Text,
)
from sqlmodel import Field, SQLModel

from ledger.db.models import ID, table_of


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


class SisaDefinitionRow(SQLModel, table=True):
    """An annex definition as a finance officer set it for a regeling and reporting year; the
    newest one counts until the first submission of that year, after which none may follow.
    (``sisa_annex``/``sisa_indicator`` and ``sisa_export`` above are kept as they were written
    before definitions were entered and previews stopped being recorded.)"""

    __tablename__ = "sisa_definition"
    __table_args__ = (
        CheckConstraint("instrument IN ('SPUK', 'BU')", name="instrument"),
        Index("ix_sisa_definition_regeling_year", "regeling", "year"),
    )

    id: int | None = Field(default=None, sa_column=Column(ID, primary_key=True, autoincrement=True))
    regeling: str = Field(sa_column=Column(String(40), ForeignKey("regeling.code"), nullable=False))
    instrument: str = Field(sa_column=Column(String(4), nullable=False))
    year: int = Field(sa_column=Column(Integer, nullable=False))
    code: str = Field(sa_column=Column(String(40), nullable=False))
    name: str = Field(sa_column=Column(Text, nullable=False))
    source: str = Field(sa_column=Column(Text, nullable=False))
    set_by: str = Field(sa_column=Column(String(200), nullable=False))
    set_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))


class SisaDefinitionIndicatorRow(SQLModel, table=True):
    __tablename__ = "sisa_definition_indicator"
    __table_args__ = (
        PrimaryKeyConstraint("definition_id", "number", name="pk_sisa_definition_indicator"),
        CheckConstraint("aard_controle IN ('R', 'n.v.t.')", name="aard_controle"),
    )

    definition_id: int = Field(
        sa_column=Column(BigInteger, ForeignKey("sisa_definition.id"), nullable=False)
    )
    number: str = Field(sa_column=Column(String(4), nullable=False))
    text: str = Field(sa_column=Column(Text, nullable=False))
    aard_controle: str = Field(sa_column=Column(String(8), nullable=False))
    field: str = Field(sa_column=Column(String(40), nullable=False))


class SisaSubmissionRow(SQLModel, table=True):
    """A SiSa submission: the rows a recipient (or the finance officer, for all) handed in for
    a reporting year, frozen as they were: the file, its figures and the annex it followed. The
    next submission's correction table compares with the last one."""

    __tablename__ = "sisa_submission"
    __table_args__ = (
        CheckConstraint("instrument IN ('SPUK', 'BU')", name="instrument"),
        CheckConstraint("format IN ('xlsx', 'csv', 'json')", name="format"),
        Index("ix_sisa_submission_year", "year", "instrument"),
    )

    id: int | None = Field(default=None, sa_column=Column(ID, primary_key=True, autoincrement=True))
    public_id: str = Field(sa_column=Column(String(64), nullable=False, unique=True))
    year: int = Field(sa_column=Column(Integer, nullable=False))
    regeling: str | None = Field(
        default=None, sa_column=Column(String(40), ForeignKey("regeling.code"))
    )
    instrument: str = Field(sa_column=Column(String(4), nullable=False))
    recipient: str | None = Field(
        default=None, sa_column=Column(String(100), ForeignKey("organisation.code"))
    )
    submitted_by: str = Field(sa_column=Column(String(200), nullable=False))
    submitted_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    format: str = Field(sa_column=Column(String(4), nullable=False))
    sha256: str = Field(sa_column=Column(String(64), nullable=False))
    content: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    figures: str = Field(
        sa_column=Column(Text, nullable=False)
    )  # JSON: {nummer: {indicator: value}}
    annex: str = Field(sa_column=Column(Text, nullable=False))  # JSON: the definition it followed


class SisaSubmittedYearRow(SQLModel, table=True):
    """Each beschikking and year a submission holds the row of, written with the submission
    (migration 0018): what the domain and the database's own trigger read to keep a submitted
    year frozen (no spending posted in it or before it but by the SiSa correction procedure)."""

    __tablename__ = "sisa_submitted_year"

    nummer: str = Field(
        sa_column=Column(String(100), ForeignKey("beschikking.nummer"), primary_key=True)
    )
    year: int = Field(sa_column=Column(Integer, primary_key=True, autoincrement=False))
    submission: str = Field(sa_column=Column(String(64), nullable=False))  # the first


export_table = table_of(SisaExportRow)  # exports recorded before 0010


definition_table = table_of(SisaDefinitionRow)


definition_indicator_table = table_of(SisaDefinitionIndicatorRow)


submission_table = table_of(SisaSubmissionRow)


submitted_year_table = table_of(SisaSubmittedYearRow)
