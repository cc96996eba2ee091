from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ledger.errors import LedgerError
from ledger.money import CURRENCY_EXPONENTS, Money, currency_exponent
from ledger.rounding import allocate, round_half_away_from_zero

cents = st.integers(min_value=-(10**15), max_value=10**15)


def test_float_is_refused_with_a_stable_code():
    with pytest.raises(LedgerError) as refused:
        Money.of(0.1, "EUR")
    assert refused.value.code == "float_amount"


def test_more_decimals_than_the_currency_has_is_refused_not_rounded():
    with pytest.raises(LedgerError) as refused:
        Money.of("10.005", "EUR")
    assert refused.value.code == "inexact_amount"


def test_unknown_currency_is_refused():
    with pytest.raises(LedgerError) as refused:
        Money.of("1", "XYZ")
    assert refused.value.code == "unknown_currency"


def test_text_amount_is_parsed_exactly_and_shown_at_two_decimals():
    assert str(Money.of("384600000", "EUR")) == "384600000.00 EUR"
    assert Money.of("0.10", "EUR").minor_units == 10


def test_adding_different_currencies_is_refused():
    with pytest.raises(LedgerError) as refused:
        Money.of("1", "EUR") + Money.of("1", "USD")
    assert refused.value.code == "currency_mismatch"


@given(cents)
def test_minor_units_round_trip(units):
    assert Money.from_minor_units(units, "EUR").minor_units == units


@pytest.mark.parametrize(
    ("cents_value", "whole"),
    [
        (1250, 13),
        (1249, 12),
        (-1250, -13),
        (-1249, -12),
        (50, 1),
        (-50, -1),
        (0, 0),
        (38460000000, 384600000),
    ],
)
def test_rounding_goes_half_away_from_zero(cents_value, whole):
    assert round_half_away_from_zero(cents_value) == whole


@given(
    st.integers(min_value=-(10**20), max_value=10**20), st.sampled_from(sorted(CURRENCY_EXPONENTS))
)
def test_rounding_agrees_with_decimal_half_up(units, currency):
    exponent = Decimal(1).scaleb(-currency_exponent(currency))
    exact = Decimal(units) * exponent
    assert round_half_away_from_zero(units, currency) == int(
        exact.quantize(Decimal(1), rounding=ROUND_HALF_UP)
    )


@given(
    cents, st.lists(st.integers(min_value=0, max_value=10**6), min_size=1, max_size=20).filter(any)
)
def test_allocation_parts_sum_to_the_whole(units, weights):
    total = Money.from_minor_units(units, "EUR")
    parts = allocate(total, weights)
    assert sum(p.amount for p in parts) == total.amount
    assert len(parts) == len(weights)
    for part, weight in zip(parts, weights, strict=True):
        exact = Decimal(units) * weight / sum(weights)
        assert abs(part.minor_units - exact) < 1  # never more than one cent from the exact share
