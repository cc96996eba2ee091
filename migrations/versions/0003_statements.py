"""Spending statements: the uploaded files with their outcome, and the lines of booked ones;
both append-only.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22 19:57:16.709977
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from migrations.sql_files import run_sql_file

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "statement",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("beschikking", sa.String(length=100), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("filename", sa.Text(), nullable=False),
        sa.Column("uploaded_by", sa.String(length=200), nullable=False),
        sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("outcome", sa.String(length=10), nullable=False),
        sa.Column("problems", sa.Text(), nullable=True),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("line_count", sa.Integer(), nullable=False),
        sa.Column("entry_id", sa.BigInteger(), nullable=True),
        sa.Column("in_kind_entry_id", sa.BigInteger(), nullable=True),
        sa.Column("replaces_id", sa.BigInteger(), nullable=True),
        sa.Column("reversal_entry_id", sa.BigInteger(), nullable=True),
        sa.CheckConstraint(
            "(outcome = 'booked') = (entry_id IS NOT NULL OR in_kind_entry_id IS NOT NULL)",
            name=op.f("ck_statement_booking"),
        ),
        sa.CheckConstraint("outcome IN ('booked', 'refused')", name=op.f("ck_statement_outcome")),
        sa.ForeignKeyConstraint(
            ["beschikking"], ["beschikking.nummer"], name=op.f("fk_statement_beschikking")
        ),
        sa.ForeignKeyConstraint(
            ["entry_id"], ["journal_entry.id"], name=op.f("fk_statement_entry_id")
        ),
        sa.ForeignKeyConstraint(
            ["in_kind_entry_id"], ["journal_entry.id"], name=op.f("fk_statement_in_kind_entry_id")
        ),
        sa.ForeignKeyConstraint(
            ["replaces_id"], ["statement.id"], name=op.f("fk_statement_replaces_id")
        ),
        sa.ForeignKeyConstraint(
            ["reversal_entry_id"], ["journal_entry.id"], name=op.f("fk_statement_reversal_entry_id")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_statement")),
        sa.UniqueConstraint("replaces_id", name=op.f("uq_statement_replaces_id")),
    )
    op.create_index(
        "ix_statement_beschikking_year", "statement", ["beschikking", "year"], unique=False
    )
    op.create_table(
        "statement_line",
        sa.Column("statement_id", sa.BigInteger(), nullable=False),
        sa.Column("row_number", sa.Integer(), nullable=False),
        sa.Column("spent_on", sa.Date(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("source", sa.String(length=30), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("partner", sa.Text(), nullable=True),
        sa.Column("programme_line", sa.String(length=200), nullable=True),
        sa.Column("project", sa.Text(), nullable=True),
        sa.Column("reference", sa.String(length=200), nullable=True),
        sa.Column("explanation", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "source IN ('rijk', 'cofinanciering_publiek', 'cofinanciering_privaat', 'in_natura')",
            name=op.f("ck_statement_line_source"),
        ),
        sa.CheckConstraint("amount <> 0", name=op.f("ck_statement_line_amount")),
        sa.ForeignKeyConstraint(
            ["statement_id"], ["statement.id"], name=op.f("fk_statement_line_statement_id")
        ),
        sa.PrimaryKeyConstraint("statement_id", "row_number", name="pk_statement_line"),
    )
    run_sql_file("0003_statements.up.sql")


def downgrade() -> None:
    run_sql_file("0003_statements.down.sql")
    op.drop_table("statement_line")
    op.drop_index("ix_statement_beschikking_year", table_name="statement")
    op.drop_table("statement")
