"""The ledger core: accounts, journal entries, postings, month balances, and the triggers
that keep them honest.

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from migrations.sql_files import run_sql_file

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
KINDS = "('asset', 'liability', 'equity', 'income', 'expense', 'budget', 'budget_source', 'memorandum', 'memorandum_contra')"
DEBIT_KINDS = "('asset', 'expense', 'budget_source', 'memorandum')"


def _create_account() -> None:
    op.create_table(
        "account",
        sa.Column("id", ID, primary_key=True, autoincrement=True),
        sa.Column("code", sa.String(200), nullable=False),
        sa.Column("name", sa.String(500), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("normal_side", sa.String(6), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("non_negative", sa.Boolean(), nullable=False),
        sa.Column("envelope", sa.String(100)),
        sa.Column("tranche", sa.String(100)),
        sa.Column("deal", sa.String(100)),
        sa.Column("beschikking", sa.String(100)),
        sa.Column("organisation", sa.String(100)),
        sa.Column("year", sa.Integer()),
        sa.Column("debit_total", sa.BigInteger(), nullable=False),
        sa.Column("credit_total", sa.BigInteger(), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("opened_by", sa.String(200), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True)),
        sa.Column("closed_by", sa.String(200)),
        sa.PrimaryKeyConstraint("id", name="pk_account"),
        sa.UniqueConstraint("code", name="uq_account_code"),
        sa.UniqueConstraint("id", "currency", name="uq_account_id_currency"),
        sa.CheckConstraint(f"kind IN {KINDS}", name="ck_account_kind"),
        sa.CheckConstraint(
            f"(normal_side = 'debit' AND kind IN {DEBIT_KINDS}) OR "
            f"(normal_side = 'credit' AND NOT kind IN {DEBIT_KINDS})",
            name="ck_account_normal_side",
        ),
        sa.CheckConstraint("debit_total >= 0 AND credit_total >= 0", name="ck_account_totals"),
        sa.CheckConstraint(
            "NOT non_negative OR (normal_side = 'debit' AND debit_total >= credit_total) "
            "OR (normal_side = 'credit' AND credit_total >= debit_total)",
            name="ck_account_limit",
        ),
        sa.CheckConstraint("length(code) > 0", name="ck_account_code"),
    )
    for column in ("envelope", "tranche", "deal", "beschikking", "organisation", "year"):
        op.create_index(f"ix_account_{column}", "account", [column])


def _create_journal_entry() -> None:
    op.create_table(
        "journal_entry",
        sa.Column("id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("key", sa.String(200), nullable=False),
        sa.Column("effective_on", sa.Date(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("memo", sa.Text(), nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("source_document", sa.Text()),
        sa.Column("reverses_id", sa.BigInteger()),
        sa.Column("content_digest", sa.String(64), nullable=False),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("entry_hash", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_journal_entry"),
        sa.UniqueConstraint("key", name="uq_journal_entry_key"),
        sa.UniqueConstraint("reverses_id", name="uq_journal_entry_reverses_id"),
        sa.UniqueConstraint("entry_hash", name="uq_journal_entry_entry_hash"),
        sa.ForeignKeyConstraint(
            ["reverses_id"], ["journal_entry.id"], name="fk_journal_entry_reverses"
        ),
        sa.CheckConstraint("id >= 1", name="ck_journal_entry_id"),
        sa.CheckConstraint(
            "reverses_id IS NULL OR reverses_id < id", name="ck_journal_entry_reverses"
        ),
        sa.CheckConstraint(
            "length(key) > 0 AND length(actor) > 0 AND length(reason) > 0",
            name="ck_journal_entry_texts",
        ),
    )
    for column in ("effective_on", "actor"):
        op.create_index(f"ix_journal_entry_{column}", "journal_entry", [column])
    op.create_index("ix_journal_entry_recorded_at", "journal_entry", ["recorded_at", "id"])


def _create_posting() -> None:
    op.create_table(
        "posting",
        sa.Column("id", ID, primary_key=True, autoincrement=True),
        sa.Column("entry_id", sa.BigInteger(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("side", sa.String(6), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("effective_on", sa.Date(), nullable=False),
        sa.Column("debit_total_after", sa.BigInteger(), nullable=False),
        sa.Column("credit_total_after", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_posting"),
        sa.ForeignKeyConstraint(["entry_id"], ["journal_entry.id"], name="fk_posting_entry"),
        sa.ForeignKeyConstraint(
            ["account_id", "currency"],
            ["account.id", "account.currency"],
            name="fk_posting_account_currency",
        ),
        sa.UniqueConstraint("entry_id", "position", name="uq_posting_entry_position"),
        sa.CheckConstraint("side IN ('debit', 'credit')", name="ck_posting_side"),
        sa.CheckConstraint("amount > 0", name="ck_posting_amount_positive"),
        sa.CheckConstraint(
            "debit_total_after >= 0 AND credit_total_after >= 0", name="ck_posting_totals_after"
        ),
    )
    op.create_index("ix_posting_account_effective", "posting", ["account_id", "effective_on"])
    op.create_index("ix_posting_account_entry", "posting", ["account_id", "entry_id", "position"])
    op.create_index("ix_posting_effective_on", "posting", ["effective_on"])


def _create_account_month_balance() -> None:
    op.create_table(
        "account_month_balance",
        sa.Column("account_id", sa.BigInteger(), nullable=False),
        sa.Column("month", sa.Integer(), nullable=False),
        sa.Column("debit_total", sa.BigInteger(), nullable=False),
        sa.Column("credit_total", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("account_id", "month", name="pk_account_month_balance"),
        sa.ForeignKeyConstraint(
            ["account_id"], ["account.id"], name="fk_account_month_balance_account"
        ),
    )
    op.create_index("ix_account_month_balance_month", "account_month_balance", ["month"])


def upgrade() -> None:
    _create_account()
    _create_journal_entry()
    _create_posting()
    _create_account_month_balance()
    run_sql_file("0001_ledger_invariants.up.sql")


def downgrade() -> None:
    run_sql_file("0001_ledger_invariants.down.sql")
    op.drop_table("account_month_balance")
    op.drop_table("posting")
    op.drop_table("journal_entry")
    op.drop_table("account")
