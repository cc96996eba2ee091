"""Migrations run up, down and up again, and the models match the migrated schema."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import inspect
from sqlmodel import SQLModel

import api.http.identities  # noqa: F401
import api.http.oidc_sessions  # noqa: F401
import api.http.requests  # noqa: F401
import api.http.users  # noqa: F401
import api.reconcile.store  # noqa: F401
import ledger.db.models
import ledger.regio.db.tables  # noqa: F401 - registers the tables
import sisa.db  # noqa: F401
import sisa.findings  # noqa: F401
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


def test_migrations_down_and_up_keep_a_real_ledger(blank_url):
    """A ledger with a booked and a refused statement and a user, taken down to revision 0007 and
    up again: the statements get new public ids, the user's token keeps working (now with an
    expiry), and the ledger verifies at every step."""
    from api.http.users import add_user, user_for_token
    from api.statements.service import import_statement
    from ledger.db.service import LedgerService
    from ledger.regio.db.service import RegioService
    from tests.scenarios.flow import zwolle_world
    from tests.statements.builders import GOOD_ROWS, openpyxl_workbook

    migrate.upgrade(blank_url)
    engine = make_engine(blank_url)
    try:
        zwolle_world(RegioService(engine), paid="1000000.00")
        token = add_user(engine, "old", "auditor")
        assert import_statement(
            engine,
            "RD-2024-001",
            2025,
            openpyxl_workbook(GOOD_ROWS),
            filename="a.xlsx",
            uploader="x",
        ).is_booked
        bad = openpyxl_workbook(
            [["RD-2024-001", "01-03-2025", "Factuur", "Rijk", "12,345", None, None, "F9"]]
        )
        assert not import_statement(
            engine, "RD-2024-001", 2025, bad, filename="b.xlsx", uploader="x"
        ).is_booked
        before = LedgerService(engine).verify()
    finally:
        engine.dispose()
    migrate.downgrade(blank_url, "0007")
    migrate.upgrade(blank_url)
    engine = make_engine(blank_url)
    try:
        after = LedgerService(engine).verify()
        assert after.ok and (after.entries_checked, after.last_hash) == (
            before.entries_checked,
            before.last_hash,
        )
        with engine.connect() as connection:
            ids = connection.exec_driver_sql("SELECT public_id FROM statement").scalars().all()
        assert len(ids) == len(set(ids)) == 2 and all(
            i.startswith("st-") and len(i) == 23 for i in ids
        )
        user = user_for_token(engine, token)
        assert user is not None and user.name == "old" and user.expires_at is not None
    finally:
        engine.dispose()


def test_the_revision_the_code_needs_is_alembics_head() -> None:
    """Commands and the service check a ledger against ``ledger.db.revision.HEAD`` without
    importing Alembic: a new migration must move it too."""
    from ledger.db import revision

    assert migrate.head_revision() == revision.HEAD


def test_the_upgrade_to_named_funding_sources_names_an_account_it_would_refuse(blank_url):
    """Revision 0016 refuses spending accounts without a known source; a ledger that holds one
    already is not upgraded past it, and the error names the account."""
    from sqlalchemy import text

    migrate.upgrade(blank_url, "0015")
    engine = make_engine(blank_url)
    try:
        with engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO account (code, name, kind, normal_side, currency, non_negative, "
                    "year, opened_at, opened_by, debit_total, credit_total) VALUES (:code, 'x', "
                    "'budget', 'credit', 'EUR', false, 2025, '2025-01-01 00:00:00', 'old', 0, 0)"
                ),
                {"code": "beschikking:B-1:spent:2025:kas"},
            )
        with pytest.raises(RuntimeError, match="beschikking:B-1:spent:2025:kas"):
            migrate.upgrade(blank_url)
        with engine.connect() as connection:
            version = connection.exec_driver_sql("SELECT version_num FROM alembic_version")
            assert version.scalar() == "0015"
    finally:
        engine.dispose()
