"""Reservations, BU in dollars, verlenging, and the conversion of a DU into a SPUK."""

from datetime import date

import pytest

from ledger.db.service import LedgerService
from ledger.db.unit_of_work import UnitOfWork
from ledger.errors import LedgerError
from ledger.money import Money
from ledger.regio.db.service import RegioService
from ledger.regio.db.snapshot import load_snapshot
from ledger.regio.model import FundingSource, Instrument
from reports.reconciliation import build_tranche_reconciliation
from tests.scenarios.flow import (
    GRONINGEN,
    OFFICER,
    build_world,
    eur,
    saba_beschikking,
    saba_deal,
    zwolle_beschikking,
    zwolle_deal,
)


@pytest.fixture
def regio(ledger: LedgerService) -> RegioService:
    service = RegioService(ledger.engine)
    build_world(service)
    return service


def reconcile(ledger: LedgerService, on: date = date(2030, 1, 1)):
    with UnitOfWork(ledger.engine) as uow:
        return build_tranche_reconciliation(load_snapshot(uow.connection, on))


def test_only_deals_marked_for_a_reservation_draw_on_it(regio, ledger):
    regio.reserve(GRONINGEN, eur("50000000.00"), on=date(2023, 6, 1), key="reserve", who=OFFICER)
    regio.sign_deal(
        zwolle_deal(
            code="GRONINGEN-NOORD-II", rijksbijdrage=eur("10000000.00"), reservation="T5-GRONINGEN"
        ),
        key="sign-groningen",
        who=OFFICER,
    )
    assert ledger.balance("reservation:T5-GRONINGEN:available").balance.amount == 40000000
    assert ledger.balance("tranche:T5:available").balance.amount == 250600000  # 300.6 − 50 reserved
    with pytest.raises(LedgerError) as refused:
        regio.sign_deal(
            zwolle_deal(code="BIG", rijksbijdrage=eur("40000000.01"), reservation="T5-GRONINGEN"),
            key="sign-big",
            who=OFFICER,
        )
    assert refused.value.code == "reservation_overcommitted"
    t5 = next(t for e in reconcile(ledger).envelopes for t in e.tranches if t.code == "T5")
    assert (t5.reserved.amount, t5.committed.amount, t5.available.amount) == (
        50000000,
        10000000,
        290600000,
    )
    assert all(c.ties_out for c in t5.controls)


def test_a_bu_in_dollars_balances_per_currency_and_reconciles_in_euros(regio, ledger):
    regio.sign_deal(saba_deal(), key="sign-saba", who=OFFICER)
    regio.grant(saba_beschikking(), key="grant-saba", who=OFFICER)
    regio.pay(
        "BU-SABA-1", Money.of("2000000.00", "USD"), on=date(2024, 10, 1), key="pay", who=OFFICER
    )
    regio.record_spending(
        "BU-SABA-1",
        2025,
        FundingSource.RIJK,
        Money.of("1085000.00", "USD"),
        on=date(2025, 5, 1),
        key="s",
        who=OFFICER,
    )
    trial = ledger.trial_balance()
    assert trial.is_balanced and set(trial.debit_totals) == {"EUR", "USD"}
    assert ledger.balance("deal:SABA:ungranted").balance.is_zero()
    t5 = next(t for e in reconcile(ledger).envelopes for t in e.tranches if t.code == "T5")
    assert t5.granted.amount == 5000000  # the EUR commitment
    assert t5.spent_rijk.amount == 1000000  # 1,085,000 USD is a fifth of the grant
    assert t5.unpaid + t5.paid == t5.granted
    assert all(c.ties_out for c in t5.controls)


def test_a_bu_whose_dollars_do_not_follow_from_the_rate_is_refused(regio):
    regio.sign_deal(saba_deal(), key="sign-saba", who=OFFICER)
    with pytest.raises(LedgerError) as refused:
        regio.grant(saba_beschikking(rate="1.0851"), key="grant-saba", who=OFFICER)
    assert refused.value.code == "conversion_mismatch"


