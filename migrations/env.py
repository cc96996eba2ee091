"""Alembic environment. Autogenerate and ``alembic check`` compare against the models'
metadata; the version scripts themselves never import the models."""

from __future__ import annotations

from alembic import context
from sqlalchemy import pool

from ledger.db import models, regio_models, requests, sisa_models, users  # noqa: F401 - all define tables
from ledger.db.config import get_settings
from ledger.db.engine import make_engine

config = context.config
target_metadata = models.SQLModel.metadata


def _url() -> str:
    return config.get_main_option("sqlalchemy.url") or get_settings().database_url


def run_migrations_offline() -> None:
    context.configure(url=_url(), target_metadata=target_metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    engine = make_engine(_url(), poolclass=pool.NullPool)
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            compare_type=True,
            render_as_batch=connection.dialect.name == "sqlite",
        )
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
