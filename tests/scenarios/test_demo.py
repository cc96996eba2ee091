"""The demo ledger: labelled, loaded once, and its dollar statements booked in dollars (the
published figures themselves: ``test_history``)."""

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