@pytest.mark.today("2029-06-30")  # the whole life, to after the spending period
def test_verlenging_moves_the_end_and_books_no_money(regio, ledger):
    regio.sign_deal(zwolle_deal(), key="sign", who=OFFICER)
    regio.grant(zwolle_beschikking(), key="grant", who=OFFICER)
    entries = ledger.verify().entries_checked
    with pytest.raises(LedgerError) as refused:
        regio.record_spending(
            "RD-2024-001",
            2028,
            FundingSource.RIJK,
            eur("5.00"),
            on=date(2028, 3, 1),
            key="early",
            who=OFFICER,
        )
    assert refused.value.code == "outside_spending_period"
    regio.extend("RD-2024-001", date(2028, 12, 31), on=date(2027, 11, 1), key="extend", who=OFFICER)
    assert ledger.verify().entries_checked == entries
    regio.record_spending(
        "RD-2024-001",
        2028,
        FundingSource.RIJK,
        eur("5.00"),
        on=date(2028, 3, 1),
        key="late",
        who=OFFICER,
    )
    with pytest.raises(LedgerError) as refused:
        regio.extend(
            "RD-2024-001", date(2028, 6, 30), on=date(2028, 4, 1), key="shorter", who=OFFICER
        )
    assert refused.value.code == "extension_not_later"


def test_a_du_becomes_a_spuk_and_both_histories_stay(regio, ledger):
    regio.sign_deal(zwolle_deal(), key="sign", who=OFFICER)
    du = zwolle_beschikking(nummer="DU-001", instrument=Instrument.DU)
    regio.grant(du, key="grant-du", who=OFFICER)
    regio.pay("DU-001", eur("10000000.00"), on=date(2024, 10, 1), key="pay-du", who=OFFICER)
    with pytest.raises(LedgerError) as refused:
        regio.settle("DU-001", on=date(2025, 1, 1), key="settle-du", who=OFFICER)
    assert refused.value.code == "du_has_no_settlement"
    spuk = zwolle_beschikking(
        nummer="SPUK-001",
        amount=eur("20000000.00"),
        converted_from="DU-001",
        decided_on=date(2025, 2, 1),
    )
    regio.convert_du_to_spuk("DU-001", spuk, on=date(2025, 2, 1), key="convert", who=OFFICER)
    assert ledger.balance("beschikking:DU-001:unpaid").balance.is_zero()
    assert (
        ledger.balance("beschikking:DU-001:paid").balance.amount == 10000000
    )  # the DU keeps what it was paid
    assert ledger.balance("beschikking:SPUK-001:unpaid").balance.amount == 20000000
    with pytest.raises(LedgerError) as refused:
        regio.pay("DU-001", eur("1.00"), on=date(2025, 3, 1), key="pay-old", who=OFFICER)
    assert refused.value.code == "beschikking_converted"
    t5 = next(t for e in reconcile(ledger).envelopes for t in e.tranches if t.code == "T5")
    assert t5.granted.amount == 30000000 and all(c.ties_out for c in t5.controls)
    assert ledger.verify().ok


def test_regional_spending_needs_a_partner(regio):
    regio.sign_deal(zwolle_deal(), key="sign", who=OFFICER)
    regio.grant(zwolle_beschikking(), key="grant", who=OFFICER)
    with pytest.raises(LedgerError) as refused:
        regio.record_spending(
            "RD-2024-001",
            2025,
            FundingSource.IN_NATURA,
            eur("5.00"),
            on=date(2025, 3, 1),
            key="k",
            who=OFFICER,
        )
    assert refused.value.code == "partner_missing"


def test_a_rijk_body_cannot_pledge_co_financing(regio):
    from ledger.regio.model import Pledge, PledgeKind

    with pytest.raises(LedgerError) as refused:
        regio.sign_deal(
            zwolle_deal(pledges=(Pledge("MIN-BZK", PledgeKind.CASH, eur("1.00")),)),
            key="s",
            who=OFFICER,
        )
    assert refused.value.code == "rijk_as_cofinancier"
