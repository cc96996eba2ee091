"""Answers kept under the ledger's version (``api.http.cache``): kept until a write, computed
once by requests that ask at once, a failure never kept, the whole books kept apart per
database, and the SiSa status kept per state and day."""

from __future__ import annotations

import shutil
import threading
from datetime import date
from decimal import Decimal

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.demo import load_demo
from api.http.cache import DerivedAnswers, whole_books
from api.http.sisa_status import sisa_status_rows
from api.http.users import add_user
from ledger.db.engine import make_engine
from ledger.db.unit_of_work import UnitOfWork
from ledger.money import Money
from ledger.regio.begroting import Article
from ledger.regio.db.service import RegioService
from ledger.regio.model import Organisation, OrganisationType, Who
from sisa.status import status_rows

#: A form sent from the dashboard's own page (``api.web.common.same_origin``).
HERE = {"Origin": "http://testserver"}


@pytest.fixture
def engine(database_url):
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


def add(engine, code: str) -> None:
    RegioService(engine).add_organisation(Organisation(code, code, OrganisationType.GEMEENTE))


def test_an_answer_is_kept_until_the_next_write(engine):
    cache, computed = DerivedAnswers(), []

    def compute():
        computed.append(1)
        return object()

    first = cache.get_or_compute(engine, "k", compute)
    assert cache.get_or_compute(engine, "k", compute) is first and len(computed) == 1
    add(engine, "GM-1")
    assert cache.get_or_compute(engine, "k", compute) is not first and len(computed) == 2


def test_requests_asking_at_once_wait_for_one_computation(engine):
    cache, computed, answers = DerivedAnswers(), [], []
    started, release = threading.Event(), threading.Event()

    def compute():
        computed.append(1)
        started.set()
        release.wait()
        return object()

    def ask():
        answers.append(cache.get_or_compute(engine, "k", compute))

    first = threading.Thread(target=ask)
    first.start()
    started.wait()  # the first request is computing now
    others = [threading.Thread(target=ask) for _ in range(3)]
    for thread in others:
        thread.start()
    release.set()
    for thread in [first, *others]:
        thread.join()
    assert len(computed) == 1
    assert len(answers) == 4 and all(answer is answers[0] for answer in answers)


def test_a_failed_computation_is_not_kept(engine):
    cache, calls = DerivedAnswers(), []

    def compute():
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("the database went away")
        return "answer"

    with pytest.raises(RuntimeError, match="went away"):
        cache.get_or_compute(engine, "k", compute)
    assert cache.get_or_compute(engine, "k", compute) == "answer" and len(calls) == 2


def test_the_whole_books_are_kept_per_database(tmp_path, sqlite_template):
    engines = []
    for name in ("a", "b"):
        target = tmp_path / f"{name}.db"
        shutil.copyfile(sqlite_template, target)
        engines.append(make_engine(f"sqlite:///{target}"))
    add(engines[0], "GM-A")
    add(engines[1], "GM-B")  # the same counts, so the same version, in another database
    day = date(2026, 12, 6)
    try:
        assert set(whole_books(engines[0], day).organisations) == {"GM-A"}
        assert set(whole_books(engines[1], day).organisations) == {"GM-B"}
        assert whole_books(engines[0], day) is whole_books(engines[0], day)
    finally:
        for engine in engines:
            engine.dispose()


def test_the_sisa_status_is_kept_per_state_of_the_books_and_per_day(engine, monkeypatch):
    """Every beschikking's SiSa status (the whole books) is computed once per state and day:
    a write, or a new day on which a year falls due, makes it afresh, equal to a fresh read."""
    load_demo(RegioService(engine))

    def fresh() -> list:
        with UnitOfWork(engine) as uow:
            return status_rows(uow.connection)

    first = sisa_status_rows(engine)
    assert sisa_status_rows(engine) is first and first == fresh()
    nummer = next(r.beschikking.nummer for r in first if r.missing)
    RegioService(engine).mark_final(
        nummer, 2025, key="final", who=Who("fo", "test"), toelichting="Afgerond."
    )
    after_write = sisa_status_rows(engine)
    assert after_write is not first and after_write == fresh() != first
    monkeypatch.setenv("REGIOLEDGER_TODAY", "2027-06-30")  # 2026 is over: its year falls due
    next_year = sisa_status_rows(engine)
    assert next_year == fresh() != after_write


def test_the_pages_kept_between_writes_show_a_payment_at_once(engine, database_url):
    """The overview's reconciliation and a tranche's page, the underspending page and report
    and the lists of every beschikking and every deal are kept per state of the books: a
    payment made after they were read shows in each at once, the page and the report agreeing."""
    load_demo(RegioService(engine))
    token = add_user(engine, "fo", "finance")
    with TestClient(create_app(database_url)) as client:
        client.post("/dashboard/signin", data={"token": token}, headers=HERE)
        api = {"Authorization": f"Bearer {token}"}

        def read() -> tuple:
            report = client.get("/api/v1/reports/underspending", headers=api).json()
            listed = [
                client.get(f"/api/v1/{kind}", params={"limit": 500}, headers=api).json()["items"]
                for kind in ("beschikkingen", "deals")
            ]
            pages = [client.get(f"/dashboard{p}").text for p in ("", "/underspending")]
            return report, listed, pages

        report, listed, pages = read()
        first = next(r for r in report if Decimal(r["paid"]) + 1000 <= Decimal(r["granted"]))
        tranche = client.get(f"/api/v1/deals/{first['deal']}", headers=api).json()["tranche"]
        tranche_page = client.get(f"/dashboard/tranches/{tranche}").text
        RegioService(engine).pay(
            first["beschikking"],
            Money.of("1000.00"),
            on=date(2026, 12, 1),
            key="later",
            who=Who("fo", "test: a payment after the pages were read"),
        )
        report_after, listed_after, pages_after = read()
        assert client.get(f"/dashboard/tranches/{tranche}").text != tranche_page
    [again] = [r for r in report_after if r["beschikking"] == first["beschikking"]]
    assert Decimal(again["paid"]) == Decimal(first["paid"]) + Decimal("1000.00")
    for before, after in zip([*listed, *pages], [*listed_after, *pages_after], strict=True):
        assert after != before
    paid_on_page = f"{Decimal(again['paid']):,.2f}".replace(",", "_").replace(".", ",")
    assert paid_on_page.replace("_", ".") in pages_after[1]


def test_the_kept_budget_report_shows_an_article_opened_without_an_entry(engine, database_url):
    """Opening a budget article books no entry, yet changes the budget report: the report kept
    between writes (the API's, and the dashboard's page) shows it at once."""
    load_demo(RegioService(engine))
    token = add_user(engine, "fo", "finance")
    with TestClient(create_app(database_url)) as client:
        client.post("/dashboard/signin", data={"token": token}, headers=HERE)
        api = {"Authorization": f"Bearer {token}"}
        before = client.get("/api/v1/reports/budget", headers=api).text
        page_before = client.get("/dashboard/budget").text
        assert "BZK-VII-PROEF" not in before + page_before
        RegioService(engine).open_article(
            Article("BZK-VII-PROEF", "BZK", "VII", "9", "Proefartikel"),
            who=Who("fo", "test: an article after the report was read", "test document"),
        )
        assert "BZK-VII-PROEF" in client.get("/api/v1/reports/budget", headers=api).text
        assert "BZK-VII-PROEF" in client.get("/dashboard/budget").text
