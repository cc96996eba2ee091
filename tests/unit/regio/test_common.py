"""``rules.common``: codes, the date windows and "the year has ended", on plain values."""

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from ledger.regio.rules import common

DAYS = st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31))


def test_codes_follow_the_one_grammar_and_name_their_field():
    assert common.check_codes(deal="T5-ZWOLLE", reservation=None) == []
    [problem] = common.check_codes(deal="T5 ZWOLLE", beschikking="RD-1")
    assert "deal" in problem.message


@given(DAYS, DAYS)
def test_a_date_before_its_limit_is_refused_and_one_on_or_after_it_is_not(on, limit):
    problems = common.not_before("too_early", ("The payment", "De betaling"), on, limit, ("x", "y"))
    assert (problems == []) == (on >= limit)
    for problem in problems:
        assert problem.code == "too_early"
        assert str(on) in problem.message and str(limit) in problem.message
        assert str(limit) in problem.message_nl


@given(DAYS, DAYS)
def test_a_date_after_its_limit_is_refused_and_one_on_or_before_it_is_not(on, limit):
    problems = common.not_after("too_late", ("The payment", "De betaling"), on, limit, ("x", "y"))
    assert (problems == []) == (on <= limit)


@given(st.integers(min_value=2000, max_value=2100), DAYS)
def test_a_year_is_accounted_for_only_once_it_has_ended(year, today):
    problems = common.check_year_ended("A statement", year, today)
    assert (problems == []) == (today.year > year)
    for problem in problems:
        assert problem.code == "year_not_ended"
        assert f"1 January {year + 1}" in problem.message


def test_the_last_day_of_a_year_is_still_inside_it():
    assert common.check_year_ended("A statement", 2025, date(2025, 12, 31))
    assert (
        common.check_year_ended("A statement", 2025, date(2025, 12, 31) + timedelta(days=1)) == []
    )
