"""SiSa: the annex definition per reporting year, and every export with the figures it
showed; append-only.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22 20:06:22.309153
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from migrations.sql_files import run_sql_file

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sisa_annex",
        sa.Column("year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("year", name=op.f("pk_sisa_annex")),
    )
    op.create_table(
        "sisa_export",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("instrument", sa.String(length=4), nullable=False),
        sa.Column("recipient", sa.String(length=100), nullable=True),
        sa.Column("exported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("exported_by", sa.String(length=200), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("figures", sa.Text(), nullable=False),
        sa.CheckConstraint("instrument IN ('SPUK', 'BU')", name=op.f("ck_sisa_export_instrument")),
        sa.ForeignKeyConstraint(["year"], ["sisa_annex.year"], name=op.f("fk_sisa_export_year")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sisa_export")),
    )
    op.create_index(op.f("ix_sisa_export_year"), "sisa_export", ["year"], unique=False)
    op.create_table(
        "sisa_indicator",
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=4), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("aard_controle", sa.String(length=8), nullable=False),
        sa.Column("field", sa.String(length=40), nullable=False),
        sa.CheckConstraint(
            "aard_controle IN ('R', 'n.v.t.')", name=op.f("ck_sisa_indicator_aard_controle")
        ),
        sa.ForeignKeyConstraint(["year"], ["sisa_annex.year"], name=op.f("fk_sisa_indicator_year")),
        sa.PrimaryKeyConstraint("year", "number", name="pk_sisa_indicator"),
    )
    run_sql_file("0004_sisa.up.sql")


def downgrade() -> None:
    run_sql_file("0004_sisa.down.sql")
    op.drop_table("sisa_indicator")
    op.drop_index(op.f("ix_sisa_export_year"), table_name="sisa_export")
    op.drop_table("sisa_export")
    op.drop_table("sisa_annex")
