"""The rules of a regeling as published, without a database: which beschikking may be decided
under it (instrument, period), and what a regeling may say."""

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from ledger.regio.model import Instrument
from ledger.regio.regelingen import (
    Regeling,
    check_decided_under,
    check_instruments,
    check_regeling_period,
)
from tests.scenarios.flow import zwolle_beschikking

BESLUIT = Regeling(
    "RD-BZK",
    "Besluit specifieke uitkering Regio Deals, tranches 4 tot en met 6",
    "Ministerie van BZK (nu VRO)",
    "Staatsblad 2024, 219",
    ("SPUK",),
    date(2024, 7, 1),
    date(2030, 12, 31),
)


def codes(problems) -> list[str]:
    return [p.code for p in problems]


def test_a_spuk_decided_within_the_period_is_under_the_regeling():
    assert check_decided_under(BESLUIT, zwolle_beschikking()) == []


def test_an_instrument_the_regeling_does_not_cover_is_refused_and_named():
    du = zwolle_beschikking(instrument=Instrument.DU)
    [problem] = check_decided_under(BESLUIT, du)
    assert problem.code == "regeling_instrument"
    assert "covers SPUK, not a DU" in problem.message and "RD-BZK" in problem.message_nl


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 12, 31)))
def test_a_decision_outside_the_period_is_refused_inside_it_is_not(decided_on):
    b = zwolle_beschikking(decided_on=decided_on, spending_starts_on=decided_on)
    inside = BESLUIT.starts_on <= decided_on <= BESLUIT.ends_on
    assert codes(check_decided_under(BESLUIT, b)) == ([] if inside else ["regeling_period"])


def test_a_regeling_that_says_nothing_of_instruments_or_period_takes_any_beschikking():
    open_ended = Regeling("RD-X", "x", "BZK", "bron")
    for instrument in (Instrument.SPUK, Instrument.DU):
        assert check_decided_under(open_ended, zwolle_beschikking(instrument=instrument)) == []


def test_what_a_regeling_may_say():
    assert check_instruments(("SPUK", "BU")) == []
    assert codes(check_instruments(("SPUK", "SPUK"))) == ["invalid_instruments"]
    assert codes(check_instruments(("DO",))) == ["invalid_instruments"]
    assert codes(check_regeling_period(date(2025, 1, 1), date(2024, 1, 1))) == ["invalid_period"]
    assert check_regeling_period(None, date(2024, 1, 1)) == []
