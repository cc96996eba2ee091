"""The ledger's tables. Money is stored as integer minor units (cents) in BIGINT columns.

These classes describe the schema for SQLAlchemy/SQLModel; the migrations in ``migrations/``
create it (and its triggers) without importing this module, and ``alembic check`` proves the
two agree.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlmodel import Field, SQLModel

#: Every constraint and index has a predictable name, so migrations and models compare cleanly.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(table_name)s_%(column_0_name)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s",
    "pk": "pk_%(table_name)s",
}

#: BIGINT everywhere, but INTEGER on SQLite so that an autoincrementing key is the rowid.
ID = BigInteger().with_variant(Integer(), "sqlite")


def table_of(model: type[SQLModel]) -> Table:
    """A table model's table: the one name the rest of the code knows a table by (SQLModel
    sets ``__table__`` on the class without a type)."""
    table = model.__dict__["__table__"]
    assert isinstance(table, Table), f"{model.__name__} is no table model"
    return table


ACCOUNT_KINDS = (
    "asset",
    "liability",
    "equity",
    "income",
    "expense",
    "budget",
    "budget_source",
    "memorandum",
    "memorandum_contra",
)
DEBIT_KINDS = ("asset", "expense", "budget_source", "memorandum")


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class AccountRow(SQLModel, table=True):
    __tablename__ = "account"
    __table_args__ = (
        UniqueConstraint("id", "currency", name="uq_account_id_currency"),
        CheckConstraint(_in("kind", ACCOUNT_KINDS), name="kind"),
        CheckConstraint(
            f"(normal_side = 'debit' AND {_in('kind', DEBIT_KINDS)}) OR "
            f"(normal_side = 'credit' AND NOT {_in('kind', DEBIT_KINDS)})",
            name="normal_side",
        ),
        CheckConstraint("debit_total >= 0 AND credit_total >= 0", name="totals"),
        CheckConstraint(
            "NOT non_negative OR (normal_side = 'debit' AND debit_total >= credit_total) "
            "OR (normal_side = 'credit' AND credit_total >= debit_total)",
            name="limit",
        ),
        CheckConstraint("length(code) > 0", name="code"),
    )

    id: int | None = Field(default=None, sa_column=Column(ID, primary_key=True, autoincrement=True))
    code: str = Field(sa_column=Column(String(200), nullable=False, unique=True))
    name: str = Field(sa_column=Column(String(500), nullable=False))
    kind: str = Field(sa_column=Column(String(32), nullable=False))
    normal_side: str = Field(sa_column=Column(String(6), nullable=False))
    currency: str = Field(sa_column=Column(String(3), nullable=False))
    non_negative: bool = Field(sa_column=Column(Boolean, nullable=False))
    envelope: str | None = Field(default=None, sa_column=Column(String(100), index=True))
    tranche: str | None = Field(default=None, sa_column=Column(String(100), index=True))
    deal: str | None = Field(default=None, sa_column=Column(String(100), index=True))
    beschikking: str | None = Field(default=None, sa_column=Column(String(100), index=True))
    organisation: str | None = Field(default=None, sa_column=Column(String(100), index=True))
    year: int | None = Field(default=None, sa_column=Column(Integer, index=True))
    debit_total: int = Field(default=0, sa_column=Column(BigInteger, nullable=False))
    credit_total: int = Field(default=0, sa_column=Column(BigInteger, nullable=False))
    opened_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    opened_by: str = Field(sa_column=Column(String(200), nullable=False))
    closed_at: datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True)))
    closed_by: str | None = Field(default=None, sa_column=Column(String(200)))


class JournalEntryRow(SQLModel, table=True):
    """One booked entry; ``id`` is its gapless sequence number in the journal."""

    __tablename__ = "journal_entry"
    __table_args__ = (
        CheckConstraint("id >= 1", name="id"),
        CheckConstraint("reverses_id IS NULL OR reverses_id < id", name="reverses"),
        CheckConstraint(
            "length(key) > 0 AND length(actor) > 0 AND length(reason) > 0",
            name="texts",
        ),
        Index("ix_journal_entry_recorded_at", "recorded_at", "id"),
    )

    id: int = Field(sa_column=Column(BigInteger, primary_key=True, autoincrement=False))
    key: str = Field(sa_column=Column(String(200), nullable=False, unique=True))
    effective_on: date = Field(sa_column=Column(Date, nullable=False, index=True))
    recorded_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    memo: str = Field(sa_column=Column(Text, nullable=False))
    actor: str = Field(sa_column=Column(String(200), nullable=False, index=True))
    reason: str = Field(sa_column=Column(Text, nullable=False))
    source_document: str | None = Field(default=None, sa_column=Column(Text))
    reverses_id: int | None = Field(
        default=None,
        sa_column=Column(
            BigInteger,
            ForeignKey("journal_entry.id", name="fk_journal_entry_reverses"),
            unique=True,
        ),
    )
    content_digest: str = Field(sa_column=Column(String(64), nullable=False))
    prev_hash: str = Field(sa_column=Column(String(64), nullable=False))
    entry_hash: str = Field(sa_column=Column(String(64), nullable=False, unique=True))


class PostingRow(SQLModel, table=True):
    """One side of an entry on one account; carries the account's running totals after it."""

    __tablename__ = "posting"
    __table_args__ = (
        ForeignKeyConstraint(
            ["account_id", "currency"],
            ["account.id", "account.currency"],
            name="fk_posting_account_currency",
        ),
        UniqueConstraint("entry_id", "position", name="uq_posting_entry_position"),
        CheckConstraint("side IN ('debit', 'credit')", name="side"),
        CheckConstraint("amount > 0", name="amount_positive"),
        CheckConstraint("debit_total_after >= 0 AND credit_total_after >= 0", name="totals_after"),
        Index("ix_posting_account_effective", "account_id", "effective_on"),
        Index("ix_posting_account_entry", "account_id", "entry_id", "position"),
        Index("ix_posting_effective_on", "effective_on"),
    )

    id: int | None = Field(default=None, sa_column=Column(ID, primary_key=True, autoincrement=True))
    entry_id: int = Field(
        sa_column=Column(
            BigInteger, ForeignKey("journal_entry.id", name="fk_posting_entry"), nullable=False
        )
    )
    position: int = Field(sa_column=Column(Integer, nullable=False))
    account_id: int = Field(sa_column=Column(BigInteger, nullable=False))
    currency: str = Field(sa_column=Column(String(3), nullable=False))
    side: str = Field(sa_column=Column(String(6), nullable=False))
    amount: int = Field(sa_column=Column(BigInteger, nullable=False))
    effective_on: date = Field(sa_column=Column(Date, nullable=False))
    debit_total_after: int = Field(sa_column=Column(BigInteger, nullable=False))
    credit_total_after: int = Field(sa_column=Column(BigInteger, nullable=False))


class AccountMonthBalanceRow(SQLModel, table=True):
    """Debit and credit totals per account per effective month (``yyyymm``), kept by a trigger
    on ``posting`` so that balances as of a date read months, not every posting."""

    __tablename__ = "account_month_balance"
    __table_args__ = (
        PrimaryKeyConstraint("account_id", "month", name="pk_account_month_balance"),
        Index("ix_account_month_balance_month", "month"),
    )

    account_id: int = Field(
        sa_column=Column(
            BigInteger,
            ForeignKey("account.id", name="fk_account_month_balance_account"),
            nullable=False,
        )
    )
    month: int = Field(sa_column=Column(Integer, nullable=False))
    debit_total: int = Field(sa_column=Column(BigInteger, nullable=False))
    credit_total: int = Field(sa_column=Column(BigInteger, nullable=False))
