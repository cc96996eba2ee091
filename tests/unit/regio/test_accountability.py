"""``rules.accountability``: spending and who accounts for it, the eindverantwoording, the
vaststelling with its dates and its co-financing cap, a statement's withdrawal."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ledger import words
from ledger.money import Money
from ledger.regio.model import FundingSource, Instrument
from ledger.regio.rules import accountability as rules
from tests.unit.regio.objects import beschikking, eur, usd

END = date(2027, 12, 31)
RIJK = FundingSource.RIJK
TODAY = date(2026, 12, 6)


def codes(problems):
    return [problem.code for problem in problems]


def test_spending_in_its_year_and_period_in_the_grants_currency_holds():
    assert rules.check_spending(beschikking(), END, date(2025, 3, 1), 2025, RIJK, eur(100)) == []


def test_every_problem_of_a_spending_line_at_once():
    found = rules.check_spending(beschikking(), END, date(2023, 1, 5), 2024, RIJK, usd(0))
    assert codes(found) == [
        "date_outside_year",
        "outside_spending_period",
        "zero_amount",
        "currency_mismatch",
    ]


@pytest.mark.parametrize("instrument", [Instrument.DU, Instrument.DO])
def test_general_funds_and_another_ministrys_budget_report_no_spending(instrument):
    b = beschikking(instrument=instrument)
    assert codes(rules.check_accountable(b)) == [f"{instrument.lower()}_has_no_accountability"]
    assert codes(rules.check_settlement(b, eur(0), eur(0))) == [
        f"{instrument.lower()}_has_no_settlement"
    ]
    assert codes(rules.check_final(b, 2025, None, TODAY)) == [
        f"{instrument.lower()}_has_no_accountability"
    ]


def test_what_is_settled_as_ineligible_lies_between_nothing_and_what_was_spent():
    assert rules.check_settlement(beschikking(), eur(5), eur(5)) == []
    assert codes(rules.check_settlement(beschikking(), eur(6), eur(5))) == ["invalid_amount"]
    assert codes(rules.check_settlement(beschikking(), Money.of(-1), eur(5))) == ["invalid_amount"]


def test_the_eindverantwoording_once_after_its_year_and_not_before_the_decision():
    assert rules.check_final(beschikking(), 2025, None, TODAY) == []
    assert codes(rules.check_final(beschikking(), 2025, 2024, TODAY)) == ["already_final"]
    assert codes(rules.check_final(beschikking(), 2026, None, TODAY)) == ["year_not_ended"]
    assert codes(rules.check_final(beschikking(), 2022, None, TODAY)) == ["date_outside_year"]
    assert rules.check_not_final("RD-1", []) == []
    [final] = rules.check_not_final("RD-1", [2025])
    assert final.code == "year_final" and "2025" in final.message
    assert "nothing more is spent" in final.message
    [statement] = rules.check_not_final("RD-1", {2025}, "statement")
    assert "no statement is booked" in statement.message and statement.details["final_year"] == 2025


def test_a_vaststelling_follows_the_eindverantwoording_or_says_why_it_is_ambtshalve():
    b = beschikking()
    assert (
        rules.check_settlement_dates(b, date(2026, 3, 1), END, 2025, date(2026, 1, 1), None) == []
    )
    assert codes(rules.check_settlement_dates(b, date(2028, 3, 1), END, None, None, "  ")) == [
        "settlement_needs_final"
    ]
    assert (
        rules.check_settlement_dates(b, date(2028, 3, 1), END, None, None, "geen verantwoording")
        == []
    )
    assert codes(rules.check_settlement_dates(b, date(2027, 3, 1), END, None, None, "reden")) == [
        "settlement_too_early"
    ]
    assert codes(
        rules.check_settlement_dates(b, date(2026, 3, 1), END, 2025, date(2026, 4, 1), None)
    ) == ["settlement_before_movement"]


def test_a_statement_is_withdrawn_only_while_its_beschikking_is_open_and_not_final():
    row = object()
    assert rules.check_statement_withdrawal("RD-1", "7", row, frozenset(), False) == []
    assert codes(rules.check_statement_withdrawal("RD-1", "7", None, frozenset(), False)) == [
        "statement_not_found"
    ]
    assert codes(rules.check_statement_withdrawal("RD-1", "7", row, frozenset({2025}), False)) == [
        "year_final"
    ]
    assert codes(rules.check_statement_withdrawal("RD-1", "7", row, frozenset(), True)) == [
        "beschikking_settled"
    ]


def test_early_tranches_count_public_cash_only_and_later_ones_everything():
    public, private, in_kind = eur(300), eur(200), eur(100)
    assert rules.counted_realised("T3", public, private, in_kind) == eur(300)
    assert rules.counted_realised("T4", public, private, in_kind) == eur(600)


cents = st.integers(min_value=0, max_value=10**11)


@given(cents, cents, cents, st.sampled_from(["T1", "T2", "T3", "T4", "T5", "T6"]))
def test_the_cap_is_what_the_counted_money_carries_and_never_more(
    public, private, in_kind, tranche
):
    amounts = [Money.from_minor_units(c) for c in (public, private, in_kind)]
    cap = rules.cofinancing_cap(tranche, *amounts)
    counted = rules.counted_realised(tranche, *amounts)
    assert cap == counted  # a ratio of 1: the Rijk carries as much as the region counted
    assert not rules.realised_cofinancing_short(tranche, cap, counted)
    if cap.is_positive():
        assert rules.realised_cofinancing_short(tranche, cap + Money.of("0.01"), counted)


def test_settling_beyond_the_cap_needs_a_recorded_reason():
    assert rules.check_cofinancing_at_settlement("RD-1", "T5", eur(100), eur(100), None) == []
    [short] = rules.check_cofinancing_at_settlement("RD-1", "T5", eur(150), eur(100), None)
    assert short.code == "cofinancing_short_at_settlement"
    assert words.money(eur(50)) in short.message_nl and words.money(eur(50), "en") in short.message
    assert rules.check_cofinancing_at_settlement("RD-1", "T5", eur(150), eur(100), "eilanden") == []
    assert codes(rules.check_cofinancing_at_settlement("RD-1", "T5", eur(150), eur(100), " ")) == [
        "cofinancing_short_at_settlement"
    ]
