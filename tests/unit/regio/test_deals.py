"""``rules.deals``: a deal's shape, partners and dates, its corrections, and its pledged
co-financing against the tranche's rule."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ledger.money import Money
from ledger.regio.model import OrganisationType, Pledge, PledgeKind
from ledger.regio.rules import deals
from tests.unit.regio.objects import ENVELOPE, deal, eur, organisation

CASH, IN_KIND = PledgeKind.CASH, PledgeKind.IN_KIND


def test_a_proper_deal_holds():
    assert deals.check_deal(deal()) == []


def test_every_problem_of_a_deal_at_once():
    bad = deal(
        rijksbijdrage=eur(0),
        ends_on=date(2023, 1, 1),
        pledges=(Pledge("GM 0193", CASH, eur(0)),),
    )
    codes = [problem.code for problem in deals.check_deal(bad)]
    assert codes.count("invalid_amount") == 2 and "invalid_period" in codes
    assert any("partner 1" in problem.message for problem in deals.check_deal(bad))


def test_a_partner_is_a_known_organisation_and_never_the_rijk():
    assert deals.check_partner(organisation("GM0193"), "GM0193") == []
    [unknown] = deals.check_partner(None, "GM9999")
    assert unknown.code == "unknown_organisation" and "GM9999" in unknown.message
    [rijk] = deals.check_partner(organisation("BZK", OrganisationType.RIJK), "BZK")
    assert rijk.code == "rijk_as_cofinancier"


def test_a_deal_is_signed_inside_its_envelope_once_its_budget_is_there():
    arrived = date(2023, 5, 1)
    assert deals.check_deal_dates(deal(), ENVELOPE, arrived) == []
    [early] = deals.check_deal_dates(deal(signed_on=arrived - timedelta(days=1)), ENVELOPE, arrived)
    assert early.code == "deal_before_budget"
    [none] = deals.check_deal_dates(deal(), ENVELOPE, None)
    assert none.code == "deal_before_budget" and "tranche T5" in none.message
    [outside] = deals.check_deal_dates(deal(signed_on=date(2026, 2, 1)), ENVELOPE, arrived)
    assert outside.code == "outside_envelope_period"


def test_a_withdrawn_deal_or_a_date_before_its_signing_takes_no_change():
    assert deals.check_deal_open(deal(), date(2023, 6, 1)) == []
    [before] = deals.check_deal_open(deal(), date(2023, 5, 31))
    assert before.code == "before_signing"
    [withdrawn] = deals.check_deal_open(deal(withdrawn_on=date(2023, 7, 1)), date(2023, 8, 1))
    assert withdrawn.code == "deal_withdrawn"


@pytest.mark.parametrize(
    ("new", "granted", "code"),
    [
        (eur(12_000_000), eur(0), None),
        (eur(10_000_000), eur(0), "no_change"),
        (eur(0), eur(0), "invalid_amount"),
        (Money.of(12_000_000, "USD"), eur(0), "invalid_amount"),
        (eur(4_000_000), eur(5_000_000), "below_granted"),
        (eur(5_000_000), eur(5_000_000), None),
    ],
)
def test_an_amended_rijksbijdrage_is_new_positive_in_euros_and_never_below_what_was_granted(
    new, granted, code
):
    problems = deals.check_deal_amendment(deal(), new, granted)
    assert [problem.code for problem in problems] == ([code] if code else [])


def test_a_deal_is_withdrawn_only_before_anything_was_granted():
    assert deals.check_deal_withdrawal(deal(), eur(0)) == []
    [problem] = deals.check_deal_withdrawal(deal(), eur(1))
    assert problem.code == "deal_has_beschikkingen"


@given(st.integers(min_value=-800, max_value=800))
def test_an_extension_ends_later_than_the_deal_does(days):
    new_end = deal().ends_on + timedelta(days=days)
    problems = deals.check_deal_extension(deal(), new_end)
    assert (problems == []) == (days > 0)


def pledges(*items: tuple[int, PledgeKind, bool]) -> tuple[Pledge, ...]:
    return tuple(
        Pledge(f"P{n}", kind, eur(amount), private)
        for n, (amount, kind, private) in enumerate(items)
    )


def test_what_counts_of_the_pledges_follows_the_tranches_rule():
    mixed = pledges((4_000_000, CASH, False), (3_000_000, CASH, True), (2_000_000, IN_KIND, False))
    assert deals.counted_pledges(deal(tranche="T2", pledges=mixed)) == eur(4_000_000)
    assert deals.counted_pledges(deal(tranche="T5", pledges=mixed)) == eur(9_000_000)


def test_a_deal_is_short_of_co_financing_below_one_to_one_unless_it_says_why():
    short = deal(tranche="T5", pledges=pledges((9_999_999, CASH, False)))
    assert deals.cofinancing_short(short)
    assert not deals.cofinancing_short(
        deal(tranche="T5", pledges=pledges((10_000_000, CASH, False)))
    )
    assert not deals.cofinancing_short(
        deal(tranche="T5", pledges=short.pledges, cofinancing_exception="Waddeneilanden")
    )
    # tranche 2 does not count in-kind contributions: the same pledge falls short there
    in_kind = pledges((10_000_000, IN_KIND, False))
    assert deals.cofinancing_short(deal(tranche="T2", pledges=in_kind))
    assert not deals.cofinancing_short(deal(tranche="T5", pledges=in_kind))
