"""The Rijksbegroting's tables: budget articles, which article pays which tranche, and each
budget mutation with the entry that books it (migration 0019; the amounts live in the
journal); each beschikking's payment schedules and their advances (migration 0020).
Append-only like every table of the ledger (triggers refuse UPDATE and DELETE)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    ForeignKey,
    String,
    Text,
)
from sqlmodel import Field, SQLModel

from ledger.db.models import ID, table_of
from ledger.regio.begroting import MutationKind

MUTATION_KINDS = ", ".join(repr(k.value) for k in MutationKind)


class BudgetArticleRow(SQLModel, table=True):
    """A budget article of the Rijksbegroting, with the source that names it."""

    __tablename__ = "budget_article"

    code: str = Field(sa_column=Column(String(100), primary_key=True))
    ministry: str = Field(sa_column=Column(String(100), nullable=False))
    chapter: str = Field(sa_column=Column(String(20), nullable=False))
    number: str = Field(sa_column=Column(String(20), nullable=False))
    sub_article: str | None = Field(default=None, sa_column=Column(String(20)))
    name: str = Field(sa_column=Column(Text, nullable=False))
    source: str = Field(sa_column=Column(Text, nullable=False))
    actor: str = Field(sa_column=Column(String(200), nullable=False))
    recorded_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))


class ArticleTrancheRow(SQLModel, table=True):
    """The article that pays a tranche's beschikkingen: one per tranche, written once."""

    __tablename__ = "budget_article_tranche"

    tranche: str = Field(
        sa_column=Column(String(100), ForeignKey("tranche.code"), primary_key=True)
    )
    article: str = Field(
        sa_column=Column(String(100), ForeignKey("budget_article.code"), nullable=False)
    )
    actor: str = Field(sa_column=Column(String(200), nullable=False))
    recorded_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))


class BudgetMutationRow(SQLModel, table=True):
    """A budget mutation: its kind, the article it changes (and an overboeking's origin), and
    the entry that books its lines; a reversal names the mutation it reverses."""

    __tablename__ = "budget_mutation"
    __table_args__ = (CheckConstraint(f"kind IN ({MUTATION_KINDS})", name="kind"),)

    id: int | None = Field(default=None, sa_column=Column(ID, primary_key=True, autoincrement=True))
    key: str = Field(sa_column=Column(String(200), nullable=False, unique=True))
    kind: str = Field(sa_column=Column(String(20), nullable=False))
    article: str = Field(
        sa_column=Column(String(100), ForeignKey("budget_article.code"), nullable=False)
    )
    from_article: str | None = Field(
        default=None, sa_column=Column(String(100), ForeignKey("budget_article.code"))
    )
    name: str = Field(sa_column=Column(Text, nullable=False))
    effective_on: date = Field(sa_column=Column(Date, nullable=False))
    reverses: str | None = Field(
        default=None, sa_column=Column(String(200), ForeignKey("budget_mutation.key"))
    )
    entry_id: int = Field(
        sa_column=Column(BigInteger, ForeignKey("journal_entry.id"), nullable=False)
    )


article_table = table_of(BudgetArticleRow)
article_tranche_table = table_of(ArticleTrancheRow)
mutation_table = table_of(BudgetMutationRow)


class PaymentScheduleRow(SQLModel, table=True):
    """A beschikking's payment schedule as set on ``effective_on``: it replaces the one before
    it from that day (migration 0020). Its advances are ``payment_schedule_advance``."""

    __tablename__ = "payment_schedule"

    id: int | None = Field(default=None, sa_column=Column(ID, primary_key=True, autoincrement=True))
    key: str = Field(sa_column=Column(String(200), nullable=False, unique=True))
    nummer: str = Field(
        sa_column=Column(String(100), ForeignKey("beschikking.nummer"), nullable=False, index=True)
    )
    effective_on: date = Field(sa_column=Column(Date, nullable=False))
    actor: str = Field(sa_column=Column(String(200), nullable=False))
    reason: str = Field(sa_column=Column(Text, nullable=False))
    source: str | None = Field(default=None, sa_column=Column(Text))
    recorded_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))


class PaymentScheduleAdvanceRow(SQLModel, table=True):
    """One planned advance of a schedule: its day and amount (the grant's currency)."""

    __tablename__ = "payment_schedule_advance"
    __table_args__ = (CheckConstraint("amount > 0", name="amount"),)

    schedule_id: int = Field(
        sa_column=Column(BigInteger, ForeignKey("payment_schedule.id"), primary_key=True)
    )
    due_on: date = Field(sa_column=Column(Date, primary_key=True))
    amount: int = Field(sa_column=Column(BigInteger, nullable=False))


schedule_table = table_of(PaymentScheduleRow)
advance_table = table_of(PaymentScheduleAdvanceRow)
