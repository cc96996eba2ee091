"""The reconciliation of the worked example, every figure checked, and a property: any
sequence of valid operations leaves a reconciliation that ties out and a clean journal."""

import contextlib
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ledger.db.service import LedgerService
from ledger.db.unit_of_work import UnitOfWork
from ledger.errors import LedgerError
from ledger.regio.db.service import RegioService
from ledger.regio.db.snapshot import load_snapshot
from ledger.regio.model import FundingSource
from reports.reconciliation import build_tranche_reconciliation
from tests.scenarios.flow import OFFICER, build_world, eur, zwolle_beschikking, zwolle_deal


def reconcile(ledger: LedgerService, on: date):
    with UnitOfWork(ledger.engine) as uow:
        return build_tranche_reconciliation(load_snapshot(uow.connection, on))


@pytest.mark.today("2029-06-30")  # the whole life, to after the spending period
def test_every_figure_of_the_worked_example(ledger):
    regio = RegioService(ledger.engine)
    build_world(regio)
    regio.shift("T6", "T5", eur("84000000.00"), on=date(2023, 6, 1), key="shift", who=OFFICER)
    regio.sign_deal(zwolle_deal(), key="sign", who=OFFICER)
    regio.grant(zwolle_beschikking(), key="grant", who=OFFICER)
    regio.pay("RD-2024-001", eur("20000000.00"), on=date(2024, 9, 15), key="pay", who=OFFICER)
    regio.record_spending(
        "RD-2024-001",
        2025,
        FundingSource.RIJK,
        eur("15000000.00"),
        on=date(2025, 2, 1),
        key="s1",
        who=OFFICER,
    )
    regio.record_spending(
        "RD-2024-001",
        2025,
        FundingSource.COFINANCIERING_PUBLIEK,
        eur("9000000.00"),
        on=date(2025, 2, 1),
        key="s2",
        who=OFFICER,
        partner="PV-OVERIJSSEL",
    )
    regio.record_spending(
        "RD-2024-001",
        2025,
        FundingSource.IN_NATURA,
        eur("3000000.00"),
        on=date(2025, 2, 1),
        key="s3",
        who=OFFICER,
        partner="BEDRIJF-X",
    )
    regio.settle(
        "RD-2024-001",
        on=date(2028, 2, 1),
        key="settle",
        who=OFFICER,
        ambtshalve="na de bestedingsperiode, zonder eindverantwoording",
        cofinancing_exception="een voorbeeld van de geldstromen, zonder de cofinanciering die de regel vraagt",
    )
    regio.repay("RD-2024-001", eur("4000000.00"), on=date(2028, 3, 1), key="repay", who=OFFICER)

    before = reconcile(ledger, date(2024, 12, 31))
    t5 = next(t for e in before.envelopes for t in e.tranches if t.code == "T5")
    assert (
        t5.budget.amount,
        t5.committed.amount,
        t5.granted.amount,
        t5.paid.amount,
        t5.spent_rijk.amount,
    ) == (384600000, 30000000, 30000000, 20000000, 0)

    after = reconcile(ledger, date(2028, 12, 31))
    envelope = after.envelopes[0]
    t5 = next(t for t in envelope.tranches if t.code == "T5")
    expected = {
        "budget": 384600000,
        "shifted_in": 84000000,
        "committed": 30000000,
        "granted": 30000000,
        "paid": 20000000,
        "unpaid": 0,
        "lapsed": 10000000,
        "spent_rijk": 15000000,
        "cofinancing_cash": 9000000,
        "in_kind": 3000000,
        "settled": 15000000,
        "recoverable": 1000000,
        "recovered": 4000000,
        "available": 354600000,
    }
    assert {name: getattr(t5, name).amount for name in expected} == expected
    assert [c.difference.amount for c in t5.controls] == [0, 0, 0, 0]
    assert (envelope.allocated.amount, envelope.unallocated.amount) == (601200000, 298800000)
    deal = after.deals[0]
    assert deal.pledged_ratio == 1 and not deal.shortfall
    assert deal.realised_ratio == Decimal("0.8")  # (9M cash + 3M in kind) / 15M Rijk
    assert after.ties_out


