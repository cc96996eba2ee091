"""Users of the HTTP API: name, role, organisation (for regions), and the SHA-256 of their
bearer token (the token itself is never stored).

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22 20:46:37.511430
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "api_user",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=10), nullable=False),
        sa.Column("organisation", sa.String(length=100), nullable=True),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "role <> 'region' OR organisation IS NOT NULL",
            name=op.f("ck_api_user_region_organisation"),
        ),
        sa.CheckConstraint(
            "role IN ('finance', 'region', 'auditor')", name=op.f("ck_api_user_role")
        ),
        sa.ForeignKeyConstraint(
            ["organisation"], ["organisation.code"], name=op.f("fk_api_user_organisation")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_user")),
        sa.UniqueConstraint("name", name=op.f("uq_api_user_name")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_api_user_token_hash")),
    )


def downgrade() -> None:
    op.drop_table("api_user")
