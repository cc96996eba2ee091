"""What a booking did, in the reader's words; and the underspending arithmetic."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from ledger.money import Money
from ledger.regio.model import Beschikking, Instrument
from reports.describe import describe_entry
from reports.underspending import Underspending


@dataclass(frozen=True)
class Line:
    account: str
    side: str
    money: Money


def eur(value: str) -> Money:
    return Money.of(value)


def moved(debit: str, credit: str, amount: str) -> list[Line]:
    return [Line(debit, "debit", eur(amount)), Line(credit, "credit", eur(amount))]


CASES = [
    (
        moved("beschikking:B-1:unpaid", "beschikking:B-1:paid", "7500000.00"),
        "Betaling op beschikking B-1: € 7.500.000,00",
        "Payment on beschikking B-1: €7,500,000.00",
    ),
    (
        moved("envelope:RE-2018:unallocated", "tranche:T2:available", "15000000.00"),
        "Tranche T2 krijgt € 15.000.000,00 uit envelop RE-2018",
        "Tranche T2 gets €15,000,000.00 from envelope RE-2018",
    ),
    (
        moved("tranche:T6:available", "tranche:T5:available", "84000000.00"),
        "€ 84.000.000,00 verschoven van tranche T6 naar tranche T5",
        "€84,000,000.00 shifted from tranche T6 to tranche T5",
    ),
    (
        moved("envelope:RE-2018:unallocated", "envelope:RE-2018:set-aside:PETTEN", "117000000.00"),
        "€ 117.000.000,00 uit envelop RE-2018 toegekend aan PETTEN (geen Regio Deal)",
        "€117,000,000.00 from envelope RE-2018 given to PETTEN (no Regio Deal)",
    ),
    (
        moved("tranche:T2:available", "deal:T2-TWENTE:ungranted", "30000000.00"),
        "Convenant T2-TWENTE getekend: Rijksbijdrage € 30.000.000,00",
        "Convenant T2-TWENTE signed: Rijksbijdrage €30,000,000.00",
    ),
    (
        moved("beschikking:B-1:unpaid", "deal:D:ungranted", "65000000.00"),
        "Beschikking B-1: € 65.000.000,00 terug naar deal D",
        "Beschikking B-1: €65,000,000.00 back to deal D",
    ),
    (
        moved("beschikking:B-1:unspent", "beschikking:B-1:spent:2025:rijk", "100.00"),
        "Besteding 2025 op beschikking B-1 uit rijksmiddelen: € 100,00",
        "Spending 2025 on beschikking B-1 from Rijk money: €100.00",
    ),
]


def test_each_kind_of_booking_is_said_in_dutch_and_in_english():
    for lines, dutch, english in CASES:
        assert describe_entry(lines, "memo", "nl").replace("\xa0", " ") == dutch
        assert describe_entry(lines, "memo", "en").replace("\xa0", " ") == english


def test_a_booking_it_does_not_know_keeps_its_memo():
    lines = moved("cash:bank", "income:interest", "1.00")
    assert describe_entry(lines, "Rente", "nl") == "Rente"


def underspent(granted: Money, paid: Money, projected: Money) -> Underspending:
    b = Beschikking(
        "B-1",
        "D",
        Instrument.SPUK,
        "GM0193",
        granted,
        date(2024, 1, 1),
        date(2024, 1, 1),
        date(2027, 12, 31),
    )
    return Underspending(
        b,
        "D",
        granted,
        paid,
        projected,
        date(2025, 12, 31),
        date(2027, 12, 31),
        Decimal("0.5"),
        projected,
    )


cents = st.integers(min_value=0, max_value=10**12).map(lambda c: Money.from_minor_units(c))


@given(granted=cents, paid_share=st.fractions(0, 1), projected_share=st.fractions(0, 1))
def test_what_is_projected_reclaimed_and_lapsing_adds_up_to_the_grant(
    granted, paid_share, projected_share
):
    paid = Money.from_minor_units(int(granted.minor_units * paid_share))
    projected = Money.from_minor_units(int(granted.minor_units * projected_share))
    u = underspent(granted, paid, projected)
    assert u.projected + u.terugvordering + u.lapses == granted
    assert u.terugvordering >= Money.zero() and u.lapses >= Money.zero()
    assert u.terugvordering.is_zero() == (paid <= projected)
