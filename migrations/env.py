"""Alembic environment. Autogenerate and ``alembic check`` compare against the models'
metadata; the version scripts themselves never import the models."""

from __future__ import annotations

from alembic import context
from sqlalchemy import pool

# Every feature's tables, so that the metadata is whole.
import api.http.identities  # noqa: F401
import api.http.oidc_sessions  # noqa: F401
import api.http.requests  # noqa: F401
import api.http.users  # noqa: F401
import api.reconcile.store  # noqa: F401
import ledger.regio.db.tables  # noqa: F401
import sisa.db  # noqa: F401
import sisa.findings  # noqa: F401
from ledger.db import models
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
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:  # SQLite rebuilds a table to change it; with foreign keys off, as it prescribes
            connection.connection.driver_connection.execute("PRAGMA foreign_keys = OFF")
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            compare_type=True,
            render_as_batch=sqlite,
        )
        with context.begin_transaction():
            context.run_migrations()
            if sqlite:
                _check_foreign_keys(connection)
    engine.dispose()


def _check_foreign_keys(connection) -> None:  # noqa: ANN001 - an Alembic connection
    """Every reference still resolves after the migrations (SQLite's own check, run at the end
    of the transaction the migrations ran in, so a broken one rolls all of them back)."""
    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    if broken:
        raise RuntimeError(
            f"the migration left {len(broken)} broken reference(s), e.g. {tuple(broken[0])}"
        )


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
