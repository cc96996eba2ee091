"""The Rijksbegroting's tables (migration 0019): budget articles, which article pays which
tranche, and each budget mutation with the entry that books it. Append-only like every table
of the ledger (triggers refuse UPDATE and DELETE); the amounts live in the journal."""

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
