"""Limits hold on every effective date: the booker's lock function also returns, per account,
the effective date of its last posting (PostgreSQL; SQLite reads it in-process).

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 13:00:00
"""

from __future__ import annotations

from migrations.sql_files import run_sql_file

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    run_sql_file("0009_limits_over_time.up.sql")


def downgrade() -> None:
    run_sql_file("0009_limits_over_time.down.sql")
