"""Signing in to the dashboard through an identity provider: ``oidc_login`` holds a sign-in that
has begun (its state, nonce and PKCE verifier, bound to the browser by a secret's hash) until it
is taken once; ``oidc_session`` is the dashboard session such a sign-in starts, with the claims
that place its user and the ID token for signing out at the provider.

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-07 18:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None


def _id() -> sa.Column:
    return sa.Column(
        "id",
        sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
        autoincrement=True,
        nullable=False,
    )


def upgrade() -> None:
    op.create_table(
        "oidc_login",
        _id(),
        sa.Column("binding_hash", sa.String(length=64), nullable=False),
        sa.Column("state", sa.String(length=100), nullable=False),
        sa.Column("nonce", sa.String(length=100), nullable=False),
        sa.Column("code_verifier", sa.String(length=128), nullable=False),
        sa.Column("issuer", sa.String(length=500), nullable=False),
        sa.Column("lang", sa.String(length=5), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_oidc_login")),
        sa.UniqueConstraint("binding_hash", name=op.f("uq_oidc_login_binding_hash")),
        sa.UniqueConstraint("state", name=op.f("uq_oidc_login_state")),
    )
    op.create_table(
        "oidc_session",
        _id(),
        sa.Column("secret_hash", sa.String(length=64), nullable=False),
        sa.Column("issuer", sa.String(length=500), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("claims", sa.Text(), nullable=False),
        sa.Column("id_token", sa.Text(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_oidc_session")),
        sa.UniqueConstraint("secret_hash", name=op.f("uq_oidc_session_secret_hash")),
    )


def downgrade() -> None:
    op.drop_table("oidc_session")
    op.drop_table("oidc_login")
