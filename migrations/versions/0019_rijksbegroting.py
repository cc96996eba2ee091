"""The Rijksbegroting's view: ``budget_article`` (an article of the budget, with the source that
names it), ``budget_article_tranche`` (the article that pays a tranche's beschikkingen) and
``budget_mutation`` (each change of an article's budget per year, booked as one entry on the
``begroting:`` accounts). Append-only, like every table.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-07 14:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from migrations.sql_files import run_sql_file

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None

KINDS = "'initial', 'overboeking', 'kasschuif', 'loon_prijs', 'reversal'"


def upgrade() -> None:
    op.create_table(
        "budget_article",
        sa.Column("code", sa.String(length=100), nullable=False),
        sa.Column("ministry", sa.String(length=100), nullable=False),
        sa.Column("chapter", sa.String(length=20), nullable=False),
        sa.Column("number", sa.String(length=20), nullable=False),
        sa.Column("sub_article", sa.String(length=20), nullable=True),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_budget_article")),
    )
    op.execute("CREATE UNIQUE INDEX uq_budget_article_code_folded ON budget_article (lower(code))")
    op.create_table(
        "budget_article_tranche",
        sa.Column("tranche", sa.String(length=100), nullable=False),
        sa.Column("article", sa.String(length=100), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["article"], ["budget_article.code"], name=op.f("fk_budget_article_tranche_article")
        ),
        sa.ForeignKeyConstraint(
            ["tranche"], ["tranche.code"], name=op.f("fk_budget_article_tranche_tranche")
        ),
        sa.PrimaryKeyConstraint("tranche", name=op.f("pk_budget_article_tranche")),
    )
    op.create_table(
        "budget_mutation",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("article", sa.String(length=100), nullable=False),
        sa.Column("from_article", sa.String(length=100), nullable=True),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("effective_on", sa.Date(), nullable=False),
        sa.Column("reverses", sa.String(length=200), nullable=True),
        sa.Column("entry_id", sa.BigInteger(), nullable=False),
        sa.CheckConstraint(f"kind IN ({KINDS})", name=op.f("ck_budget_mutation_kind")),
        sa.ForeignKeyConstraint(
            ["article"], ["budget_article.code"], name=op.f("fk_budget_mutation_article")
        ),
        sa.ForeignKeyConstraint(
            ["from_article"], ["budget_article.code"], name=op.f("fk_budget_mutation_from_article")
        ),
        sa.ForeignKeyConstraint(
            ["reverses"], ["budget_mutation.key"], name=op.f("fk_budget_mutation_reverses")
        ),
        sa.ForeignKeyConstraint(
            ["entry_id"], ["journal_entry.id"], name=op.f("fk_budget_mutation_entry_id")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_budget_mutation")),
        sa.UniqueConstraint("key", name=op.f("uq_budget_mutation_key")),
    )
    run_sql_file("0019_rijksbegroting.up.sql")


def downgrade() -> None:
    run_sql_file("0019_rijksbegroting.down.sql")
    op.drop_table("budget_mutation")
    op.drop_table("budget_article_tranche")
    op.execute("DROP INDEX uq_budget_article_code_folded")
    op.drop_table("budget_article")
