"""Payment schedules (kasritme): ``payment_schedule`` (a beschikking's schedule as set on a day,
replacing the one before it from then, with who, why and on which source) and
``payment_schedule_advance`` (its planned advances). Append-only, like every table.

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-07 15:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from migrations.sql_files import run_sql_file

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "payment_schedule",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("nummer", sa.String(length=100), nullable=False),
        sa.Column("effective_on", sa.Date(), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("source", sa.Text(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["nummer"], ["beschikking.nummer"], name=op.f("fk_payment_schedule_nummer")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payment_schedule")),
        sa.UniqueConstraint("key", name=op.f("uq_payment_schedule_key")),
    )
    op.create_index(op.f("ix_payment_schedule_nummer"), "payment_schedule", ["nummer"])
    op.create_table(
        "payment_schedule_advance",
        sa.Column("schedule_id", sa.BigInteger(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.CheckConstraint("amount > 0", name=op.f("ck_payment_schedule_advance_amount")),
        sa.ForeignKeyConstraint(
            ["schedule_id"],
            ["payment_schedule.id"],
            name=op.f("fk_payment_schedule_advance_schedule_id"),
        ),
        sa.PrimaryKeyConstraint("schedule_id", "due_on", name=op.f("pk_payment_schedule_advance")),
    )
    run_sql_file("0020_payment_schedules.up.sql")


def downgrade() -> None:
    run_sql_file("0020_payment_schedules.down.sql")
    op.drop_table("payment_schedule_advance")
    op.drop_index(op.f("ix_payment_schedule_nummer"), table_name="payment_schedule")
    op.drop_table("payment_schedule")
