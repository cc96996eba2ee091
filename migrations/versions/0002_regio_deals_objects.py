"""The Regio Deals objects: organisations, envelopes, tranches, reservations, budget
changes, deals with programme lines and pledges, beschikkingen and their events, and the
published figures; all append-only, with the recipient and partner rules in triggers.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from migrations.sql_files import run_sql_file

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "envelope",
        sa.Column("code", sa.String(length=100), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("source_document", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "amount > 0 AND ends_on >= starts_on", name=op.f("ck_envelope_amount_period")
        ),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_envelope")),
    )
    op.create_table(
        "organisation",
        sa.Column("code", sa.String(length=100), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("type", sa.String(length=30), nullable=False),
        sa.CheckConstraint(
            "type IN ('gemeente', 'provincie', 'wgr', 'openbaar_lichaam_bes', 'waterschap', 'rijk', 'publiek', 'privaat')",
            name=op.f("ck_organisation_type"),
        ),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_organisation")),
    )
    op.create_table(
        "published_figure",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("published_on", sa.Date(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_published_figure")),
        sa.UniqueConstraint("kind", "key", "published_on", name="uq_published_figure_kind"),
    )
    op.create_table(
        "tranche",
        sa.Column("code", sa.String(length=100), nullable=False),
        sa.Column("envelope", sa.String(length=100), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.ForeignKeyConstraint(["envelope"], ["envelope.code"], name=op.f("fk_tranche_envelope")),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_tranche")),
    )
    op.create_table(
        "reservation",
        sa.Column("code", sa.String(length=100), nullable=False),
        sa.Column("tranche", sa.String(length=100), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.ForeignKeyConstraint(["tranche"], ["tranche.code"], name=op.f("fk_reservation_tranche")),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_reservation")),
    )
    op.create_table(
        "budget_change",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("envelope", sa.String(length=100), nullable=False),
        sa.Column("from_tranche", sa.String(length=100), nullable=True),
        sa.Column("to_tranche", sa.String(length=100), nullable=True),
        sa.Column("reservation", sa.String(length=100), nullable=True),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("effective_on", sa.Date(), nullable=False),
        sa.Column("entry_id", sa.BigInteger(), nullable=False),
        sa.CheckConstraint(
            "kind IN ('fund', 'allocate', 'shift', 'add', 'reserve')",
            name=op.f("ck_budget_change_kind"),
        ),
        sa.CheckConstraint("amount > 0", name=op.f("ck_budget_change_amount")),
        sa.ForeignKeyConstraint(
            ["entry_id"], ["journal_entry.id"], name=op.f("fk_budget_change_entry_id")
        ),
        sa.ForeignKeyConstraint(
            ["envelope"], ["envelope.code"], name=op.f("fk_budget_change_envelope")
        ),
        sa.ForeignKeyConstraint(
            ["from_tranche"], ["tranche.code"], name=op.f("fk_budget_change_from_tranche")
        ),
        sa.ForeignKeyConstraint(
            ["reservation"], ["reservation.code"], name=op.f("fk_budget_change_reservation")
        ),
        sa.ForeignKeyConstraint(
            ["to_tranche"], ["tranche.code"], name=op.f("fk_budget_change_to_tranche")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_budget_change")),
        sa.UniqueConstraint("key", name=op.f("uq_budget_change_key")),
    )
    op.create_index(
        "ix_budget_change_effective_on", "budget_change", ["effective_on"], unique=False
    )
    op.create_table(
        "deal",
        sa.Column("code", sa.String(length=100), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("tranche", sa.String(length=100), nullable=False),
        sa.Column("reservation", sa.String(length=100), nullable=True),
        sa.Column("rijksbijdrage", sa.BigInteger(), nullable=False),
        sa.Column("signed_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("cofinancing_exception", sa.Text(), nullable=True),
        sa.Column("entry_id", sa.BigInteger(), nullable=False),
        sa.CheckConstraint(
            "rijksbijdrage > 0 AND ends_on >= signed_on", name=op.f("ck_deal_amount_period")
        ),
        sa.ForeignKeyConstraint(["entry_id"], ["journal_entry.id"], name=op.f("fk_deal_entry_id")),
        sa.ForeignKeyConstraint(
            ["reservation"], ["reservation.code"], name=op.f("fk_deal_reservation")
        ),
        sa.ForeignKeyConstraint(["tranche"], ["tranche.code"], name=op.f("fk_deal_tranche")),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_deal")),
    )
    op.create_index(op.f("ix_deal_tranche"), "deal", ["tranche"], unique=False)
    op.create_table(
        "beschikking",
        sa.Column("nummer", sa.String(length=100), nullable=False),
        sa.Column("deal", sa.String(length=100), nullable=False),
        sa.Column("instrument", sa.String(length=4), nullable=False),
        sa.Column("recipient", sa.String(length=100), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("eur_commitment", sa.BigInteger(), nullable=False),
        sa.Column("usd_per_eur", sa.String(length=40), nullable=True),
        sa.Column("decided_on", sa.Date(), nullable=False),
        sa.Column("spending_starts_on", sa.Date(), nullable=False),
        sa.Column("spending_ends_on", sa.Date(), nullable=False),
        sa.Column("converted_from", sa.String(length=100), nullable=True),
        sa.Column("entry_id", sa.BigInteger(), nullable=False),
        sa.CheckConstraint(
            "currency = 'EUR' OR (instrument = 'BU' AND currency = 'USD')",
            name=op.f("ck_beschikking_currency"),
        ),
        sa.CheckConstraint(
            "currency = 'EUR' OR usd_per_eur IS NOT NULL", name=op.f("ck_beschikking_rate")
        ),
        sa.CheckConstraint(
            "instrument IN ('SPUK', 'DU', 'BU')", name=op.f("ck_beschikking_instrument")
        ),
        sa.CheckConstraint(
            "amount > 0 AND eur_commitment > 0", name=op.f("ck_beschikking_amounts")
        ),
        sa.CheckConstraint(
            "spending_ends_on >= spending_starts_on", name=op.f("ck_beschikking_period")
        ),
        sa.ForeignKeyConstraint(
            ["converted_from"], ["beschikking.nummer"], name=op.f("fk_beschikking_converted_from")
        ),
        sa.ForeignKeyConstraint(["deal"], ["deal.code"], name=op.f("fk_beschikking_deal")),
        sa.ForeignKeyConstraint(
            ["entry_id"], ["journal_entry.id"], name=op.f("fk_beschikking_entry_id")
        ),
        sa.ForeignKeyConstraint(
            ["recipient"], ["organisation.code"], name=op.f("fk_beschikking_recipient")
        ),
        sa.PrimaryKeyConstraint("nummer", name=op.f("pk_beschikking")),
        sa.UniqueConstraint("converted_from", name=op.f("uq_beschikking_converted_from")),
    )
    op.create_index(op.f("ix_beschikking_deal"), "beschikking", ["deal"], unique=False)
    op.create_index(op.f("ix_beschikking_recipient"), "beschikking", ["recipient"], unique=False)
    op.create_table(
        "pledge",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("deal", sa.String(length=100), nullable=False),
        sa.Column("partner", sa.String(length=100), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.CheckConstraint("kind IN ('cash', 'in_kind')", name=op.f("ck_pledge_kind")),
        sa.CheckConstraint("amount > 0", name=op.f("ck_pledge_amount")),
        sa.ForeignKeyConstraint(["deal"], ["deal.code"], name=op.f("fk_pledge_deal")),
        sa.ForeignKeyConstraint(["partner"], ["organisation.code"], name=op.f("fk_pledge_partner")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pledge")),
    )
    op.create_index(op.f("ix_pledge_deal"), "pledge", ["deal"], unique=False)
    op.create_table(
        "programme_line",
        sa.Column("deal", sa.String(length=100), nullable=False),
        sa.Column("code", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(["deal"], ["deal.code"], name=op.f("fk_programme_line_deal")),
        sa.PrimaryKeyConstraint("deal", "code", name=op.f("pk_programme_line")),
    )
    op.create_table(
        "beschikking_event",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("beschikking", sa.String(length=100), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("effective_on", sa.Date(), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=True),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.Column("source", sa.String(length=30), nullable=True),
        sa.Column("partner", sa.String(length=100), nullable=True),
        sa.Column("programme_line", sa.String(length=100), nullable=True),
        sa.Column("new_end_on", sa.Date(), nullable=True),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("entry_id", sa.BigInteger(), nullable=True),
        sa.CheckConstraint(
            "(kind IN ('extension', 'final', 'toelichting')) = (entry_id IS NULL)",
            name=op.f("ck_beschikking_event_booking"),
        ),
        sa.CheckConstraint(
            "kind <> 'extension' OR new_end_on IS NOT NULL",
            name=op.f("ck_beschikking_event_extension"),
        ),
        sa.CheckConstraint(
            "kind <> 'spending' OR (source IS NOT NULL AND year IS NOT NULL)",
            name=op.f("ck_beschikking_event_spending"),
        ),
        sa.CheckConstraint(
            "kind IN ('grant', 'payment', 'spending', 'settlement', 'repayment', 'extension', 'release', 'final', 'toelichting')",
            name=op.f("ck_beschikking_event_kind"),
        ),
        sa.CheckConstraint(
            "source IS NULL OR source IN ('rijk', 'cofinanciering_publiek', 'cofinanciering_privaat', 'in_natura')",
            name=op.f("ck_beschikking_event_source"),
        ),
        sa.ForeignKeyConstraint(
            ["beschikking"], ["beschikking.nummer"], name=op.f("fk_beschikking_event_beschikking")
        ),
        sa.ForeignKeyConstraint(
            ["entry_id"], ["journal_entry.id"], name=op.f("fk_beschikking_event_entry_id")
        ),
        sa.ForeignKeyConstraint(
            ["partner"], ["organisation.code"], name=op.f("fk_beschikking_event_partner")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_beschikking_event")),
        sa.UniqueConstraint("key", name=op.f("uq_beschikking_event_key")),
    )
    op.create_index(
        "ix_beschikking_event_beschikking_kind",
        "beschikking_event",
        ["beschikking", "kind"],
        unique=False,
    )
    run_sql_file("0002_regio_invariants.up.sql")


def downgrade() -> None:
    run_sql_file("0002_regio_invariants.down.sql")
    op.drop_index("ix_beschikking_event_beschikking_kind", table_name="beschikking_event")
    op.drop_table("beschikking_event")
    op.drop_table("programme_line")
    op.drop_index(op.f("ix_pledge_deal"), table_name="pledge")
    op.drop_table("pledge")
    op.drop_index(op.f("ix_beschikking_recipient"), table_name="beschikking")
    op.drop_index(op.f("ix_beschikking_deal"), table_name="beschikking")
    op.drop_table("beschikking")
    op.drop_index(op.f("ix_deal_tranche"), table_name="deal")
    op.drop_table("deal")
    op.drop_index("ix_budget_change_effective_on", table_name="budget_change")
    op.drop_table("budget_change")
    op.drop_table("reservation")
    op.drop_table("tranche")
    op.drop_table("published_figure")
    op.drop_table("organisation")
    op.drop_table("envelope")
