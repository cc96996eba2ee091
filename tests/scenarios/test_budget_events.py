"""Budget events that are no tranche budget: money set aside for a purpose that is no deal, a
transfer between budget articles that moves no envelope money, and a reservation's unused rest
back to its tranche. Each is dated inside its envelope, limited by what is there on every
date, booked once however often it is sent, and never changed afterwards; on both databases."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from ledger.db.service import LedgerService
from ledger.db.unit_of_work import UnitOfWork
from ledger.errors import LedgerError
from ledger.regio.db.service import RegioService
from ledger.regio.db.snapshot import load_snapshot
from reports.reconciliation import build_tranche_reconciliation
from tests.scenarios.flow import GRONINGEN, OFFICER, build_world, eur

DAY = date(2023, 6, 1)


@pytest.fixture
def regio(ledger: LedgerService) -> RegioService:
    service = RegioService(ledger.engine)
    build_world(service)  # RE-2022: €900M, tranches 5 and 6 with €300.6M each
    return service


def reconciled(regio: RegioService, on: date):
    with UnitOfWork(regio.engine) as uow:
        return build_tranche_reconciliation(load_snapshot(uow.connection, on))


def envelope(result):
    return next(e for e in result.envelopes if e.code == "RE-2022")


def test_money_set_aside_leaves_the_unallocated_money_and_the_controls_still_tie(regio, ledger):
    regio.set_aside(
        "RE-2022", "PETTEN", "Petten", eur("100000000.00"), on=DAY, key="aside", who=OFFICER
    )
    result = reconciled(regio, DAY)
    assert envelope(result).unallocated == eur("198800000.00")  # 900 - 2 x 300.6 - 100
    assert envelope(result).set_aside_total == eur("100000000.00")
    assert result.ties_out and ledger.verify().ok
    before = reconciled(regio, date(2023, 5, 31))
    assert envelope(before).set_aside_total.is_zero()  # as of the day before: not yet


def test_setting_aside_more_than_is_left_is_refused_and_changes_nothing(regio, ledger):
    entries = ledger.verify().entries_checked
    with pytest.raises(LedgerError) as refused:
        regio.set_aside(
            "RE-2022", "TOO-MUCH", "Te veel", eur("298800000.01"), on=DAY, key="x", who=OFFICER
        )
    assert refused.value.problems[0].code == "envelope_overallocated"
    assert "envelope RE-2022" in refused.value.problems[0].message
    assert ledger.verify().entries_checked == entries


@pytest.mark.parametrize("on", [date(2021, 12, 31), date(2026, 1, 1)])
def test_a_budget_event_outside_its_envelopes_period_is_refused(regio, on):
    with pytest.raises(LedgerError) as refused:
        regio.set_aside("RE-2022", "EARLY", "Te vroeg", eur("1.00"), on=on, key="x", who=OFFICER)
    assert refused.value.problems[0].code == "outside_envelope_period"
    with pytest.raises(LedgerError):
        regio.record_article_transfer(
            "T6", "Voorjaarsnota", eur("1.00"), on=on, key="y", who=OFFICER
        )


def test_the_same_event_sent_twice_is_booked_once_and_another_under_its_key_is_refused(regio):
    first = regio.record_article_transfer(
        "T6", "Voorjaarsnota 2024", eur("257100000.00"), on=date(2024, 5, 7), key="vjn", who=OFFICER
    )
    again = regio.record_article_transfer(
        "T6", "Voorjaarsnota 2024", eur("257100000.00"), on=date(2024, 5, 7), key="vjn", who=OFFICER
    )
    assert again.sequence == first.sequence
    with pytest.raises(LedgerError) as refused:
        regio.record_article_transfer(
            "T6", "Voorjaarsnota 2024", eur("1.00"), on=date(2024, 5, 7), key="vjn", who=OFFICER
        )
    assert refused.value.problems[0].code == "idempotency_conflict"


def test_an_article_transfer_moves_no_envelope_money(regio):
    before = reconciled(regio, date(2024, 5, 7))
    regio.record_article_transfer(
        "T6", "Voorjaarsnota 2024", eur("257100000.00"), on=date(2024, 5, 7), key="vjn", who=OFFICER
    )
    after = reconciled(regio, date(2024, 5, 7))
    t6 = [next(t for t in envelope(r).tranches if t.code == "T6") for r in (before, after)]
    assert t6[0].budget == t6[1].budget and t6[0].available == t6[1].available
    assert envelope(before).unallocated == envelope(after).unallocated
    assert [e.amount for e in t6[1].article_transfers] == [eur("257100000.00")]
    assert after.ties_out


def test_a_reservations_unused_rest_goes_back_to_its_tranche_but_never_more(regio):
    regio.reserve(GRONINGEN, eur("50000000.00"), on=DAY, key="reserve", who=OFFICER)
    regio.release_reservation(
        "T5-GRONINGEN", eur("7500000.00"), on=date(2024, 2, 9), key="release", who=OFFICER
    )
    result = reconciled(regio, date(2024, 2, 9))
    t5 = next(t for t in envelope(result).tranches if t.code == "T5")
    assert t5.reserved == eur("42500000.00") and t5.available_reserved == eur("42500000.00")
    assert t5.available_free == eur("258100000.00") and result.ties_out
    with pytest.raises(LedgerError) as refused:
        regio.release_reservation(
            "T5-GRONINGEN", eur("42500000.01"), on=date(2024, 2, 9), key="more", who=OFFICER
        )
    assert refused.value.problems[0].code == "reservation_overcommitted"
    with pytest.raises(LedgerError) as unknown:
        regio.release_reservation("NOPE", eur("1.00"), on=DAY, key="nope", who=OFFICER)
    assert unknown.value.problems[0].code == "reservation_not_found"


def test_a_budget_event_is_never_changed_in_the_database(regio, ledger):
    regio.set_aside("RE-2022", "PETTEN", "Petten", eur("1.00"), on=DAY, key="aside", who=OFFICER)
    for statement in ("UPDATE budget_event SET amount = 2", "DELETE FROM budget_event"):
        with pytest.raises(DBAPIError), ledger.engine.begin() as connection:
            connection.execute(text(statement))
