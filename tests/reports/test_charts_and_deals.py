"""Charts and the deal report on the demo ledger: the data behind each chart checked figure by
figure against the reconciliation; the PNGs generated and non-empty (pixels are not checked)."""

from datetime import date
from decimal import Decimal

import pytest

from api.demo import load_demo
from ledger.db.service import LedgerService
from ledger.db.unit_of_work import UnitOfWork
from ledger.money import Money
from ledger.regio.db.service import RegioService
from ledger.regio.db.snapshot import load_snapshot
from reports import charts
from reports.deal_report import all_deal_progress, build_deal_progress
from reports.reconciliation import build_tranche_reconciliation

PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
def demo(ledger: LedgerService):
    load_demo(RegioService(ledger.engine))
    with UnitOfWork(ledger.engine) as uow:
        snapshot = load_snapshot(uow.connection, date(2025, 6, 30))
    return snapshot, build_tranche_reconciliation(snapshot)


def test_the_waterfall_walks_from_the_envelope_to_spending(demo):
    _, reconciliation = demo
    for envelope in reconciliation.envelopes:
        steps = charts.waterfall_steps(envelope)
        levels = {s.key: s.amount for s in steps if s.is_level}
        assert levels["envelope"] == envelope.amount
        changes = {s.key: s.amount for s in steps if not s.is_level}
        assert changes["set_aside"] == Money.zero() - envelope.set_aside_total
        assert changes["unallocated"] == Money.zero() - envelope.unallocated  # not the set-asides
        assert levels["committed"] == sum((t.committed for t in envelope.tranches), Money.zero())
        assert levels["paid"] == sum((t.paid for t in envelope.tranches), Money.zero())
        running = Money.zero()
        for step in steps:  # every change leads exactly to the next level
            running = step.amount if step.is_level else running + step.amount
            if step.is_level:
                assert running == levels[step.key]
        assert running == levels["spent"]
        png = charts.waterfall_png(envelope, "nl")
        assert png.startswith(PNG) and len(png) > 10_000


def test_spending_per_year_adds_up_to_the_reconciliation(demo):
    snapshot, reconciliation = demo
    years = charts.spending_per_year(snapshot)
    assert years and all(2018 <= y <= 2035 for y in years)
    rijk = sum((by_source["rijk"] for by_source in years.values()), Money.zero())
    expected = sum(
        (t.spent_rijk for e in reconciliation.envelopes for t in e.tranches), Money.zero()
    )
    assert abs((rijk - expected).amount) <= Decimal("0.01") * len(
        snapshot.beschikkingen
    )  # USD at its rate
    in_kind = sum((by_source["in_natura"] for by_source in years.values()), Money.zero())
    assert in_kind == sum(
        (t.in_kind for e in reconciliation.envelopes for t in e.tranches), Money.zero()
    )
    assert charts.spending_png(years, "en").startswith(PNG)


def test_cofinancing_ratios_per_deal_against_one_to_one(demo):
    snapshot, reconciliation = demo
    points = charts.cofinancing_ratios(all_deal_progress(snapshot))
    by_code = {row.deal.code: row for row in reconciliation.deals}
    assert [p.deal for p in points] == [d.code for d in snapshot.deals]
    for point in points:
        assert point.pledged == by_code[point.deal].pledged_ratio
        realised = by_code[point.deal].realised_ratio
        assert point.realised == realised
    assert charts.cofinancing_png(points, "nl").startswith(PNG)


def test_a_deal_report_has_every_figure_of_the_deal(demo):
    snapshot, reconciliation = demo
    row = next(r for r in reconciliation.deals if not r.spent_rijk.is_zero())
    progress = build_deal_progress(snapshot, row.deal.code)
    assert progress.granted == row.granted and progress.paid == row.paid
    assert progress.spent_rijk == row.spent_rijk
    assert progress.spent_from("in_natura") == row.in_kind
    assert progress.multiplier == row.realised_ratio
    assert (
        sum((by_source["rijk"] for by_source in progress.spent.values()), Money.zero())
        == row.spent_rijk
    )
    document = progress.as_dict()
    assert document["programme_lines"] == list(row.deal.programme_lines)
    assert Decimal(document["pledged_regional"]) == row.pledged_regional.amount
    with pytest.raises(KeyError):
        build_deal_progress(snapshot, "NO-SUCH-DEAL")


def test_a_partner_is_one_row_whether_a_statement_names_it_by_code_or_by_name(demo):
    """Pledges name the organisation by its code; statement lines by its code or its name: on
    the demo, every deal's partner that gave money is the organisation it pledged as, never a
    second row under its code."""
    snapshot, rec = demo
    codes = set(snapshot.organisations)
    realised_pledged = 0
    for deal in rec.deals:
        partners = build_deal_progress(snapshot, deal.deal.code).partners
        names = [p.name for p in partners]
        assert len(names) == len(set(names)), deal.deal.code
        assert not [n for n in names if n in codes], (deal.deal.code, names)  # a code as a name
        realised_pledged += sum(
            1 for p in partners if p.pledged.is_positive() and p.realised.is_positive()
        )
    assert realised_pledged > 0  # pledges and statement lines met on one row
