"""The demo ledger reproduces the published figures, each traceable to its bookings."""

import csv
from datetime import date
from decimal import Decimal

import pytest

from api.demo import FIGURES, load_demo
from ledger.db.service import LedgerService
from ledger.db.unit_of_work import UnitOfWork
from ledger.regio.db.service import RegioService
from ledger.regio.db.snapshot import load_snapshot
from reports.reconciliation import build_tranche_reconciliation
from reports.render import render_text, to_json

AS_OF = date(2025, 6, 30)


def published(kind: str, key: str) -> Decimal:
    with FIGURES.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if (row["kind"], row["key"]) == (kind, key):
                return Decimal(row["amount_eur"])
    raise KeyError((kind, key))


@pytest.fixture
def reconciliation(ledger: LedgerService):
    load_demo(RegioService(ledger.engine))
    with UnitOfWork(ledger.engine) as uow:
        snapshot = load_snapshot(uow.connection, AS_OF)
    return build_tranche_reconciliation(snapshot), snapshot


def tranche(reconciliation, code):
    return next(t for e in reconciliation.envelopes for t in e.tranches if t.code == code)


def test_envelopes_and_tranches_match_the_published_figures(reconciliation, ledger):
    result, _ = reconciliation
    envelope = next(e for e in result.envelopes if e.code == "RE-2022")
    assert envelope.amount.amount == published("envelope", "RE-2022") == Decimal("900000000")
    assert envelope.unallocated.amount == Decimal("14600000.00")  # 900 − 284.2 − 300.6 − 300.6
    t4, t5, t6 = (tranche(result, c) for c in ("T4", "T5", "T6"))
    assert t4.budget.amount == published("tranche", "T4")
    assert t4.committed.amount == published("tranche", "T4")  # committed by its 14 deals
    assert len([d for d in result.deals if d.deal.tranche == "T4"]) == 14
    assert t5.budget.amount == published("tranche_after_shift", "T5") == Decimal("384600000")
    assert t5.shifted_in.amount == published("tranche_shift", "T6->T5")
    assert t5.reserved.amount == published("reservation", "T5-GRONINGEN")
    assert t6.budget.amount == published("tranche_after_shift", "T6") == Decimal("216600000")
    assert result.ties_out
    assert ledger.verify().ok


def test_disputed_figures_are_listed_as_open_differences(reconciliation):
    result, _ = reconciliation
    open_differences = {
        (d.published_on, d.difference.amount) for d in result.differences if d.is_open
    }
    assert open_differences == {
        (date(2024, 2, 9), Decimal("1800000.00")),  # tranche 5: 386.4 announced vs 384.6 booked
        (date(2024, 5, 7), Decimal("40500000.00")),  # tranche 6: 257.1 transferred vs 216.6 booked
        (date(2025, 2, 3), Decimal("27700000.00")),  # tranche 6: 244.3 awarded vs 216.6 booked
    }
    explained = [d for d in result.differences if not d.is_open]
    assert explained and all(d.explained_by for d in explained)


def test_islands_are_bu_in_dollars_linked_to_their_euro_commitment(reconciliation, ledger):
    _, snapshot = reconciliation
    islands = {b.nummer: b for b in snapshot.beschikkingen if b.instrument.value == "BU"}
    assert set(islands) == {"RD-T5-SABA-1", "RD-T5-SINT-EUSTATIUS-1"}
    saba = islands["RD-T5-SABA-1"]
    assert (saba.amount.currency, saba.eur_amount.amount) == ("USD", published("deal", "T5-SABA"))
    assert ledger.trial_balance().is_balanced  # per currency, EUR and USD


def test_illustrative_data_is_labelled_wherever_it_shows(reconciliation):
    result, snapshot = reconciliation
    assert snapshot.illustrative
    assert "illustratief" in render_text(result, "nl", illustrative=True)
    assert '"illustrative_data": true' in to_json(result, illustrative=True)


def test_loading_twice_books_nothing_new(ledger):
    regio = RegioService(ledger.engine)
    load_demo(regio)
    first = ledger.verify().entries_checked
    load_demo(regio)
    assert ledger.verify().entries_checked == first


def test_a_dollar_beschikkings_statement_is_booked_in_dollars(ledger):
    """Regression: statements were booked in euros, which the ledger refused for a USD BU."""
    from ledger.regio.db.statements import current_lines

    load_demo(RegioService(ledger.engine))
    with UnitOfWork(ledger.engine) as uow:
        lines = current_lines(uow.connection, "RD-T5-SABA-1")
    rijk = [line.amount for line in lines if line.source == "rijk" and line.year == 2025]
    assert rijk, "the demo hands in 2025 as a statement"
    spent = ledger.balance("beschikking:RD-T5-SABA-1:spent:2025:rijk").balance
    assert spent.currency == "USD" and spent.minor_units == sum(rijk)
