"""Databases for the tests: a fresh SQLite file and a fresh PostgreSQL database per test.

Each run migrates one template per backend; each test gets a copy (a file copy for SQLite,
``CREATE DATABASE ... TEMPLATE`` for PostgreSQL) and every database made here is dropped at
the end. PostgreSQL comes from ``REGIOLEDGER_TEST_POSTGRES_URL`` (default
``postgresql://postgres@127.0.0.1:5432/test``). Without a server the PostgreSQL tests are
skipped on a developer's machine and *fail* when ``CI=true``.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from ledger.db import migrate
from ledger.db.engine import normalise_url
from ledger.db.service import LedgerService

DEFAULT_POSTGRES_URL = "postgresql://postgres@127.0.0.1:5432/test"
#: The hosts the tests' services answer as: a real server on loopback, and the in-process
#: TestClient's own ``testserver`` (the service refuses any other, api.http.hosts).
os.environ.setdefault("REGIOLEDGER_ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
#: "Today" for every test (``ledger.clock``): fixed, so that no test depends on the day it runs.
#: A test of a whole life (a beschikking granted in 2024 and settled after 2027) moves it with
#: ``@pytest.mark.today("2029-06-30")`` (or ``pytestmark`` for a module).
TEST_TODAY = "2026-12-06"
os.environ["REGIOLEDGER_TODAY"] = TEST_TODAY  # for the fixtures made once per module or run too


@pytest.fixture(autouse=True)
def fixed_today(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    marker = request.node.get_closest_marker("today")
    day = marker.args[0] if marker else TEST_TODAY
    monkeypatch.setenv("REGIOLEDGER_TODAY", day)
    return day


RUN_ID = uuid.uuid4().hex[:8]


def postgres_admin_url() -> str:
    return normalise_url(os.environ.get("REGIOLEDGER_TEST_POSTGRES_URL", DEFAULT_POSTGRES_URL))


class PostgresServer:
    """Creates and drops databases on the test server."""

    def __init__(self, admin_url: str):
        self.admin_url = admin_url
        self.engine = create_engine(admin_url, isolation_level="AUTOCOMMIT")
        self.created: list[str] = []

    def url_for(self, name: str) -> str:
        return make_url(self.admin_url).set(database=name).render_as_string(hide_password=False)

    def create(self, name: str, template: str | None = None) -> str:
        with self.engine.connect() as connection:
            clause = f' TEMPLATE "{template}"' if template else ""
            connection.execute(text(f'CREATE DATABASE "{name}"{clause}'))
        self.created.append(name)
        return self.url_for(name)

    def drop(self, name: str) -> None:
        with self.engine.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        if name in self.created:
            self.created.remove(name)

    def drop_all(self) -> None:
        for name in list(reversed(self.created)):
            self.drop(name)
        self.engine.dispose()


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    server = PostgresServer(postgres_admin_url())
    try:
        with server.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception as error:  # noqa: BLE001 - any failure to connect means: no server
        message = f"PostgreSQL not reachable at {server.admin_url}: {error}"
        if os.environ.get("CI") == "true":
            pytest.fail(message + " (CI=true: the PostgreSQL tests must run)", pytrace=False)
        pytest.skip(message)
    yield server
    server.drop_all()


@pytest.fixture(scope="session")
def postgres_template(postgres_server: PostgresServer) -> str:
    name = f"regioledger_template_{RUN_ID}"
    url = postgres_server.create(name)
    migrate.upgrade(url)
    return name


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.db"
    migrate.upgrade(f"sqlite:///{path}")
    return path


def _postgres_copy(request: pytest.FixtureRequest) -> Iterator[str]:
    server: PostgresServer = request.getfixturevalue("postgres_server")
    template = request.getfixturevalue("postgres_template")
    name = f"regioledger_test_{RUN_ID}_{uuid.uuid4().hex[:8]}"
    yield server.create(name, template=template)
    server.drop(name)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgresql)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A freshly migrated, empty database of each kind."""
    if request.param == "sqlite":
        target = tmp_path / "ledger.db"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), target)
        yield f"sqlite:///{target}"
        return
    yield from _postgres_copy(request)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgresql)])
def database_factory(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Callable[[], str]]:
    """Makes as many fresh databases of one kind as a test needs (for Hypothesis examples)."""
    made: list[str] = []

    def make() -> str:
        name = f"regioledger_test_{RUN_ID}_{uuid.uuid4().hex[:8]}"
        if request.param == "sqlite":
            target = tmp_path / f"{name}.db"
            shutil.copyfile(request.getfixturevalue("sqlite_template"), target)
            return f"sqlite:///{target}"
        server: PostgresServer = request.getfixturevalue("postgres_server")
        made.append(name)
        return server.create(name, template=request.getfixturevalue("postgres_template"))

    yield make
    if made:
        server = request.getfixturevalue("postgres_server")
        for name in made:
            server.drop(name)


@pytest.fixture
def postgres_url(request: pytest.FixtureRequest) -> Iterator[str]:
    """A freshly migrated, empty PostgreSQL database, for what only PostgreSQL can do."""
    yield from _postgres_copy(request)


@pytest.fixture
def postgres_ledger(postgres_url: str) -> Iterator[LedgerService]:
    service = LedgerService.from_url(postgres_url)
    yield service
    service.engine.dispose()


@pytest.fixture
def ledger(database_url: str) -> Iterator[LedgerService]:
    service = LedgerService.from_url(database_url)
    yield service
    service.engine.dispose()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """With parallel workers (``make test``: pytest-xdist's ``--dist worksteal``, which hands
    worker k the k-th equal slice of the tests, then lets an idle worker take half of a busy
    one's queue): the heavy tests are dealt out in turn, each worker's slice starting with its
    share, so that no worker is left with minutes of them at the end."""
    workers = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1"))
    heavy = [item for item in items if item.get_closest_marker("heavy")]
    if workers < 2 or not heavy:
        return
    rest = [item for item in items if not item.get_closest_marker("heavy")]
    ordered: list[pytest.Item] = []
    remaining = len(items)
    for worker in range(workers):
        share = heavy[worker::workers]
        size = remaining // (workers - worker)  # worksteal's own split of what is left
        taken = max(0, size - len(share))
        ordered += share + rest[:taken]
        rest = rest[taken:]
        remaining -= size
    items[:] = ordered + rest
