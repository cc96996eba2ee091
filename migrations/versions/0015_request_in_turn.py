"""An API write queues for the journal lock and looks its Idempotency-Key up in one round trip
on PostgreSQL (regioledger_request_in_turn): the same lock and the same read, in that order.
SQLite's write transaction holds the lock already and reads in process: nothing to add.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-03 07:00:00
"""

from __future__ import annotations

from alembic import op

from migrations.sql_files import run_sql_file

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        run_sql_file("0015_request_in_turn.up.sql")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        run_sql_file("0015_request_in_turn.down.sql")
