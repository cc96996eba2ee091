"""Codes are one record whatever their letter case: a unique index on the lower-cased code of
every table whose rows are named by a code (organisations, envelopes, tranches, reservations,
deals and their programme lines, beschikkingen, regelingen, API users), on both dialects. Before
it, ``X-1`` and ``x-1`` could be two beschikkingen of one deal, and a ministry file that wrote
the nummer in lower case matched neither. The upgrade first names any codes that already differ
only in case, and stops.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-06 21:40:00
"""

from __future__ import annotations

from alembic import op
from sqlalchemy import text

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

#: Each index: its table and the columns of its key (the code lower-cased; a programme line's
#: code within its deal).
FOLDED = {
    "uq_organisation_code_folded": ("organisation", "lower(code)"),
    "uq_envelope_code_folded": ("envelope", "lower(code)"),
    "uq_tranche_code_folded": ("tranche", "lower(code)"),
    "uq_reservation_code_folded": ("reservation", "lower(code)"),
    "uq_deal_code_folded": ("deal", "lower(code)"),
    "uq_programme_line_code_folded": ("programme_line", "deal, lower(code)"),
    "uq_beschikking_nummer_folded": ("beschikking", "lower(nummer)"),
    "uq_regeling_code_folded": ("regeling", "lower(code)"),
    "uq_api_user_name_folded": ("api_user", "lower(name)"),
}


def upgrade() -> None:
    bind = op.get_bind()
    clashes = []
    for table, key in FOLDED.values():
        rows = bind.execute(
            text(f"SELECT {key} AS folded FROM {table} GROUP BY {key} HAVING count(*) > 1 LIMIT 5")
        ).all()
        clashes += [f"{table} {row.folded}" for row in rows]
    if clashes:
        raise RuntimeError(
            "codes that differ only in letter case: "
            + ", ".join(clashes)
            + ". Each must be one record: have them examined and merged by a correction before "
            "this upgrade"
        )
    for name, (table, key) in FOLDED.items():
        op.execute(f"CREATE UNIQUE INDEX {name} ON {table} ({key})")


def downgrade() -> None:
    for name in FOLDED:
        op.execute(f"DROP INDEX {name}")
