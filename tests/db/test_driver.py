"""The journal read through the plain driver is the journal read through SQLAlchemy, on both
databases; a URL is opened directly only in the forms the ledger writes."""

import gc
import threading

import pytest
from sqlalchemy import select

from api.statements.collector import cycle_collection_paused
from ledger.db import driver
from ledger.db.rows import account_table, load_entries
from ledger.db.service import LedgerService
from ledger.db.unit_of_work import UnitOfWork
from ledger.db.verify import verify_journal
from tests.support import BUDGET_ACCOUNTS, C, D, entry


@pytest.fixture
def booked(ledger: LedgerService) -> LedgerService:
    ledger.open_accounts(BUDGET_ACCOUNTS, actor="setup")
    ledger.post(entry("budget", ("rijksbegroting", D, "100.00"), ("tranche-5", C, "100.00")))
    ledger.post(entry("commit", ("tranche-5", D, "40.00"), ("deal-zwolle", C, "40.00")))
    ledger.reverse("commit", key="commit-back", actor="fo", reason="wrong deal")
    return ledger


def url_of(ledger: LedgerService) -> str:
    return ledger.engine.url.render_as_string(hide_password=False)


def test_the_driver_streams_the_journal_as_sqlalchemy_loads_it(booked):
    with UnitOfWork(booked.engine) as uow:
        expected = load_entries(uow.connection, ids=range(1, 10))
    with driver.open_reader(url_of(booked)) as reader:
        streamed = list(driver.stream_entries(reader, chunk=2))  # chunks meet in the middle
    assert streamed == expected
    assert [e.key for e in streamed] == ["budget", "commit", "commit-back"]
    assert streamed[2].reverses == "commit"


def test_verify_through_the_driver_and_inside_a_unit_of_work_agree(booked):
    with driver.open_reader(url_of(booked)) as reader:
        alone = verify_journal(reader)
    assert alone.ok and alone.entries_checked == 3
    assert booked.verify() == alone


def test_plain_rows_are_the_rows_of_the_query(booked):
    query = select(account_table.c.code, account_table.c.debit_total).order_by(account_table.c.id)
    with UnitOfWork(booked.engine) as uow:
        expected = [tuple(row) for row in uow.connection.execute(query)]
        assert driver.plain_rows(uow.connection, query) == expected


@pytest.mark.parametrize(
    ("url", "path"),
    [
        ("sqlite:///regioledger.db", "regioledger.db"),
        ("sqlite:////var/lib/ledger.db", "/var/lib/ledger.db"),
        ("sqlite://", None),
        ("sqlite:///:memory:", None),
        ("sqlite:///file:x.db?mode=ro&uri=true", None),  # the engine takes the URI forms
        ("sqlite:///a%20b.db", None),
        ("postgresql://u@h/db", None),
    ],
)
def test_only_plain_sqlite_files_are_opened_directly(url, path):
    assert driver.sqlite_path(url) == path


def test_postgresql_urls_go_to_libpq_as_they_are():
    assert driver.postgres_conninfo("postgresql+psycopg://u:p@h:5/db") == "postgresql://u:p@h:5/db"
    assert driver.postgres_conninfo("postgres://u@h/db") == "postgresql://u@h/db"
    assert driver.postgres_conninfo("mysql://u@h/db") is None


def test_overlapping_pauses_of_the_collector_end_with_it_running():
    assert gc.isenabled()
    inside, release = threading.Event(), threading.Event()

    def long_import() -> None:
        with cycle_collection_paused():
            inside.set()
            release.wait(timeout=30)

    worker = threading.Thread(target=long_import)
    worker.start()
    inside.wait(timeout=30)
    with cycle_collection_paused():
        assert not gc.isenabled()
    assert not gc.isenabled()  # the other pause still runs
    release.set()
    worker.join(timeout=30)
    assert gc.isenabled()
