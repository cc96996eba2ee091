"""A spending account names one of the four funding sources: the database refuses any other
account code with ``:spent:`` in it. SiSa reads the source from the end of the code twice (the
account totals by suffix, the postings check with in kind as the rest); an account with an
unknown suffix would make the two disagree, so it is refused where it would be opened. The
upgrade first checks that no such account exists already, and names it if one does.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-03 13:00:00
"""

from __future__ import annotations

from alembic import op
from sqlalchemy import text

from migrations.sql_files import run_sql_file

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

SOURCES = ("rijk", "cofinanciering_publiek", "cofinanciering_privaat", "in_natura")
#: A spending account's code ends in ``:spent:YEAR:SOURCE``, YEAR its own year column, exactly
#: (GLOB and the regular expression are case-sensitive and take ``_`` as itself).
NAMES_A_SOURCE = {
    "sqlite": "(" + " OR ".join(f"code GLOB '*:spent:' || year || ':{s}'" for s in SOURCES) + ")",
    "postgresql": f"code ~ (':spent:' || year || ':({'|'.join(SOURCES)})$')",
}


def upgrade() -> None:
    bind = op.get_bind()
    rule = NAMES_A_SOURCE[bind.dialect.name]
    refused = (
        f"SELECT code FROM account WHERE code LIKE '%:spent:%' AND (year IS NULL OR NOT {rule}) "
        "ORDER BY code LIMIT 5"
    )
    found = [row.code for row in bind.execute(text(refused.replace(":", r"\:")))]  # no binds
    if found:
        raise RuntimeError(
            f"spending accounts whose code does not end in their year and a known funding source: "
            f"{', '.join(found)}. regioledger opens none such, so this ledger was written by other "
            "means: restore it from a backup, or have it examined, before this upgrade"
        )
    run_sql_file("0016_spent_account_source.up.sql")


def downgrade() -> None:
    run_sql_file("0016_spent_account_source.down.sql")
