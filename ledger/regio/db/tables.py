"""Tables of the Regio Deals objects. Like the journal they are append-only (triggers refuse
UPDATE and DELETE): a change is a new row — an extension, a payment, a settlement — so the
state on any date can be read back. Money is integer minor units."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    PrimaryKeyConstraint,
    String,
    Text,
    UniqueConstraint,
    func,
    true,
)
from sqlmodel import Field, SQLModel

from ledger.db.models import ID, table_of
from ledger.regio.db.begroting_tables import BudgetArticleRow
from ledger.regio.db.regeling_tables import RegelingRow
from ledger.regio.model import (
    AmendmentKind,
    BudgetChangeKind,
    BudgetEventKind,
    EventKind,
    FundingSource,
    Instrument,
    OrganisationType,
)

ORGANISATION_TYPES = tuple(kind.value for kind in OrganisationType)
BUDGET_CHANGE_KINDS = tuple(kind.value for kind in BudgetChangeKind)
BUDGET_EVENT_KINDS = tuple(kind.value for kind in BudgetEventKind)
EVENT_KINDS = tuple(kind.value for kind in EventKind)
SOURCES = tuple(source.value for source in FundingSource)
INSTRUMENTS = tuple(instrument.value for instrument in Instrument)
AMENDMENT_KINDS = tuple(kind.value for kind in AmendmentKind)


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def _entry_fk(nullable: bool = False) -> Column:
    return Column(BigInteger, ForeignKey("journal_entry.id"), nullable=nullable)


class OrganisationRow(SQLModel, table=True):
    __tablename__ = "organisation"
    __table_args__ = (CheckConstraint(_in("type", ORGANISATION_TYPES), name="type"),)

    code: str = Field(sa_column=Column(String(100), primary_key=True))
    name: str = Field(sa_column=Column(String(300), nullable=False))
    type: str = Field(sa_column=Column(String(30), nullable=False))


class EnvelopeRow(SQLModel, table=True):
    __tablename__ = "envelope"
    __table_args__ = (CheckConstraint("amount > 0 AND ends_on >= starts_on", name="amount_period"),)

    code: str = Field(sa_column=Column(String(100), primary_key=True))
    name: str = Field(sa_column=Column(String(300), nullable=False))
    amount: int = Field(sa_column=Column(BigInteger, nullable=False))
    starts_on: date = Field(sa_column=Column(Date, nullable=False))
    ends_on: date = Field(sa_column=Column(Date, nullable=False))
    source_document: str | None = Field(default=None, sa_column=Column(Text))


class TrancheRow(SQLModel, table=True):
    __tablename__ = "tranche"

    code: str = Field(sa_column=Column(String(100), primary_key=True))
    envelope: str = Field(
        sa_column=Column(String(100), ForeignKey("envelope.code"), nullable=False)
    )
    name: str = Field(sa_column=Column(String(300), nullable=False))


class ReservationRow(SQLModel, table=True):
    __tablename__ = "reservation"

    code: str = Field(sa_column=Column(String(100), primary_key=True))
    tranche: str = Field(sa_column=Column(String(100), ForeignKey("tranche.code"), nullable=False))
    name: str = Field(sa_column=Column(String(300), nullable=False))


class BudgetChangeRow(SQLModel, table=True):
    """A dated, sourced change of a budget: envelope funded, tranche allocated, shifted,
    added to from outside, or reserved in. Its booking is ``entry_id``."""

    __tablename__ = "budget_change"
    __table_args__ = (
        CheckConstraint(_in("kind", BUDGET_CHANGE_KINDS), name="kind"),
        CheckConstraint("amount > 0", name="amount"),
        Index("ix_budget_change_effective_on", "effective_on"),
    )

    id: int | None = Field(default=None, sa_column=Column(ID, primary_key=True, autoincrement=True))
    key: str = Field(sa_column=Column(String(200), nullable=False, unique=True))
    kind: str = Field(sa_column=Column(String(20), nullable=False))
    envelope: str = Field(
        sa_column=Column(String(100), ForeignKey("envelope.code"), nullable=False)
    )
    from_tranche: str | None = Field(
        default=None, sa_column=Column(String(100), ForeignKey("tranche.code"))
    )
    to_tranche: str | None = Field(
        default=None, sa_column=Column(String(100), ForeignKey("tranche.code"))
    )
    reservation: str | None = Field(
        default=None, sa_column=Column(String(100), ForeignKey("reservation.code"))
    )
    amount: int = Field(sa_column=Column(BigInteger, nullable=False))
    effective_on: date = Field(sa_column=Column(Date, nullable=False))
    entry_id: int = Field(sa_column=_entry_fk())


class BudgetEventRow(SQLModel, table=True):
    """A dated, sourced budget event that is no tranche budget: envelope money set aside for a
    purpose that is no deal (``purpose``), or a transfer between budget articles for a tranche
    that moves no envelope money. Its booking is ``entry_id``."""

    __tablename__ = "budget_event"
    __table_args__ = (
        CheckConstraint(_in("kind", BUDGET_EVENT_KINDS), name="kind"),
        CheckConstraint("amount > 0", name="amount"),
        CheckConstraint("kind = 'set_aside' OR tranche IS NOT NULL", name="tranche"),
    )

    id: int | None = Field(default=None, sa_column=Column(ID, primary_key=True, autoincrement=True))
    key: str = Field(sa_column=Column(String(200), nullable=False, unique=True))
    kind: str = Field(sa_column=Column(String(20), nullable=False))
    envelope: str = Field(
        sa_column=Column(String(100), ForeignKey("envelope.code"), nullable=False)
    )
    tranche: str | None = Field(
        default=None, sa_column=Column(String(100), ForeignKey("tranche.code"))
    )
    purpose: str = Field(sa_column=Column(String(100), nullable=False))
    name: str = Field(sa_column=Column(Text, nullable=False))
    amount: int = Field(sa_column=Column(BigInteger, nullable=False))
    effective_on: date = Field(sa_column=Column(Date, nullable=False))
    entry_id: int = Field(sa_column=_entry_fk())


class DealRow(SQLModel, table=True):
    __tablename__ = "deal"
    __table_args__ = (
        CheckConstraint("rijksbijdrage > 0 AND ends_on >= signed_on", name="amount_period"),
    )

    code: str = Field(sa_column=Column(String(100), primary_key=True))
    name: str = Field(sa_column=Column(String(300), nullable=False))
    tranche: str = Field(
        sa_column=Column(String(100), ForeignKey("tranche.code"), nullable=False, index=True)
    )
    reservation: str | None = Field(
        default=None, sa_column=Column(String(100), ForeignKey("reservation.code"))
    )
    rijksbijdrage: int = Field(sa_column=Column(BigInteger, nullable=False))
    signed_on: date = Field(sa_column=Column(Date, nullable=False))
    ends_on: date = Field(sa_column=Column(Date, nullable=False))
    cofinancing_exception: str | None = Field(default=None, sa_column=Column(Text))
    entry_id: int = Field(sa_column=_entry_fk())


class ProgrammeLineRow(SQLModel, table=True):
    __tablename__ = "programme_line"

    deal: str = Field(sa_column=Column(String(100), ForeignKey("deal.code"), primary_key=True))
    code: str = Field(sa_column=Column(String(100), primary_key=True))


class PledgeRow(SQLModel, table=True):
    __tablename__ = "pledge"
    __table_args__ = (
        CheckConstraint("kind IN ('cash', 'in_kind')", name="kind"),
        CheckConstraint("amount > 0", name="amount"),
    )

    id: int | None = Field(default=None, sa_column=Column(ID, primary_key=True, autoincrement=True))
    deal: str = Field(
        sa_column=Column(String(100), ForeignKey("deal.code"), nullable=False, index=True)
    )
    partner: str = Field(
        sa_column=Column(String(100), ForeignKey("organisation.code"), nullable=False)
    )
    kind: str = Field(sa_column=Column(String(10), nullable=False))
    amount: int = Field(sa_column=Column(BigInteger, nullable=False))


class BeschikkingRow(SQLModel, table=True):
    """A beschikking, or for a departementale overboeking (DO) the transfer decision."""

    __tablename__ = "beschikking"
    __table_args__ = (
        CheckConstraint(_in("instrument", INSTRUMENTS), name="instrument"),
        CheckConstraint("(instrument = 'BU') = (currency = 'USD')", name="currency"),
        CheckConstraint("amount > 0 AND eur_commitment > 0", name="amounts"),
        CheckConstraint("spending_ends_on >= spending_starts_on", name="period"),
        CheckConstraint("currency = 'EUR' OR usd_per_eur IS NOT NULL", name="rate"),
    )

    nummer: str = Field(sa_column=Column(String(100), primary_key=True))
    deal: str = Field(
        sa_column=Column(String(100), ForeignKey("deal.code"), nullable=False, index=True)
    )
    instrument: str = Field(sa_column=Column(String(4), nullable=False))
    recipient: str = Field(
        sa_column=Column(String(100), ForeignKey("organisation.code"), nullable=False, index=True)
    )
    currency: str = Field(sa_column=Column(String(3), nullable=False))
    amount: int = Field(sa_column=Column(BigInteger, nullable=False))
    eur_commitment: int = Field(sa_column=Column(BigInteger, nullable=False))
    usd_per_eur: str | None = Field(default=None, sa_column=Column(String(40)))
    decided_on: date = Field(sa_column=Column(Date, nullable=False))
    spending_starts_on: date = Field(sa_column=Column(Date, nullable=False))
    spending_ends_on: date = Field(sa_column=Column(Date, nullable=False))
    converted_from: str | None = Field(
        default=None, sa_column=Column(String(100), ForeignKey("beschikking.nummer"), unique=True)
    )
    entry_id: int = Field(sa_column=_entry_fk())


class BeschikkingEventRow(SQLModel, table=True):
    """What happened to a beschikking after the grant: payments, spending, settlement,
    repayments, extensions (verlenging: a new end date, no booking) and releases."""

    __tablename__ = "beschikking_event"
    __table_args__ = (
        CheckConstraint(_in("kind", EVENT_KINDS), name="kind"),
        CheckConstraint(f"source IS NULL OR {_in('source', SOURCES)}", name="source"),
        CheckConstraint(
            "(kind IN ('extension', 'final', 'toelichting')) = (entry_id IS NULL)", name="booking"
        ),
        CheckConstraint("kind <> 'extension' OR new_end_on IS NOT NULL", name="extension"),
        CheckConstraint(
            "kind <> 'spending' OR (source IS NOT NULL AND year IS NOT NULL)", name="spending"
        ),
        Index("ix_beschikking_event_beschikking_kind", "beschikking", "kind"),
    )

    id: int | None = Field(default=None, sa_column=Column(ID, primary_key=True, autoincrement=True))
    key: str = Field(sa_column=Column(String(200), nullable=False, unique=True))
    beschikking: str = Field(
        sa_column=Column(String(100), ForeignKey("beschikking.nummer"), nullable=False)
    )
    kind: str = Field(sa_column=Column(String(20), nullable=False))
    effective_on: date = Field(sa_column=Column(Date, nullable=False))
    amount: int | None = Field(default=None, sa_column=Column(BigInteger))
    year: int | None = Field(default=None, sa_column=Column(Integer))
    source: str | None = Field(default=None, sa_column=Column(String(30)))
    partner: str | None = Field(
        default=None, sa_column=Column(String(100), ForeignKey("organisation.code"))
    )
    programme_line: str | None = Field(default=None, sa_column=Column(String(100)))
    new_end_on: date | None = Field(default=None, sa_column=Column(Date))
    actor: str = Field(sa_column=Column(String(200), nullable=False))
    reason: str = Field(sa_column=Column(Text, nullable=False))
    recorded_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    entry_id: int | None = Field(default=None, sa_column=_entry_fk(nullable=True))


class AmendmentRow(SQLModel, table=True):
    """A correction or change made through the domain: what, on which object, by whom, why, when,
    and the entry that booked it. Append-only: a correction is never corrected by an update."""

    __tablename__ = "amendment"
    __table_args__ = (
        CheckConstraint(_in("kind", AMENDMENT_KINDS), name="kind"),
        CheckConstraint("kind NOT LIKE 'deal_%' OR deal IS NOT NULL", name="deal"),
        CheckConstraint(
            "kind NOT IN ('beschikking_amendment', 'payment_correction', 'sisa_correction') OR beschikking IS NOT NULL",
            name="beschikking",
        ),
        CheckConstraint(
            "kind <> 'payment_correction' OR corrects_event_id IS NOT NULL", name="corrects"
        ),
        CheckConstraint(
            "kind <> 'statement_withdrawal' OR statement_id IS NOT NULL", name="statement"
        ),
        CheckConstraint("kind <> 'deal_extension' OR new_ends_on IS NOT NULL", name="extension"),
        CheckConstraint(
            "(kind = 'deal_extension') = (entry_id IS NULL AND in_kind_entry_id IS NULL)",
            name="booking",
        ),
        CheckConstraint(f"source IS NULL OR {_in('source', SOURCES)}", name="source"),
        Index("ix_amendment_beschikking", "beschikking"),
        Index("ix_amendment_deal", "deal"),
    )

    id: int | None = Field(default=None, sa_column=Column(ID, primary_key=True, autoincrement=True))
    key: str = Field(sa_column=Column(String(200), nullable=False, unique=True))
    kind: str = Field(sa_column=Column(String(30), nullable=False))
    deal: str | None = Field(default=None, sa_column=Column(String(100), ForeignKey("deal.code")))
    beschikking: str | None = Field(
        default=None, sa_column=Column(String(100), ForeignKey("beschikking.nummer"))
    )
    statement_id: int | None = Field(
        default=None, sa_column=Column(BigInteger, ForeignKey("statement.id"), unique=True)
    )
    corrects_event_id: int | None = Field(
        default=None, sa_column=Column(BigInteger, ForeignKey("beschikking_event.id"), unique=True)
    )
    year: int | None = Field(default=None, sa_column=Column(Integer))
    source: str | None = Field(default=None, sa_column=Column(String(30)))
    amount: int | None = Field(default=None, sa_column=Column(BigInteger))  # signed: the change
    eur_amount: int | None = Field(default=None, sa_column=Column(BigInteger))  # for a USD grant
    new_ends_on: date | None = Field(default=None, sa_column=Column(Date))
    effective_on: date = Field(sa_column=Column(Date, nullable=False))
    actor: str = Field(sa_column=Column(String(200), nullable=False))
    reason: str = Field(sa_column=Column(Text, nullable=False))
    recorded_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    entry_id: int | None = Field(default=None, sa_column=_entry_fk(nullable=True))
    in_kind_entry_id: int | None = Field(default=None, sa_column=_entry_fk(nullable=True))


class PublishedFigureRow(SQLModel, table=True):
    """A figure from a public source that the ledger must be able to explain (or list as an
    open difference): announcements, planned tranche sizes, budget transfers."""

    __tablename__ = "published_figure"
    __table_args__ = (
        UniqueConstraint("kind", "key", "published_on", name="uq_published_figure_kind"),
    )

    id: int | None = Field(default=None, sa_column=Column(ID, primary_key=True, autoincrement=True))
    kind: str = Field(sa_column=Column(String(40), nullable=False))
    key: str = Field(sa_column=Column(String(100), nullable=False))
    name: str = Field(sa_column=Column(Text, nullable=False))
    amount: int = Field(sa_column=Column(BigInteger, nullable=False))
    published_on: date = Field(sa_column=Column(Date, nullable=False))
    source: str = Field(sa_column=Column(Text, nullable=False))
    #: False when the source gives no date: ``published_on`` is then when the figure applies.
    dated: bool = Field(
        default=True, sa_column=Column(Boolean, nullable=False, server_default=true())
    )


class StatementRow(SQLModel, table=True):
    """An uploaded spending statement: the file (kept whole, with its SHA-256), who uploaded it
    and when, and whether it was booked or refused (then with every problem). A booked
    statement that replaces an earlier one names it and the entry that reversed it."""

    __tablename__ = "statement"
    __table_args__ = (
        CheckConstraint("outcome IN ('booked', 'refused')", name="outcome"),
        CheckConstraint(
            "(outcome = 'booked') = (entry_id IS NOT NULL OR in_kind_entry_id IS NOT NULL)",
            name="booking",
        ),
        Index("ix_statement_beschikking_year", "beschikking", "year"),
        Index("uq_statement_public_id", "public_id", unique=True),
    )

    id: int | None = Field(default=None, sa_column=Column(ID, primary_key=True, autoincrement=True))
    public_id: str = Field(sa_column=Column(String(64), nullable=False, server_default=""))
    beschikking: str = Field(
        sa_column=Column(String(100), ForeignKey("beschikking.nummer"), nullable=False)
    )
    year: int = Field(sa_column=Column(Integer, nullable=False))
    sha256: str = Field(sa_column=Column(String(64), nullable=False))
    filename: str = Field(sa_column=Column(Text, nullable=False))
    uploaded_by: str = Field(sa_column=Column(String(200), nullable=False))
    uploaded_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    outcome: str = Field(sa_column=Column(String(10), nullable=False))
    problems: str | None = Field(default=None, sa_column=Column(Text))
    content: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    line_count: int = Field(sa_column=Column(Integer, nullable=False))
    entry_id: int | None = Field(default=None, sa_column=_entry_fk(nullable=True))  # the cash entry
    in_kind_entry_id: int | None = Field(default=None, sa_column=_entry_fk(nullable=True))
    replaces_id: int | None = Field(
        default=None, sa_column=Column(BigInteger, ForeignKey("statement.id"), unique=True)
    )
    reversal_entry_id: int | None = Field(default=None, sa_column=_entry_fk(nullable=True))


class StatementLineRow(SQLModel, table=True):
    """One line of a booked statement, as the region wrote it (amount in signed cents)."""

    __tablename__ = "statement_line"
    __table_args__ = (
        PrimaryKeyConstraint("statement_id", "row_number", name="pk_statement_line"),
        CheckConstraint(f"{_in('source', SOURCES)}", name="source"),
        CheckConstraint("amount <> 0", name="amount"),
    )

    statement_id: int = Field(
        sa_column=Column(BigInteger, ForeignKey("statement.id"), nullable=False)
    )
    row_number: int = Field(sa_column=Column(Integer, nullable=False))
    spent_on: date = Field(sa_column=Column(Date, nullable=False))
    description: str = Field(sa_column=Column(Text, nullable=False))
    source: str = Field(sa_column=Column(String(30), nullable=False))
    amount: int = Field(sa_column=Column(BigInteger, nullable=False))
    partner: str | None = Field(default=None, sa_column=Column(Text))
    programme_line: str | None = Field(default=None, sa_column=Column(String(200)))
    project: str | None = Field(default=None, sa_column=Column(Text))
    reference: str | None = Field(default=None, sa_column=Column(String(200)))
    explanation: str | None = Field(default=None, sa_column=Column(Text))


def _folded(name: str, row: Any, *columns: str) -> Index:
    """A unique index on a code lower-cased (the last of ``columns``), on both dialects: codes
    that differ only in letter case are one record (migration 0017)."""
    table = row.__table__
    *within, code = columns
    return Index(name, *(table.c[c] for c in within), func.lower(table.c[code]), unique=True)


FOLDED_CODES = (
    _folded("uq_organisation_code_folded", OrganisationRow, "code"),
    _folded("uq_envelope_code_folded", EnvelopeRow, "code"),
    _folded("uq_tranche_code_folded", TrancheRow, "code"),
    _folded("uq_reservation_code_folded", ReservationRow, "code"),
    _folded("uq_deal_code_folded", DealRow, "code"),
    _folded("uq_programme_line_code_folded", ProgrammeLineRow, "deal", "code"),
    _folded("uq_beschikking_nummer_folded", BeschikkingRow, "nummer"),
    _folded("uq_regeling_code_folded", RegelingRow, "code"),
    _folded("uq_budget_article_code_folded", BudgetArticleRow, "code"),
)


#: Each table by the one name the code knows it by.
organisation_table = table_of(OrganisationRow)
tranche_table = table_of(TrancheRow)
deal_table = table_of(DealRow)
line_table = table_of(ProgrammeLineRow)
pledge_table = table_of(PledgeRow)
beschikking_table = table_of(BeschikkingRow)
event_table = table_of(BeschikkingEventRow)
envelope_table = table_of(EnvelopeRow)
reservation_table = table_of(ReservationRow)
budget_change_table = table_of(BudgetChangeRow)
budget_event_table = table_of(BudgetEventRow)
statement_table = table_of(StatementRow)
statement_line_table = table_of(StatementLineRow)
figure_table = table_of(PublishedFigureRow)
amendment_table = table_of(AmendmentRow)
