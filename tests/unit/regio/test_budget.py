"""``rules.budget``: an envelope's shape, dates inside it, moves within one envelope, rates."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ledger.regio.rules import budget
from tests.unit.regio.objects import ENVELOPE, envelope, eur, usd


def test_a_positive_euro_envelope_over_a_period_holds():
    assert budget.check_envelope(ENVELOPE) == []


@pytest.mark.parametrize("amount", [eur(0), usd(1000)])
def test_an_envelope_budget_is_a_positive_euro_amount(amount):
    [problem] = budget.check_envelope(envelope(amount=amount))
    assert problem.code == "invalid_amount" and "RE-2" in problem.message


def test_an_envelope_ends_on_or_after_its_start():
    [problem] = budget.check_envelope(envelope(ends_on=ENVELOPE.starts_on - timedelta(days=1)))
    assert problem.code == "invalid_period"
    assert budget.check_envelope(envelope(ends_on=ENVELOPE.starts_on)) == []


def test_every_problem_of_an_envelope_at_once():
    bad = envelope(code="RE 2", amount=eur(0), ends_on=date(2021, 1, 1))
    codes = {problem.code for problem in budget.check_envelope(bad)}
    assert {"invalid_amount", "invalid_period"} <= codes and len(codes) == 3


@given(st.dates(min_value=date(2020, 1, 1), max_value=date(2027, 12, 31)))
def test_a_decision_falls_inside_its_envelopes_period(on):
    problems = budget.check_in_envelope(("A shift", "Een verschuiving"), on, ENVELOPE)
    inside = ENVELOPE.starts_on <= on <= ENVELOPE.ends_on
    assert (problems == []) == inside
    assert all(problem.code == "outside_envelope_period" for problem in problems)


def test_budget_moves_between_tranches_of_one_envelope_only():
    assert budget.check_same_envelope("T6", "RE-2", "T5", "RE-2") == []
    [problem] = budget.check_same_envelope("T3", "RE-1", "T5", "RE-2")
    assert problem.code == "shift_across_envelopes"
    assert "T3" in problem.message and "RE-1" in problem.message_nl


@pytest.mark.parametrize("rate", [Decimal(0), Decimal(-1), Decimal("NaN"), Decimal("Infinity")])
def test_a_rate_is_a_positive_finite_number(rate):
    [problem] = budget.check_rate(rate)
    assert problem.code == "invalid_rate"


def test_a_positive_rate_or_none_holds():
    assert budget.check_rate(Decimal("1.085")) == [] and budget.check_rate(None) == []
