"""The SiSa rows of one reporting year, computed from exact cents (pure).

Whole euros are rounded half away from zero (``ledger.rounding``); cumulative figures are
summed in cents first and rounded once, as the contract says.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ledger.regio.model import FundingSource
from ledger.regio.rules import toelichting_needed
from ledger.rounding import round_half_away_from_zero

PUBLIC_SOURCES = (FundingSource.COFINANCIERING_PUBLIEK,)
PRIVATE_SOURCES = (FundingSource.COFINANCIERING_PRIVAAT,)
CASH_SOURCES = (*PUBLIC_SOURCES, *PRIVATE_SOURCES)


@dataclass(frozen=True)
class BeschikkingInput:
    """What the ledger knows of one beschikking for SiSa: cents by (year, source)."""

    nummer: str
    recipient: str
    instrument: str
    granted_cents: int
    decided_year: int
    cents: dict[tuple[int, str], int] = field(default_factory=dict)
    final_year: int | None = None
    toelichting: dict[int, str] = field(default_factory=dict)
    regeling: str | None = None
    settled_year: int | None = None  # the year of its vaststelling
    #: What its last submission of a year said of the cumulative Rijk and regional figures, in
    #: whole units (a later year's figure below it needs a toelichting).
    submitted_cumulative: dict[int, tuple[int, int]] = field(default_factory=dict)

    def year_cents(self, year: int, sources: tuple[str, ...]) -> int:
        return sum(self.cents.get((year, s), 0) for s in sources)

    def cumulative_cents(self, year: int, sources: tuple[str, ...]) -> int:
        return sum(c for (y, s), c in self.cents.items() if y <= year and s in sources)


@dataclass(frozen=True)
class SisaRow:
    recipient: str
    nummer: str
    rijk_year: int
    regional_public_year: int
    regional_private_year: int
    in_kind_year: int
    rijk_cumulative: int
    regional_cumulative: int
    eindverantwoording: str
    toelichting: str
    toelichting_required: bool

    @property
    def values(self) -> dict[str, object]:
        return {
            "beschikkingsnummer": self.nummer,
            "rijk_year": self.rijk_year,
            "regional_public_year": self.regional_public_year,
            "regional_private_year": self.regional_private_year,
            "regional_cash_year": self.regional_public_year + self.regional_private_year,
            "in_kind_year": self.in_kind_year,
            "beschikkingsnummer_copy": self.nummer,
            "rijk_cumulative": self.rijk_cumulative,
            "regional_cumulative": self.regional_cumulative,
            "eindverantwoording": self.eindverantwoording,
            "toelichting": self.toelichting,
        }


def is_reported(b: BeschikkingInput, year: int, instrument: str) -> bool:
    """A beschikking of the right instrument, decided by the year, and not finished before it:
    not after its eindverantwoording's year, and not in or after the year of its vaststelling
    (which closed its accountability: a row there would say "Nee" to a question already settled)."""
    return (
        b.instrument == instrument
        and b.decided_year <= year
        and (b.final_year is None or b.final_year >= year)
        and (b.settled_year is None or year < b.settled_year or b.final_year == year)
    )


def sisa_row(b: BeschikkingInput, year: int) -> SisaRow:
    regional = (*CASH_SOURCES, FundingSource.IN_NATURA)
    rijk_cumulative = b.cumulative_cents(year, (FundingSource.RIJK,))
    regional_cumulative = b.cumulative_cents(year, regional)
    final = b.final_year == year
    required = (
        toelichting_needed(
            b.granted_cents,
            b.cents,
            year,
            final,
            submitted_before=b.submitted_cumulative.get(year - 1),
        )
        is not None
    )
    return SisaRow(
        recipient=b.recipient,
        nummer=b.nummer,
        rijk_year=round_half_away_from_zero(b.year_cents(year, (FundingSource.RIJK,))),
        regional_public_year=round_half_away_from_zero(b.year_cents(year, PUBLIC_SOURCES)),
        regional_private_year=round_half_away_from_zero(b.year_cents(year, PRIVATE_SOURCES)),
        in_kind_year=round_half_away_from_zero(b.year_cents(year, (FundingSource.IN_NATURA,))),
        rijk_cumulative=round_half_away_from_zero(rijk_cumulative),
        regional_cumulative=round_half_away_from_zero(regional_cumulative),
        eindverantwoording="Ja" if final else "Nee",
        toelichting=b.toelichting.get(year, ""),
        toelichting_required=required,
    )


def sisa_rows(
    inputs: list[BeschikkingInput],
    year: int,
    instrument: str = "SPUK",
    recipient: str | None = None,
) -> list[SisaRow]:
    chosen = [
        b
        for b in inputs
        if is_reported(b, year, instrument) and (recipient is None or b.recipient == recipient)
    ]
    return [sisa_row(b, year) for b in sorted(chosen, key=lambda b: (b.recipient, b.nummer))]
