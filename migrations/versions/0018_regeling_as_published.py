"""A regeling is data as it was published, and a beschikking knows the regeling it was decided
under: the regeling gains the instruments it covers, its period and its SiSa code (null where
none is published); ``beschikking_regeling`` records, at the grant, the regeling each
beschikking was decided under (a SPUK converted from a DU too). Beschikkingen granted before
this revision have no row: they follow their tranche's regeling, as they did. And
``sisa_correction_deadline``: per SiSa year, the last day a correction is made on that year
(the procedure's chapter 3.2), set once with its source. And ``sisa_finding``: the
accountant's fouten en onzekerheden per year, beschikking and indicator. And
``sisa_submitted_year``: each beschikking and year a submission holds, filled from the
submissions made before, which a trigger reads so the database itself keeps a submitted year
frozen (no spending posted in it or before it, but by the SiSa correction procedure).

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-07 01:05:00
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

from migrations.sql_files import run_sql_file

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None

DETAILS = (
    ("instruments", sa.String(length=40)),
    ("starts_on", sa.Date()),
    ("ends_on", sa.Date()),
    ("sisa_code", sa.String(length=20)),
)


def upgrade() -> None:
    for name, kind in DETAILS:
        op.add_column("regeling", sa.Column(name, kind, nullable=True))
    op.create_table(
        "beschikking_regeling",
        sa.Column("nummer", sa.String(length=100), nullable=False),
        sa.Column("regeling", sa.String(length=40), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["nummer"], ["beschikking.nummer"], name=op.f("fk_beschikking_regeling_nummer")
        ),
        sa.ForeignKeyConstraint(
            ["regeling"], ["regeling.code"], name=op.f("fk_beschikking_regeling_regeling")
        ),
        sa.PrimaryKeyConstraint("nummer", name=op.f("pk_beschikking_regeling")),
    )
    op.create_index(op.f("ix_beschikking_regeling_regeling"), "beschikking_regeling", ["regeling"])
    op.create_table(
        "sisa_correction_deadline",
        sa.Column("year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("until", sa.Date(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("year", name=op.f("pk_sisa_correction_deadline")),
    )
    op.create_table(
        "sisa_finding",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("nummer", sa.String(length=100), nullable=False),
        sa.Column("field", sa.String(length=40), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("toelichting", sa.Text(), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("amount >= 0", name=op.f("ck_sisa_finding_amount")),
        sa.CheckConstraint("kind IN ('fout', 'onzekerheid')", name=op.f("ck_sisa_finding_kind")),
        sa.ForeignKeyConstraint(
            ["nummer"], ["beschikking.nummer"], name=op.f("fk_sisa_finding_nummer")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sisa_finding")),
    )
    op.create_index("ix_sisa_finding_year", "sisa_finding", ["year"])
    op.create_table(
        "sisa_submitted_year",
        sa.Column("nummer", sa.String(length=100), nullable=False),
        sa.Column("year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("submission", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["nummer"], ["beschikking.nummer"], name=op.f("fk_sisa_submitted_year_nummer")
        ),
        sa.PrimaryKeyConstraint("nummer", "year", name=op.f("pk_sisa_submitted_year")),
    )
    _fill_submitted_years()
    run_sql_file("0018_regeling_as_published.up.sql")


def _fill_submitted_years() -> None:
    bind = op.get_bind()
    held: dict[tuple[str, int], str] = {}
    for public_id, year, figures in bind.execute(
        sa.text("SELECT public_id, year, figures FROM sisa_submission ORDER BY id")
    ):
        for nummer in json.loads(figures):
            held.setdefault((nummer, int(year)), public_id)
    if held:
        bind.execute(
            sa.text(
                "INSERT INTO sisa_submitted_year (nummer, year, submission) "
                "VALUES (:nummer, :year, :submission)"
            ),
            [{"nummer": n, "year": y, "submission": s} for (n, y), s in held.items()],
        )


def downgrade() -> None:
    run_sql_file("0018_regeling_as_published.down.sql")
    op.drop_index(op.f("ix_beschikking_regeling_regeling"), table_name="beschikking_regeling")
    op.drop_table("beschikking_regeling")
    op.drop_table("sisa_correction_deadline")
    op.drop_index("ix_sisa_finding_year", table_name="sisa_finding")
    op.drop_table("sisa_finding")
    op.drop_table("sisa_submitted_year")
    for name, _ in reversed(DETAILS):
        op.drop_column("regeling", name)
