"""Integrity: corrections through the domain (``amendment``), regelingen and which tranche
follows which, annex definitions entered per regeling and year, explicit SiSa submissions; the
departementale overboeking (DO) as an instrument, who may receive what per instrument, a BU
always in US dollars; and the SiSa correction procedure as the one way to correct a final year.

On SQLite the ``beschikking`` table is rebuilt for its new rules (SQLite cannot change a CHECK
constraint in place): with foreign keys off, as SQLite prescribes, and its triggers made anew.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01 14:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from migrations.sql_files import run_sql_file

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
AMENDMENT_KINDS = (
    "deal_amendment",
    "deal_withdrawal",
    "deal_extension",
    "beschikking_amendment",
    "payment_correction",
    "statement_withdrawal",
    "sisa_correction",
)
SOURCES = ("rijk", "cofinanciering_publiek", "cofinanciering_privaat", "in_natura")


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def beschikking_table(instruments: tuple[str, ...], currency_rule: str) -> sa.Table:
    """The beschikking table as it is after (or before) this revision, to rebuild it from."""
    return sa.Table(
        "beschikking",
        sa.MetaData(),
        sa.Column("nummer", sa.String(length=100), nullable=False),
        sa.Column("deal", sa.String(length=100), nullable=False),
        sa.Column("instrument", sa.String(length=4), nullable=False),
        sa.Column("recipient", sa.String(length=100), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("eur_commitment", sa.BigInteger(), nullable=False),
        sa.Column("usd_per_eur", sa.String(length=40), nullable=True),
        sa.Column("decided_on", sa.Date(), nullable=False),
        sa.Column("spending_starts_on", sa.Date(), nullable=False),
        sa.Column("spending_ends_on", sa.Date(), nullable=False),
        sa.Column("converted_from", sa.String(length=100), nullable=True),
        sa.Column("entry_id", sa.BigInteger(), nullable=False),
        sa.CheckConstraint(currency_rule, name="ck_beschikking_currency"),
        sa.CheckConstraint(
            "currency = 'EUR' OR usd_per_eur IS NOT NULL", name="ck_beschikking_rate"
        ),
        sa.CheckConstraint(_in("instrument", instruments), name="ck_beschikking_instrument"),
        sa.CheckConstraint("amount > 0 AND eur_commitment > 0", name="ck_beschikking_amounts"),
        sa.CheckConstraint("spending_ends_on >= spending_starts_on", name="ck_beschikking_period"),
        sa.ForeignKeyConstraint(
            ["converted_from"], ["beschikking.nummer"], name="fk_beschikking_converted_from"
        ),
        sa.ForeignKeyConstraint(["deal"], ["deal.code"], name="fk_beschikking_deal"),
        sa.ForeignKeyConstraint(["entry_id"], ["journal_entry.id"], name="fk_beschikking_entry_id"),
        sa.ForeignKeyConstraint(
            ["recipient"], ["organisation.code"], name="fk_beschikking_recipient"
        ),
        sa.PrimaryKeyConstraint("nummer", name="pk_beschikking"),
        sa.UniqueConstraint("converted_from", name="uq_beschikking_converted_from"),
        sa.Index("ix_beschikking_deal", "deal"),
        sa.Index("ix_beschikking_recipient", "recipient"),
    )


NEW_BESCHIKKING = (("SPUK", "DU", "BU", "DO"), "(instrument = 'BU') = (currency = 'USD')")
OLD_BESCHIKKING = (
    ("SPUK", "DU", "BU"),
    "currency = 'EUR' OR (instrument = 'BU' AND currency = 'USD')",
)


def upgrade() -> None:
    _create_tables()
    if op.get_bind().dialect.name == "sqlite":
        _rebuild_beschikking(*NEW_BESCHIKKING)
    run_sql_file("0010_integrity.up.sql")


def _rebuild_beschikking(instruments: tuple[str, ...], currency_rule: str) -> None:
    """SQLite: drops the table's triggers with it; ``0010_integrity.*.sql`` makes them again."""
    with op.batch_alter_table(
        "beschikking", recreate="always", copy_from=beschikking_table(instruments, currency_rule)
    ):
        pass


