"""The edges: the first answer's headers kept with an Idempotency-Key; statements get a random
public id (URLs no longer show a counter shared by all regions); tokens move to their own table
with an expiry and a revocation; dashboard sessions live on the server.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 12:00:00
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
#: Tokens made before expiry existed live this long from the migration on.
EXISTING_TOKEN_LIFETIME = timedelta(days=90)
SQLITE_STATEMENT_GUARD = """CREATE TRIGGER statement_no_update BEFORE UPDATE ON statement
BEGIN
    SELECT RAISE(ABORT, 'entry_immutable: UPDATE on statement is refused');
END"""


def upgrade() -> None:
    op.add_column(
        "api_request", sa.Column("headers", sa.Text(), nullable=False, server_default="{}")
    )
    _statement_public_ids()
    _tokens_and_sessions()


def _statement_public_ids() -> None:
    bind = op.get_bind()
    op.add_column(
        "statement", sa.Column("public_id", sa.String(length=64), nullable=False, server_default="")
    )
    ids = [row[0] for row in bind.execute(sa.text("SELECT id FROM statement"))]
    if ids:  # existing statements get their ids once, with the append-only guard lifted for it
        _guard(bind, lifted=True)
        for statement_id in ids:
            bind.execute(
                sa.text("UPDATE statement SET public_id = :p WHERE id = :i"),
                {"p": f"st-{secrets.token_hex(10)}", "i": statement_id},
            )
        _guard(bind, lifted=False)
    op.create_index("uq_statement_public_id", "statement", ["public_id"], unique=True)


def _guard(bind: sa.Connection, *, lifted: bool) -> None:
    if bind.dialect.name == "postgresql":
        bind.exec_driver_sql(
            f"ALTER TABLE statement {'DISABLE' if lifted else 'ENABLE'} TRIGGER statement_append_only"
        )
    elif lifted:
        bind.exec_driver_sql("DROP TRIGGER statement_no_update")
    else:
        bind.exec_driver_sql(SQLITE_STATEMENT_GUARD)


def _tokens_and_sessions() -> None:
    bind = op.get_bind()
    users = bind.execute(sa.text("SELECT id, token_hash FROM api_user")).all()
    with op.batch_alter_table("api_user") as batch:  # nothing refers to api_user yet
        batch.drop_constraint("uq_api_user_token_hash", type_="unique")
        batch.drop_column("token_hash")
    op.create_table(
        "api_token",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_by", sa.String(length=200), nullable=True),
        sa.CheckConstraint("expires_at > issued_at", name=op.f("ck_api_token_lifetime")),
        sa.ForeignKeyConstraint(["user_id"], ["api_user.id"], name=op.f("fk_api_token_user_id")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_token")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_api_token_token_hash")),
    )
    op.create_index(op.f("ix_api_token_user_id"), "api_token", ["user_id"], unique=False)
    now = datetime.now(UTC)
    for user_id, hashed in users:
        bind.execute(
            sa.text(
                "INSERT INTO api_token (user_id, token_hash, issued_at, expires_at) VALUES (:u, :h, :i, :e)"
            ),
            {"u": user_id, "h": hashed, "i": now, "e": now + EXISTING_TOKEN_LIFETIME},
        )
    op.create_table(
        "web_session",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("secret_hash", sa.String(length=64), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["api_user.id"], name=op.f("fk_web_session_user_id")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_web_session")),
        sa.UniqueConstraint("secret_hash", name=op.f("uq_web_session_secret_hash")),
    )
    op.create_index(op.f("ix_web_session_user_id"), "web_session", ["user_id"], unique=False)


def downgrade() -> None:
    bind = op.get_bind()
    hashes = bind.execute(sa.text("SELECT user_id, token_hash FROM api_token ORDER BY id")).all()
    op.drop_index(op.f("ix_web_session_user_id"), table_name="web_session")
    op.drop_table("web_session")
    op.drop_index(op.f("ix_api_token_user_id"), table_name="api_token")
    op.drop_table("api_token")
    with op.batch_alter_table("api_user") as batch:
        batch.add_column(sa.Column("token_hash", sa.String(length=64), nullable=True))
    for user_id, hashed in hashes:  # each user keeps its newest token
        bind.execute(
            sa.text("UPDATE api_user SET token_hash = :h WHERE id = :u"),
            {"h": hashed, "u": user_id},
        )
    bind.execute(sa.text("DELETE FROM api_user WHERE token_hash IS NULL"))
    with op.batch_alter_table("api_user") as batch:
        batch.alter_column("token_hash", existing_type=sa.String(length=64), nullable=False)
        batch.create_unique_constraint("uq_api_user_token_hash", ["token_hash"])
    op.drop_index("uq_statement_public_id", table_name="statement")
    bind.exec_driver_sql(
        "ALTER TABLE statement DROP COLUMN public_id"
    )  # keeps the table's triggers
    op.drop_column("api_request", "headers")
