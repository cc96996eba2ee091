"""SiSa status per recipient and year: for each SPUK or BU beschikking and each year of its
spending period up to the last full year, whether its spending is in (a statement, or spending
booked by an officer), the eindverantwoording is made, or the year is missing. DU is never accounted for in SiSa, so it is left out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ledger.regio.model import Beschikking, Instrument
from ledger.regio.snapshot import Snapshot

FINAL, REPORTED, MISSING, CLOSED = "final", "reported", "missing", "closed"
NOT_DUE = "not_due"  # the year is outside the spending period, or not over yet


@dataclass(frozen=True)
class StatusRow:
    recipient: str
    beschikking: Beschikking
    years: dict[int, str]  # year -> final | reported | missing | closed

    @property
    def missing(self) -> list[int]:
        return [y for y, s in self.years.items() if s == MISSING]


def sisa_status(
    beschikkingen: list[Beschikking],
    ends: dict[str, date],
    statement_years: dict[str, set[int]],
    final_years: dict[str, int],
    today: date,
) -> list[StatusRow]:
    rows = []
    for b in beschikkingen:
        if b.instrument is Instrument.DU:
            continue
        last = min(ends.get(b.nummer, b.spending_ends_on).year, today.year - 1)
        final = final_years.get(b.nummer)
        reported = statement_years.get(b.nummer, set())
        years = {}
        for year in range(b.spending_starts_on.year, last + 1):
            if final is not None and year > final:
                years[year] = CLOSED
            elif year == final:
                years[year] = FINAL
            else:
                years[year] = REPORTED if year in reported else MISSING
        rows.append(StatusRow(b.recipient, b, years))
    return sorted(rows, key=lambda r: (r.recipient, r.beschikking.nummer))


def reported_years(snapshot: Snapshot, statement_years: dict[str, set[int]]) -> dict[str, set[int]]:
    """Per beschikking, the years whose spending is in: a statement that counts, or spending an
    officer booked without one."""
    reported = {nummer: set(years) for nummer, years in statement_years.items()}
    for b in snapshot.beschikkingen:
        spent = {
            year
            for (year, _source), amount in snapshot.spent_by_year(b.nummer).items()
            if not amount.is_zero()
        }
        reported[b.nummer] = reported.get(b.nummer, set()) | spent
    return reported