def _create_tables() -> None:
    op.create_table(
        "regeling",
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("ministry", sa.String(length=100), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_regeling")),
    )
    op.create_table(
        "tranche_regeling",
        sa.Column("tranche", sa.String(length=100), nullable=False),
        sa.Column("regeling", sa.String(length=40), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["regeling"], ["regeling.code"], name=op.f("fk_tranche_regeling_regeling")
        ),
        sa.ForeignKeyConstraint(
            ["tranche"], ["tranche.code"], name=op.f("fk_tranche_regeling_tranche")
        ),
        sa.PrimaryKeyConstraint("tranche", name=op.f("pk_tranche_regeling")),
    )
    _create_amendment()
    _create_sisa_tables()


def _create_amendment() -> None:
    op.create_table(
        "amendment",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("deal", sa.String(length=100), nullable=True),
        sa.Column("beschikking", sa.String(length=100), nullable=True),
        sa.Column("statement_id", sa.BigInteger(), nullable=True),
        sa.Column("corrects_event_id", sa.BigInteger(), nullable=True),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.Column("source", sa.String(length=30), nullable=True),
        sa.Column("amount", sa.BigInteger(), nullable=True),
        sa.Column("eur_amount", sa.BigInteger(), nullable=True),
        sa.Column("new_ends_on", sa.Date(), nullable=True),
        sa.Column("effective_on", sa.Date(), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("entry_id", sa.BigInteger(), nullable=True),
        sa.Column("in_kind_entry_id", sa.BigInteger(), nullable=True),
        sa.CheckConstraint(_in("kind", AMENDMENT_KINDS), name=op.f("ck_amendment_kind")),
        sa.CheckConstraint(
            "kind NOT LIKE 'deal_%' OR deal IS NOT NULL", name=op.f("ck_amendment_deal")
        ),
        sa.CheckConstraint(
            "kind NOT IN ('beschikking_amendment', 'payment_correction', 'sisa_correction') OR beschikking IS NOT NULL",
            name=op.f("ck_amendment_beschikking"),
        ),
        sa.CheckConstraint(
            "kind <> 'payment_correction' OR corrects_event_id IS NOT NULL",
            name=op.f("ck_amendment_corrects"),
        ),
        sa.CheckConstraint(
            "kind <> 'statement_withdrawal' OR statement_id IS NOT NULL",
            name=op.f("ck_amendment_statement"),
        ),
        sa.CheckConstraint(
            "kind <> 'deal_extension' OR new_ends_on IS NOT NULL",
            name=op.f("ck_amendment_extension"),
        ),
        sa.CheckConstraint(
            "(kind = 'deal_extension') = (entry_id IS NULL AND in_kind_entry_id IS NULL)",
            name=op.f("ck_amendment_booking"),
        ),
        sa.CheckConstraint(
            f"source IS NULL OR {_in('source', SOURCES)}", name=op.f("ck_amendment_source")
        ),
        sa.ForeignKeyConstraint(
            ["beschikking"], ["beschikking.nummer"], name=op.f("fk_amendment_beschikking")
        ),
        sa.ForeignKeyConstraint(
            ["corrects_event_id"],
            ["beschikking_event.id"],
            name=op.f("fk_amendment_corrects_event_id"),
        ),
        sa.ForeignKeyConstraint(["deal"], ["deal.code"], name=op.f("fk_amendment_deal")),
        sa.ForeignKeyConstraint(
            ["entry_id"], ["journal_entry.id"], name=op.f("fk_amendment_entry_id")
        ),
        sa.ForeignKeyConstraint(
            ["in_kind_entry_id"], ["journal_entry.id"], name=op.f("fk_amendment_in_kind_entry_id")
        ),
        sa.ForeignKeyConstraint(
            ["statement_id"], ["statement.id"], name=op.f("fk_amendment_statement_id")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_amendment")),
        sa.UniqueConstraint("corrects_event_id", name=op.f("uq_amendment_corrects_event_id")),
        sa.UniqueConstraint("key", name=op.f("uq_amendment_key")),
        sa.UniqueConstraint("statement_id", name=op.f("uq_amendment_statement_id")),
    )
    op.create_index("ix_amendment_beschikking", "amendment", ["beschikking"], unique=False)
    op.create_index("ix_amendment_deal", "amendment", ["deal"], unique=False)


def _create_sisa_tables() -> None:
    op.create_table(
        "sisa_definition",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("regeling", sa.String(length=40), nullable=False),
        sa.Column("instrument", sa.String(length=4), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("set_by", sa.String(length=200), nullable=False),
        sa.Column("set_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "instrument IN ('SPUK', 'BU')", name=op.f("ck_sisa_definition_instrument")
        ),
        sa.ForeignKeyConstraint(
            ["regeling"], ["regeling.code"], name=op.f("fk_sisa_definition_regeling")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sisa_definition")),
    )
    op.create_index(
        "ix_sisa_definition_regeling_year", "sisa_definition", ["regeling", "year"], unique=False
    )
    op.create_table(
        "sisa_definition_indicator",
        sa.Column("definition_id", sa.BigInteger(), nullable=False),
        sa.Column("number", sa.String(length=4), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("aard_controle", sa.String(length=8), nullable=False),
        sa.Column("field", sa.String(length=40), nullable=False),
        sa.CheckConstraint(
            "aard_controle IN ('R', 'n.v.t.')",
            name=op.f("ck_sisa_definition_indicator_aard_controle"),
        ),
        sa.ForeignKeyConstraint(
            ["definition_id"],
            ["sisa_definition.id"],
            name=op.f("fk_sisa_definition_indicator_definition_id"),
        ),
        sa.PrimaryKeyConstraint("definition_id", "number", name="pk_sisa_definition_indicator"),
    )
    op.create_table(
        "sisa_submission",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("public_id", sa.String(length=64), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("regeling", sa.String(length=40), nullable=True),
        sa.Column("instrument", sa.String(length=4), nullable=False),
        sa.Column("recipient", sa.String(length=100), nullable=True),
        sa.Column("submitted_by", sa.String(length=200), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("format", sa.String(length=4), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("figures", sa.Text(), nullable=False),
        sa.Column("annex", sa.Text(), nullable=False),
        sa.CheckConstraint(
            "format IN ('xlsx', 'csv', 'json')", name=op.f("ck_sisa_submission_format")
        ),
        sa.CheckConstraint(
            "instrument IN ('SPUK', 'BU')", name=op.f("ck_sisa_submission_instrument")
        ),
        sa.ForeignKeyConstraint(
            ["recipient"], ["organisation.code"], name=op.f("fk_sisa_submission_recipient")
        ),
        sa.ForeignKeyConstraint(
            ["regeling"], ["regeling.code"], name=op.f("fk_sisa_submission_regeling")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sisa_submission")),
        sa.UniqueConstraint("public_id", name=op.f("uq_sisa_submission_public_id")),
    )
    op.create_index(
        "ix_sisa_submission_year", "sisa_submission", ["year", "instrument"], unique=False
    )


def downgrade() -> None:
    bind = op.get_bind()
    run_sql_file("0010_integrity.down.sql")
    if bind.dialect.name == "sqlite":
        _rebuild_beschikking(*OLD_BESCHIKKING)
        run_sql_file("0010_beschikking_guards_before.sql")
    for index, table in (
        ("ix_sisa_submission_year", "sisa_submission"),
        ("ix_sisa_definition_regeling_year", "sisa_definition"),
        ("ix_amendment_deal", "amendment"),
        ("ix_amendment_beschikking", "amendment"),
    ):
        op.drop_index(index, table_name=table)
    for table in (
        "sisa_submission",
        "sisa_definition_indicator",
        "sisa_definition",
        "amendment",
        "tranche_regeling",
        "regeling",
    ):
        op.drop_table(table)
