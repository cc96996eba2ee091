"""After eindverantwoording nothing more is spent: the database refuses a credit posting to a
spent account of a beschikking with a final event (until now only the application did).

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-22 23:30:00
"""

from __future__ import annotations

from migrations.sql_files import run_sql_file

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    run_sql_file("0007_spending_after_final.up.sql")


def downgrade() -> None:
    run_sql_file("0007_spending_after_final.down.sql")
