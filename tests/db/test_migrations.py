"""Migrations run up, down and up again, and the models match the migrated schema."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import inspect
from sqlmodel import SQLModel

import ledger.db.models
import ledger.db.regio_models  # noqa: F401 - registers the tables
import ledger.db.requests  # noqa: F401
import ledger.db.sisa_models  # noqa: F401
import ledger.db.users  # noqa: F401
from ledger.db import migrate
from ledger.db.engine import make_engine
from tests.conftest import RUN_ID, PostgresServer

TABLES = set(SQLModel.metadata.tables) | {"alembic_version"}


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgresql)])
def blank_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'blank.db'}"
        return
    server: PostgresServer = request.getfixturevalue("postgres_server")
    name = f"regioledger_blank_{RUN_ID}_{tmp_path.name[-8:]}".lower().replace("-", "_")
    yield server.create(name)
    server.drop(name)


def table_names(url: str) -> set[str]:
    engine = make_engine(url)
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def trigger_count(url: str) -> int:
    engine = make_engine(url)
    sql = (
        "SELECT count(*) FROM sqlite_master WHERE type = 'trigger'"
        if engine.dialect.name == "sqlite"
        else "SELECT count(*) FROM pg_trigger WHERE NOT tgisinternal"
    )
    try:
        with engine.connect() as connection:
            return connection.exec_driver_sql(sql).scalar()
    finally:
        engine.dispose()


def test_up_down_up_and_no_drift(blank_url):
    migrate.upgrade(blank_url)
    assert table_names(blank_url) == TABLES
    triggers = trigger_count(blank_url)
    assert triggers >= 10
    migrate.check(blank_url)  # raises if models and migrations disagree
    migrate.downgrade(blank_url, "base")
    assert table_names(blank_url) == {"alembic_version"}
    assert trigger_count(blank_url) == 0
    migrate.upgrade(blank_url)
    assert table_names(blank_url) == TABLES
    assert trigger_count(blank_url) == triggers
    migrate.check(blank_url)


def test_the_edges_migration_keeps_what_was_there(blank_url):
    """0008 on a ledger with a statement and a user: the statement gets a public id, the user's
    token keeps working (now with an expiry), and going back restores the token column."""
    import hashlib
    from datetime import UTC, datetime

    from sqlalchemy import text

    from ledger.db.users import user_for_token

    migrate.upgrade(blank_url, "0007")
    now = datetime.now(UTC)
    engine = make_engine(blank_url)
    with engine.connect() as connection:
        if engine.dialect.name == "postgresql":
            connection.exec_driver_sql("SET session_replication_role = replica")  # rows without their parents
        else:  # a foreign-key check can only be switched off outside a transaction
            connection.connection.driver_connection.execute("PRAGMA foreign_keys = OFF")
        connection.execute(text("INSERT INTO api_user (name, role, token_hash, created_at) VALUES ('old', 'auditor', :h, :t)"),
                           {"h": hashlib.sha256(b"the-old-token").hexdigest(), "t": now})  # fmt: skip
        for number in range(3):
            connection.execute(text(
                "INSERT INTO statement (beschikking, year, sha256, filename, uploaded_by, uploaded_at, outcome, problems, "
                "content, line_count) VALUES ('RD-X', 2025, :s, 'x.xlsx', 'GM-X', :t, 'refused', '[]', :c, 0)"),
                {"s": f"{number:064d}", "t": now, "c": b"PK"})  # fmt: skip
        connection.commit()
    engine.dispose()
    migrate.upgrade(blank_url)
    engine = make_engine(blank_url)
    try:
        with engine.connect() as connection:
            ids = connection.execute(text("SELECT public_id FROM statement")).scalars().all()
        assert len(set(ids)) == 3 and all(i.startswith("st-") and len(i) == 23 for i in ids)
        user = user_for_token(engine, "the-old-token")
        assert user is not None and user.name == "old" and user.expires_at > now
    finally:
        engine.dispose()
    migrate.downgrade(blank_url, "0007")
    engine = make_engine(blank_url)
    try:
        with engine.connect() as connection:
            kept = connection.execute(text("SELECT token_hash FROM api_user WHERE name = 'old'")).scalar()
            columns = {c["name"] for c in inspect(engine).get_columns("statement")}
        assert kept == hashlib.sha256(b"the-old-token").hexdigest() and "public_id" not in columns
    finally:
        engine.dispose()
