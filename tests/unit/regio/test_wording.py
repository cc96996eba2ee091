"""``rules.wording``: a crossed balance limit said in the reader's words — what would go wrong,
by the code its users know, the amounts and the date — never an account code or entry key."""

from datetime import date
from decimal import Decimal

import pytest

from ledger import words
from ledger.errors import Problem
from ledger.money import Money
from ledger.regio import chart
from ledger.regio.model import FundingSource
from ledger.regio.rules import wording


def crossed(
    account: str, available: str = "100.00", shortfall: str = "25.50", currency: str = "EUR"
) -> Problem:
    return Problem(
        "limit_exceeded",
        "Entry k-1 would take account … below zero",
        entry="k-1",
        account=account,
        details={
            "available": Decimal(available),
            "shortfall": Decimal(shortfall),
            "currency": currency,
        },
    )


@pytest.mark.parametrize(
    ("account", "code", "subject"),
    [
        (chart.envelope_unallocated("RE-2"), "envelope_overallocated", "envelope RE-2"),
        (chart.tranche_available("T5"), "tranche_overcommitted", "tranche T5"),
        (
            chart.reservation_available("T5-GRONINGEN"),
            "reservation_overcommitted",
            "reservation T5-GRONINGEN",
        ),
        (chart.deal_ungranted("T5-ZWOLLE"), "deal_overgranted", "deal T5-ZWOLLE"),
        (chart.beschikking_account("RD-1", "unpaid"), "overpayment", "beschikking RD-1"),
        (
            chart.beschikking_account("RD-1", "recoverable"),
            "repayment_exceeds_debt",
            "beschikking RD-1",
        ),
    ],
)
def test_each_stage_says_what_would_go_wrong_by_the_code_its_users_know(account, code, subject):
    said = wording.explain_limit(crossed(account))
    assert said.code == code
    assert said.message.startswith(f"Refused: {subject}: ")
    assert words.money(Money.of("100.00"), "en") in said.message
    assert words.money(Money.of("25.50")) in said.message_nl
    assert account not in said.message and account not in said.message_nl
    assert "k-1" not in said.message and said.account is None and said.entry is None
    assert said.details == {"available": Decimal("100.00"), "shortfall": Decimal("25.50")}


def test_a_spending_total_that_would_turn_negative_names_its_year_and_source():
    account = chart.spent_account("RD-1", 2025, FundingSource.IN_NATURA)
    said = wording.explain_limit(crossed(account))
    assert said.code == "negative_spending_total"
    assert said.details["year"] == 2025 and said.details["source"] == "in_natura"


def test_a_dollar_limit_is_said_in_dollars():
    said = wording.explain_limit(
        crossed(chart.beschikking_account("BU-1", "unpaid"), currency="USD")
    )
    assert words.money(Money.of("25.50", "USD"), "en") in said.message


def test_a_back_dated_booking_names_the_date_it_would_cross_on():
    found = Problem(
        "limit_exceeded_as_of",
        "…",
        entry="k-2",
        account=chart.tranche_available("T5"),
        details={
            "effective_on": date(2024, 1, 1),
            "as_of": date(2024, 3, 1),
            "shortfall": Decimal("10.00"),
            "currency": "EUR",
        },
    )
    said = wording.explain_limit(found)
    assert said.code == "limit_exceeded_as_of" and said.details["limit"] == "tranche_overcommitted"
    assert (
        words.day(date(2024, 3, 1), "en") in said.message
        and words.day(date(2024, 3, 1)) in said.message_nl
    )
    assert "tranche:T5" not in said.message


def test_any_other_problem_passes_through_unchanged():
    other = Problem("unbalanced_entry", "…", account="tranche:T5:available")
    assert wording.explain_limit(other) is other
    assert wording.explain_limit(crossed("")).code == "limit_exceeded"
