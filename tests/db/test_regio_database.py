"""The Regio Deals tables defend themselves too, and concurrent signings cannot over-commit."""

import threading
from datetime import date

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from ledger.db.service import LedgerService
from ledger.errors import LedgerError
from ledger.regio.db.service import RegioService
from tests.scenarios.flow import OFFICER, build_world, eur, zwolle_beschikking, zwolle_deal


@pytest.fixture
def regio(ledger: LedgerService) -> RegioService:
    service = RegioService(ledger.engine)
    build_world(service)
    service.sign_deal(zwolle_deal(), key="sign", who=OFFICER)
    service.grant(zwolle_beschikking(), key="grant", who=OFFICER)
    service.extend("RD-2024-001", date(2028, 6, 30), on=date(2024, 9, 2), key="extend", who=OFFICER)
    return service


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE beschikking SET amount = 1",
        "DELETE FROM beschikking_event",
        "UPDATE deal SET rijksbijdrage = rijksbijdrage * 2",
        "DELETE FROM budget_change",
        "UPDATE organisation SET type = 'gemeente' WHERE code = 'WS-DRENTS'",
    ],
)
def test_object_rows_are_append_only(regio, statement):
    with pytest.raises(DBAPIError) as refused, regio.engine.begin() as connection:
        connection.execute(text(statement))
    assert "entry_immutable" in str(refused.value)


def test_the_database_refuses_a_waterschap_as_regiokassier(regio):
    with pytest.raises(DBAPIError) as refused, regio.engine.begin() as connection:
        entry_id = connection.execute(text("SELECT max(id) FROM journal_entry")).scalar()
        connection.execute(
            text(
                "INSERT INTO beschikking (nummer, deal, instrument, recipient, currency, amount, eur_commitment, "
                "decided_on, spending_starts_on, spending_ends_on, entry_id) VALUES ('X', 'ZWOLLE-II', 'SPUK', "
                "'WS-DRENTS', 'EUR', 100, 100, '2024-01-01', '2024-01-01', '2025-01-01', :entry)"
            ),
            {"entry": entry_id},
        )
    assert "recipient_not_allowed" in str(refused.value)


def test_the_database_refuses_a_rijk_co_financier(regio):
    with pytest.raises(DBAPIError) as refused, regio.engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO pledge (deal, partner, kind, amount) VALUES ('ZWOLLE-II', 'MIN-BZK', 'cash', 5)"
            )
        )
    assert "rijk_as_cofinancier" in str(refused.value)


@pytest.mark.today("2029-06-30")  # the whole life, to after the spending period
def test_a_settled_beschikking_is_closed_in_the_database(regio, ledger):
    regio.pay("RD-2024-001", eur("100.00"), on=date(2024, 10, 1), key="pay", who=OFFICER)
    regio.settle(
        "RD-2024-001",
        on=date(2028, 7, 1),
        key="settle",
        who=OFFICER,
        ambtshalve="na de bestedingsperiode, zonder eindverantwoording",
    )
    with regio.engine.connect() as connection:
        closed = connection.execute(
            text(
                "SELECT count(*) FROM account WHERE code LIKE 'beschikking:RD-2024-001:%' AND closed_at IS NOT NULL"
            )
        ).scalar()
    assert closed == 2  # unpaid and unspent: no payment or spending can be booked any more
    assert ledger.verify().ok


@pytest.mark.postgresql
def test_concurrent_signings_never_over_commit_a_tranche(postgres_url):
    ledger = LedgerService.from_url(postgres_url, pool_size=8, max_overflow=0)
    regio = RegioService(ledger.engine)
    try:
        build_world(regio, tranche_budget="100000000.00")
        signed, refused = [], []
        lock, start = threading.Lock(), threading.Barrier(8)

        def sign(worker: int) -> None:
            start.wait()
            for number in range(4):
                code = f"DEAL-{worker}-{number}"
                try:
                    regio.sign_deal(
                        zwolle_deal(code=code, rijksbijdrage=eur("7000000.00")),
                        key=f"sign-{code}",
                        who=OFFICER,
                    )
                    with lock:
                        signed.append(code)
                except LedgerError as error:
                    with lock:
                        refused.append(error.code)

        threads = [threading.Thread(target=sign, args=(w,)) for w in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert len(signed) == 14  # 14 × 7M fits in 100M, a 15th does not
        assert set(refused) == {"tranche_overcommitted"} and len(refused) == 32 - 14
        assert ledger.balance("tranche:T5:available").balance.amount == 2000000
        assert ledger.verify().ok
    finally:
        ledger.engine.dispose()


def test_the_database_refuses_spending_after_eindverantwoording(regio, ledger):
    """Guarded by the application (check_not_final) and, beneath it, by a posting trigger: a
    spending entry booked straight into the journal is refused too."""
    from ledger.regio import bookings
    from ledger.regio.model import FundingSource

    regio.pay("RD-2024-001", eur("100.00"), on=date(2024, 10, 1), key="pay", who=OFFICER)
    regio.record_spending(
        "RD-2024-001",
        2024,
        FundingSource.RIJK,
        eur("10.00"),
        on=date(2024, 11, 1),
        key="spend-2024",
        who=OFFICER,
    )
    beschikking = zwolle_beschikking()
    late = bookings.record_spending(
        "late", OFFICER, date(2024, 12, 1), beschikking, 2024, FundingSource.RIJK, eur("5.00")
    )
    regio.mark_final(
        "RD-2024-001", 2024, key="final", who=OFFICER, toelichting="Het project is eerder afgerond."
    )
    with pytest.raises(LedgerError) as refused:
        ledger.post(late)
    assert refused.value.code == "year_final"
    assert ledger.verify().ok


def test_the_database_refuses_spending_in_or_before_a_submitted_year(regio, ledger):
    """Guarded by the application (check_not_submitted) and, beneath it, by a posting trigger:
    once a submission holds 2025, spending booked straight into the journal in 2025 or 2024 is
    refused; 2026 is open, and the SiSa correction procedure's own entries pass."""
    from ledger.regio import bookings
    from ledger.regio.model import FundingSource
    from sisa.service import submit_sisa

    regio.pay("RD-2024-001", eur("100.00"), on=date(2024, 10, 1), key="pay", who=OFFICER)
    for year in (2024, 2025, 2026):  # the accounts of each year are opened by spending
        regio.record_spending(
            "RD-2024-001",
            year,
            FundingSource.RIJK,
            eur("10.00"),
            on=date(year, 11, 1),
            key=f"spend-{year}",
            who=OFFICER,
        )
    [submission] = submit_sisa(ledger.engine, 2025, "json", actor="fo").submitted
    beschikking = zwolle_beschikking()

    def spending(key: str, year: int):  # noqa: ANN202
        return bookings.record_spending(
            key, OFFICER, date(year, 12, 1), beschikking, year, FundingSource.RIJK, eur("5.00")
        )

    for year in (2025, 2024):
        with pytest.raises(LedgerError) as refused:
            ledger.post(spending(f"late-{year}", year))
        assert refused.value.code == "year_submitted", year
    ledger.post(spending("open-2026", 2026))
    ledger.post(spending("sisa-correction:fix", 2025))
    assert submission.year == 2025 and ledger.verify().ok
