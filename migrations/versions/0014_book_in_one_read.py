"""regioledger_book_entry reads the accounts of an entry in one statement and inserts its
postings in one, instead of a statement per posting: the same locks, checks and rows, fewer
statements for the server to run per booking. SQLite books in process and has nothing to add.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-02 14:00:00
"""

from __future__ import annotations

from alembic import op

from migrations.sql_files import run_sql_file

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        run_sql_file("0014_book_in_one_read.up.sql")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":  # back to 0013's function, as it was
        run_sql_file("0013_book_in_one_call.down.sql")
        run_sql_file("0013_book_in_one_call.up.sql")
