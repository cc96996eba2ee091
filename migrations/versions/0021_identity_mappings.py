"""Who is who, as data: ``identity_mapping`` maps an identity at an identity provider (issuer and
subject, or a group) to a role and organisation, or revokes it; each row with who and why.
Append-only, like every table.

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-07 16:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from migrations.sql_files import run_sql_file

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "identity_mapping",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("issuer", sa.String(length=500), nullable=False),
        sa.Column("subject", sa.String(length=500), nullable=True),
        sa.Column("group_name", sa.String(length=500), nullable=True),
        sa.Column("role", sa.String(length=10), nullable=True),
        sa.Column("organisation", sa.String(length=100), nullable=True),
        sa.Column("revoked", sa.Boolean(), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "(subject IS NULL) <> (group_name IS NULL)",
            name=op.f("ck_identity_mapping_subject_or_group"),
        ),
        sa.CheckConstraint(
            "revoked OR role IN ('finance', 'region', 'auditor')",
            name=op.f("ck_identity_mapping_role_unless_revoked"),
        ),
        sa.CheckConstraint(
            "revoked OR role <> 'region' OR organisation IS NOT NULL",
            name=op.f("ck_identity_mapping_region_organisation"),
        ),
        sa.ForeignKeyConstraint(
            ["organisation"],
            ["organisation.code"],
            name=op.f("fk_identity_mapping_organisation"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_identity_mapping")),
    )
    op.create_index(
        "ix_identity_mapping_who", "identity_mapping", ["issuer", "subject", "group_name"]
    )
    run_sql_file("0021_identity_mappings.up.sql")


def downgrade() -> None:
    run_sql_file("0021_identity_mappings.down.sql")
    op.drop_index("ix_identity_mapping_who", table_name="identity_mapping")
    op.drop_table("identity_mapping")
