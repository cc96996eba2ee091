"""Reconciliations: the ministry's own record matched against the ledger, kept as it was
answered (the file whole, with its SHA-256; the answer as JSON). Append-only: a reconciliation
is never changed, only made again.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01 17:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from migrations.sql_files import run_sql_file

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "reconciliation",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("public_id", sa.String(length=64), nullable=False),
        sa.Column("made_by", sa.String(length=200), nullable=False),
        sa.Column("made_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("filename", sa.Text(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("answer", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reconciliation")),
    )
    op.create_index("uq_reconciliation_public_id", "reconciliation", ["public_id"], unique=True)
    run_sql_file("0011_reconciliations.up.sql")


def downgrade() -> None:
    run_sql_file("0011_reconciliations.down.sql")
    op.drop_index("uq_reconciliation_public_id", table_name="reconciliation")
    op.drop_table("reconciliation")
