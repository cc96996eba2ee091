"""SiSa status per beschikking and year: reported, final, missing or closed; DU left out."""

from dataclasses import replace
from datetime import date

from ledger.regio.model import Instrument, SisaStatus
from sisa.status import sisa_status
from tests.scenarios.flow import zwolle_beschikking


def test_each_year_of_the_spending_period_up_to_last_year_has_its_status():
    spuk = replace(
        zwolle_beschikking(),
        spending_starts_on=date(2023, 1, 1),
        spending_ends_on=date(2027, 12, 31),
    )
    du = replace(spuk, nummer="DU-1", instrument=Instrument.DU)
    [row] = sisa_status(
        [spuk, du],
        ends={},
        statement_years={spuk.nummer: {2023}},
        final_years={spuk.nummer: 2025},
        today=date(2027, 6, 1),
    )
    assert row.years == {
        2023: SisaStatus.REPORTED,
        2024: SisaStatus.MISSING,
        2025: SisaStatus.FINAL,
        2026: SisaStatus.CLOSED,
    }
    assert row.missing == [2024]


def test_an_extension_lengthens_the_years_to_account_for():
    b = replace(
        zwolle_beschikking(),
        spending_starts_on=date(2024, 1, 1),
        spending_ends_on=date(2024, 12, 31),
    )
    [row] = sisa_status(
        [b],
        ends={b.nummer: date(2026, 12, 31)},
        statement_years={},
        final_years={},
        today=date(2027, 1, 5),
    )
    assert list(row.years) == [2024, 2025, 2026] and row.missing == [2024, 2025, 2026]
