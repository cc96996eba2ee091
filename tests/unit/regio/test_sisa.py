"""``rules.sisa`` (and the co-financing cap it meets at vaststelling): the deadline for corrections
of a year, the toelichting a row needs, a cumulative figure below what was submitted for the
year before, the freeze of a submitted year, the corrections of a final year, and which
regeling a tranche follows."""

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from ledger.money import Money
from ledger.regio import rules
from ledger.regio.model import FundingSource

DEADLINE = date(2026, 10, 1)


@given(st.dates(min_value=date(2026, 1, 1), max_value=date(2027, 12, 31)))
def test_a_correction_is_made_on_its_year_until_the_deadline_and_not_after(made_on):
    problems = rules.check_correction_deadline(2025, DEADLINE, made_on)
    if made_on <= DEADLINE:
        assert problems == []
    else:
        [problem] = problems
        assert problem.code == "correction_deadline_passed"
        assert str(DEADLINE) in problem.message and f"open year {made_on.year}" in problem.message


def test_without_a_deadline_a_year_stays_open_to_corrections():
    assert rules.check_correction_deadline(2025, None, date(2030, 1, 1)) == []


def test_a_deadline_falls_after_its_year():
    assert rules.check_correction_deadline_date(2025, date(2026, 1, 1)) == []
    [problem] = rules.check_correction_deadline_date(2025, date(2025, 12, 31))
    assert problem.code == "invalid_deadline"
    assert rules.check_correction_deadline_date(2025, date(2025, 12, 31) + timedelta(days=1)) == []


def cents(rijk_2025: int, rijk_2026: int = 0) -> dict[tuple[int, str], int]:
    return {(2025, "rijk"): rijk_2025, (2026, "rijk"): rijk_2026}


def test_a_cumulative_below_what_was_submitted_for_the_year_before_needs_a_toelichting():
    corrected = cents(195_000_000)  # 2025 corrected to €1.95M after €2.0M was submitted
    assert rules.toelichting_needed(300_000_000, corrected, 2026, False) is None
    why = rules.toelichting_needed(
        300_000_000, corrected, 2026, False, submitted_before=(2_000_000, 0)
    )
    assert why is not None and "ingediende verantwoording" in why
    spent_more = cents(195_000_000, 10_000_000)  # 2026 brings the cumulative above it again
    assert (
        rules.toelichting_needed(
            300_000_000, spent_more, 2026, False, submitted_before=(2_000_000, 0)
        )
        is None
    )


cents_st = st.integers(min_value=0, max_value=10**12)


@given(cents_st, cents_st, cents_st, cents_st)
def test_the_rijk_settles_at_most_what_the_realised_cofinancing_carries(
    rijk, public, private, kind
):
    """Tranches 1-3: public cash 1:1; from tranche 4 the Rijk at most half of the whole, private
    money and in kind counting. Within the cap, or with an exception, nothing is refused."""
    money = [Money.from_minor_units(c) for c in (public, private, kind)]
    for tranche, carried in (("T3", public), ("T5", public + private + kind)):
        cap = rules.cofinancing_cap(tranche, *money)
        assert cap.minor_units == carried
        eligible = Money.from_minor_units(rijk)
        problems = rules.check_cofinancing_at_settlement("B-1", tranche, eligible, cap, None)
        assert [p.code for p in problems] == (
            [] if rijk <= carried else ["cofinancing_short_at_settlement"]
        )
        excused = rules.check_cofinancing_at_settlement("B-1", tranche, eligible, cap, "reden")
        assert excused == []


def test_a_submitted_year_and_every_year_before_it_change_only_by_correction():
    assert rules.check_not_submitted("RD-1", 2026, None) == []
    assert rules.check_not_submitted("RD-1", 2026, 2025) == []
    for year in (2024, 2025):
        [problem] = rules.check_not_submitted("RD-1", year, 2025)
        assert problem.code == "year_submitted"
        assert "sisa-corrections" in problem.message and "2025" in problem.message_nl


def test_at_eindverantwoording_a_cumulative_other_than_the_grant_needs_a_toelichting():
    spent = cents(150_000, 50_000)
    assert rules.toelichting_needed(200_000, spent, 2026, final=True) is None
    why = rules.toelichting_needed(300_000, spent, 2026, final=True)
    assert why is not None and "beschikte bedrag" in why
    assert rules.toelichting_needed(300_000, spent, 2026, final=False) is None


def test_a_regional_cumulative_that_went_down_needs_a_toelichting():
    went_down = {(2025, "cofinanciering_publiek"): 10_000, (2026, "cofinanciering_publiek"): -4_000}
    assert rules.toelichting_needed(0, went_down, 2026, False) is not None
    assert rules.toelichting_needed(0, went_down, 2025, False) is None


def test_a_needed_toelichting_is_given_in_words_not_blanks():
    assert rules.check_toelichting_given("RD-1", 2025, None, None) == []
    assert rules.check_toelichting_given("RD-1", 2025, "reden", "Toegelicht.") == []
    [problem] = rules.check_toelichting_given("RD-1", 2025, "reden", "  \n")
    assert problem.code == "toelichting_required" and problem.details["why"] == "reden"


def test_a_tranche_follows_one_regeling_set_once():
    assert rules.check_regeling_assignment("T4", None, "RD-2023") == []
    assert rules.check_regeling_assignment("T4", "RD-2023", "RD-2023") == []
    [problem] = rules.check_regeling_assignment("T4", "RD-2023", "RD-BZK")
    assert problem.code == "regeling_already_set" and problem.details["regeling"] == "RD-2023"


def test_a_final_year_is_corrected_only_in_or_before_its_final_year_with_a_partner_for_regional_money():
    from tests.unit.regio.objects import beschikking, eur, usd

    b = beschikking()
    publiek = FundingSource.COFINANCIERING_PUBLIEK
    ok = rules.check_final_year_correction(
        b, 2025, 2025, False, eur(-100), FundingSource.RIJK, None
    )
    assert ok == []
    assert [
        p.code
        for p in rules.check_final_year_correction(
            b, 2025, None, False, eur(1), FundingSource.RIJK, None
        )
    ] == ["not_final"]
    assert [
        p.code
        for p in rules.check_final_year_correction(
            b, 2026, 2025, False, eur(1), FundingSource.RIJK, None
        )
    ] == ["not_final"]
    found = rules.check_final_year_correction(b, 2025, 2025, True, usd(0), publiek, None)
    assert [p.code for p in found] == ["beschikking_settled", "invalid_amount", "partner_missing"]
    assert rules.check_final_year_correction(b, 2025, 2025, False, eur(5), publiek, "GM0193") == []
