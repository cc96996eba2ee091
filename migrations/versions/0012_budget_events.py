"""Budget events that are no tranche budget: envelope money set aside for a purpose that is no
deal (tranche 1's Petten allocation, the programme's uitvoeringskosten), and a transfer between
budget articles that moves no envelope money (Voorjaarsnota 2024), and the part of a
reservation that goes back to its tranche. Append-only, like the rest.
A published figure says whether its source gives a date (``dated``).

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01 20:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from migrations.sql_files import run_sql_file

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "budget_event",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("envelope", sa.String(length=100), nullable=False),
        sa.Column("tranche", sa.String(length=100), nullable=True),
        sa.Column("purpose", sa.String(length=100), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("effective_on", sa.Date(), nullable=False),
        sa.Column("entry_id", sa.BigInteger(), nullable=False),
        sa.CheckConstraint(
            "kind IN ('set_aside', 'article_transfer', 'reserve_release')",
            name=op.f("ck_budget_event_kind"),
        ),
        sa.CheckConstraint("amount > 0", name=op.f("ck_budget_event_amount")),
        sa.CheckConstraint(
            "kind = 'set_aside' OR tranche IS NOT NULL",
            name=op.f("ck_budget_event_tranche"),
        ),
        sa.ForeignKeyConstraint(
            ["envelope"], ["envelope.code"], name=op.f("fk_budget_event_envelope_envelope")
        ),
        sa.ForeignKeyConstraint(
            ["tranche"], ["tranche.code"], name=op.f("fk_budget_event_tranche_tranche")
        ),
        sa.ForeignKeyConstraint(
            ["entry_id"], ["journal_entry.id"], name=op.f("fk_budget_event_entry_id_journal_entry")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_budget_event")),
        sa.UniqueConstraint("key", name=op.f("uq_budget_event_key")),
    )
    run_sql_file("0012_budget_events.up.sql")
    op.add_column(
        "published_figure",
        sa.Column("dated", sa.Boolean(), nullable=False, server_default=sa.true()),
    )


def downgrade() -> None:
    op.execute("ALTER TABLE published_figure DROP COLUMN dated")  # SQLite 3.35 and later
    run_sql_file("0012_budget_events.down.sql")
    op.drop_table("budget_event")
