"""``rules.beschikkingen``: recipients per instrument, a beschikking's shape and conversion to
euros, its dates, whether it is open, and its corrections."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ledger.errors import LedgerError
from ledger.regio.model import Instrument, OrganisationType
from ledger.regio.rules import beschikkingen as rules
from tests.unit.regio.objects import ENVELOPE, beschikking, deal, eur, organisation, usd

GEMEENTE, WGR, BES = (
    OrganisationType.GEMEENTE,
    OrganisationType.WGR,
    OrganisationType.OPENBAAR_LICHAAM_BES,
)


def bu(**changes):
    values = dict(
        instrument=Instrument.BU,
        recipient="BONAIRE",
        amount=usd("1085000.00"),
        eur_commitment=eur(1_000_000),
        usd_per_eur=Decimal("1.085"),
    )
    return beschikking(**(values | changes))


@pytest.mark.parametrize(
    ("kind", "instrument", "code"),
    [
        (GEMEENTE, Instrument.SPUK, None),
        (WGR, Instrument.SPUK, None),
        (WGR, Instrument.DU, "recipient_not_allowed"),
        (GEMEENTE, Instrument.BU, "recipient_not_allowed"),
        (BES, Instrument.BU, None),
        (OrganisationType.WATERSCHAP, Instrument.SPUK, "waterschap_not_regiokassier"),
    ],
)
def test_who_may_receive_which_instrument(kind, instrument, code):
    problems = rules.check_recipient(organisation("X1", kind), "RD-1", instrument)
    assert [problem.code for problem in problems] == ([code] if code else [])


def test_an_unknown_recipient_is_named():
    [problem] = rules.check_recipient(None, "RD-1")
    assert problem.code == "unknown_organisation" and "RD-1" in problem.message


def test_a_proper_spuk_and_a_proper_bu_hold():
    assert rules.check_beschikking(beschikking()) == []
    assert rules.check_beschikking(bu()) == []


def test_every_problem_of_a_beschikking_at_once():
    bad = beschikking(amount=usd(0), spending_ends_on=date(2023, 1, 1))
    codes = {problem.code for problem in rules.check_beschikking(bad)}
    assert {"invalid_period", "invalid_amount", "currency_not_allowed"} <= codes


def test_a_dollar_grant_says_the_euros_it_commits_at_a_rate_that_links_the_two():
    [missing] = rules.check_beschikking(bu(eur_commitment=None))
    assert missing.code == "conversion_missing"
    [mismatch] = rules.check_beschikking(bu(amount=usd("1085000.01")))
    assert mismatch.code == "conversion_mismatch"
    [rate] = rules.check_beschikking(bu(usd_per_eur=Decimal(0)))
    assert rate.code == "invalid_rate"


def test_a_settled_or_converted_beschikking_takes_nothing_more():
    assert rules.check_open("RD-1", settled=False, converted=False) == []
    assert [p.code for p in rules.check_open("RD-1", True, False)] == ["beschikking_settled"]
    assert [p.code for p in rules.check_open("RD-1", False, True)] == ["beschikking_converted"]


def test_a_grant_follows_its_deals_signing_and_spends_within_the_deals_life():
    assert rules.check_grant_dates(beschikking(), deal(), ENVELOPE) == []
    early = beschikking(decided_on=date(2023, 5, 1), spending_starts_on=date(2023, 5, 1))
    assert "decided_before_signing" in {
        p.code for p in rules.check_grant_dates(early, deal(), ENVELOPE)
    }
    late = beschikking(spending_ends_on=date(2028, 1, 1))
    assert [p.code for p in rules.check_grant_dates(late, deal(), ENVELOPE)] == [
        "spending_past_deal_end"
    ]


@given(st.integers(min_value=-400, max_value=400))
def test_a_payment_comes_on_or_after_the_decision(days):
    on = beschikking().decided_on + timedelta(days=days)
    problems = rules.check_payment_date(beschikking(), on)
    assert (problems == []) == (days >= 0)
    assert all(problem.code == "payment_before_decision" for problem in problems)


def test_an_extension_ends_later_and_within_the_deal():
    assert rules.check_extension("RD-1", date(2027, 12, 31), date(2028, 6, 30)) == []
    [problem] = rules.check_extension("RD-1", date(2027, 12, 31), date(2027, 12, 31))
    assert problem.code == "extension_not_later"
    codes = [
        p.code
        for p in rules.check_extension_dates(
            beschikking(), date(2023, 8, 1), date(2028, 6, 30), date(2027, 12, 31)
        )
    ]
    assert codes == ["extension_before_decision", "extension_past_deal_end"]


def test_a_repayment_follows_the_vaststelling():
    [problem] = rules.check_repayment_date(beschikking(), date(2028, 1, 1), None)
    assert problem.code == "not_settled"
    [early] = rules.check_repayment_date(beschikking(), date(2028, 1, 1), date(2028, 2, 1))
    assert early.code == "repayment_before_settlement"
    assert rules.check_repayment_date(beschikking(), date(2028, 2, 1), date(2028, 2, 1)) == []


def test_a_wijzigingsbeschikking_changes_the_grant_by_the_difference():
    b = beschikking()
    assert rules.grant_change(
        b, eur(10_000_000), eur(10_000_000), eur(8_000_000), None, date(2024, 1, 1)
    ) == (
        eur(-2_000_000),
        eur(-2_000_000),
    )
    native, euros = rules.grant_change(
        bu(), usd("1085000.00"), eur(1_000_000), usd("2170000.00"), eur(2_000_000), date(2024, 1, 1)
    )
    assert native == usd("1085000.00") and euros == eur(1_000_000)


@pytest.mark.parametrize(
    ("amount", "on", "code"),
    [
        (eur(10_000_000), date(2024, 1, 1), "no_change"),
        (eur(0), date(2024, 1, 1), "invalid_amount"),
        (usd(5), date(2024, 1, 1), "invalid_amount"),
        (eur(9_000_000), date(2023, 8, 31), "before_decision"),
    ],
)
def test_a_wijzigingsbeschikking_that_changes_nothing_or_comes_too_early_is_refused(
    amount, on, code
):
    b = beschikking()
    with pytest.raises(LedgerError) as refused:
        rules.grant_change(b, eur(10_000_000), eur(10_000_000), amount, None, on)
    assert code in {problem.code for problem in refused.value.problems}


def test_a_dollar_wijzigingsbeschikking_names_its_euros_at_the_grants_rate():
    with pytest.raises(LedgerError) as missing:
        rules.grant_change(
            bu(), usd("1085000.00"), eur(1_000_000), usd("2170000.00"), None, date(2024, 1, 1)
        )
    assert missing.value.code == "conversion_missing"
    with pytest.raises(LedgerError) as mismatch:
        rules.grant_change(
            bu(),
            usd("1085000.00"),
            eur(1_000_000),
            usd("2170000.00"),
            eur(1_999_999),
            date(2024, 1, 1),
        )
    assert mismatch.value.code == "conversion_mismatch"


def test_a_grant_never_goes_below_what_was_spent_nor_a_dollar_grant_below_what_was_paid():
    assert (
        rules.check_grant_floor(beschikking(), eur(5_000_000), eur(6_000_000), eur(4_000_000)) == []
    )
    [spent] = rules.check_grant_floor(beschikking(), eur(3_000_000), eur(0), eur(4_000_000))
    assert spent.code == "below_spent"
    [paid] = rules.check_grant_floor(bu(), usd(1000), usd(2000), usd(0))
    assert paid.code == "below_paid"


def test_a_payment_is_corrected_once_and_not_before_it_was_made():
    payment = date(2024, 3, 1)  # the payment's date
    assert rules.check_payment_correction(beschikking(), 7, payment, False, date(2024, 3, 1)) == []
    assert [
        p.code
        for p in rules.check_payment_correction(beschikking(), 7, None, False, date(2024, 3, 1))
    ] == ["payment_not_found"]
    assert [
        p.code
        for p in rules.check_payment_correction(beschikking(), 7, payment, True, date(2024, 3, 1))
    ] == ["already_corrected"]
    assert [
        p.code
        for p in rules.check_payment_correction(beschikking(), 7, payment, False, date(2024, 2, 29))
    ] == ["correction_before_payment"]


def test_no_extension_after_the_eindverantwoording():
    assert rules.check_not_extended_after_final("RD-1", []) == []
    [problem] = rules.check_not_extended_after_final("RD-1", [2026, 2025])
    assert problem.code == "already_final" and "2026" in problem.message


def test_amendments_come_in_the_order_of_their_dates():
    assert rules.check_amendment_order(date(2024, 1, 1), None) == []
    assert rules.check_amendment_order(date(2024, 1, 1), ("k1", date(2024, 1, 1))) == []
    [problem] = rules.check_amendment_order(date(2023, 12, 31), ("k1", date(2024, 1, 1)))
    assert problem.code == "amendment_out_of_order" and problem.details["later"] == "k1"


@pytest.mark.parametrize(
    ("closed_by", "converted", "status"),
    [
        ((), False, "open"),
        (("final",), False, "final"),
        (("settlement",), False, "settled"),
        (("final", "settlement"), False, "settled"),
        (("final",), True, "converted"),
    ],
)
def test_a_beschikkings_status_follows_what_closed_it(closed_by, converted, status):
    assert rules.beschikking_status(closed_by, converted) == status
