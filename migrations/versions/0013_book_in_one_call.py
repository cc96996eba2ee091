"""One booking of one entry in one round trip on PostgreSQL: regioledger_book_entry locks,
checks, seals and inserts, or writes nothing and lets the booker take its usual path. SQLite
books in process and has nothing to add.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02 07:30:00
"""

from __future__ import annotations

from alembic import op

from migrations.sql_files import run_sql_file

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        run_sql_file("0013_book_in_one_call.up.sql")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        run_sql_file("0013_book_in_one_call.down.sql")