OPERATIONS = st.lists(
    st.tuples(
        st.sampled_from(["shift", "sign", "grant", "pay", "spend", "settle", "repay"]),
        st.integers(min_value=1, max_value=40),  # millions
        st.integers(min_value=0, max_value=2),  # which deal / beschikking
    ),
    max_size=14,
)


def apply(regio: RegioService, number: int, operation: str, millions: int, which: int) -> None:
    amount = eur(f"{millions * 1000000}.00")
    deal, nummer = f"DEAL-{which}", f"B-{which}"
    if operation == "shift":
        regio.shift("T6", "T5", amount, on=date(2023, 6, 1), key=f"op{number}", who=OFFICER)
    elif operation == "sign":
        regio.sign_deal(
            zwolle_deal(code=deal, rijksbijdrage=amount), key=f"op{number}", who=OFFICER
        )
    elif operation == "grant":
        regio.grant(
            zwolle_beschikking(nummer=nummer, deal=deal, amount=amount),
            key=f"op{number}",
            who=OFFICER,
        )
    elif operation == "pay":
        regio.pay(nummer, amount, on=date(2025, 1, 1), key=f"op{number}", who=OFFICER)
    elif operation == "spend":
        regio.record_spending(
            nummer,
            2025,
            FundingSource.RIJK,
            amount,
            on=date(2025, 6, 1),
            key=f"op{number}",
            who=OFFICER,
        )
    elif operation == "settle":
        regio.settle(
            nummer,
            on=date(2028, 1, 1),
            key=f"op{number}",
            who=OFFICER,
            ambtshalve="na de bestedingsperiode, zonder eindverantwoording",
            cofinancing_exception="een voorbeeld van de geldstromen, zonder de cofinanciering die de regel vraagt",
        )
    else:
        regio.repay(nummer, amount, on=date(2028, 2, 1), key=f"op{number}", who=OFFICER)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(operations=OPERATIONS)
def test_any_history_reconciles_and_verifies(database_factory, operations):
    ledger = LedgerService.from_url(database_factory())
    regio = RegioService(ledger.engine)
    try:
        build_world(regio, tranche_budget="100000000.00")
        for number, (operation, millions, which) in enumerate(operations):
            with contextlib.suppress(
                LedgerError
            ):  # a refusal must leave everything whole: checked below
                apply(regio, number, operation, millions, which)
        for on in (date(2024, 12, 31), date(2029, 1, 1)):
            assert reconcile(ledger, on).ties_out
        assert ledger.verify().ok
        assert ledger.trial_balance().is_balanced
    finally:
        ledger.engine.dispose()


def test_a_payment_booked_while_the_reconciliation_reads_is_in_none_of_its_figures(
    ledger, monkeypatch
):
    """The reconciliation reads the deals and beschikkingen, then the balances; a payment
    committed in between shows in all of its figures or in none, never in the balances alone."""
    from ledger.db import queries

    regio = RegioService(ledger.engine)
    build_world(regio)
    regio.sign_deal(zwolle_deal(), key="sign", who=OFFICER)
    regio.grant(zwolle_beschikking(), key="grant", who=OFFICER)
    regio.pay("RD-2024-001", eur("20000000.00"), on=date(2024, 9, 15), key="pay", who=OFFICER)
    on = date(2025, 6, 1)
    before = reconcile(ledger, on)
    read_balances = queries.balances

    def paid_meanwhile(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        regio.pay("RD-2024-001", eur("1000000.00"), on=date(2024, 10, 1), key="p2", who=OFFICER)
        return read_balances(*args, **kwargs)

    monkeypatch.setattr(queries, "balances", paid_meanwhile)
    assert reconcile(ledger, on) == before
    monkeypatch.undo()
    assert reconcile(ledger, on) != before  # the payment is there for the next reader
