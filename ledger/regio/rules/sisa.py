"""Rules of the SiSa lifecycle: the toelichting a row needs, the freeze of a submitted year, the
corrections after submission and their deadline, and which regeling a tranche follows."""

from __future__ import annotations

from datetime import date

from ledger import words
from ledger.errors import Problem
from ledger.money import Money
from ledger.regio.model import (
    Beschikking,
    FundingSource,
)
from ledger.regio.rules.beschikkingen import check_open
from ledger.regio.rules.common import problem
from ledger.rounding import round_half_away_from_zero
from ledger.said import said


def check_final_year_correction(
    beschikking: Beschikking,
    year: int,
    final_year: int | None,
    settled: bool,
    amount: Money,
    source: FundingSource,
    partner: str | None,
) -> list[Problem]:
    n = beschikking.nummer
    if final_year is None or year > final_year:
        return [
            problem(
                "not_final",
                said(
                    "Beschikking {n} has no eindverantwoording or SiSa submission covering {year}: correct the spending itself (a correcting booking or a new statement), not through the SiSa procedure.",
                    n=n,
                    year=year,
                ),
            )
        ]
    problems = check_open(n, settled, False)
    if amount.is_zero() or amount.currency != beschikking.amount.currency:
        problems.append(
            problem(
                "invalid_amount",
                said(
                    "A correction on {n} is a change above or below zero, in {currency}.",
                    n=n,
                    currency=beschikking.amount.currency,
                ),
            )
        )
    if source.is_regional and partner is None:
        problems.append(
            problem(
                "partner_missing",
                said("Co-financing and in-kind spending name their partner."),
            )
        )
    return problems


def check_correction_deadline(year: int, deadline: date | None, on: date) -> list[Problem]:
    """After the deadline for corrections of ``year`` a correction is made in a later year's
    figures, not on the year itself (Procedure aanlevering SiSa-verantwoordingsinformatie,
    chapter 3.2)."""
    if deadline is None or on <= deadline:
        return []
    return [
        problem(
            "correction_deadline_passed",
            said(
                "Corrections of {year} could be made on {year} until {deadline}; book this one in the open year {year2}: spending of {year2} with the amount and its reason.",
                year=year,
                deadline=deadline,
                year2=on.year,
            ),
        )
    ]


def check_correction_deadline_date(year: int, until: date) -> list[Problem]:
    if until.year > year:
        return []
    return [
        problem(
            "invalid_deadline",
            said(
                "A deadline for corrections of {year} falls after {year} ended; {until} does not.",
                year=year,
                until=until,
            ),
        )
    ]


REGIONAL_SOURCES = tuple(source for source in FundingSource if source.is_regional)


def _cumulative(cents: dict[tuple[int, str], int], year: int, sources: tuple[str, ...]) -> int:
    return sum(c for (y, s), c in cents.items() if y <= year and s in sources)


def toelichting_needed(
    granted_cents: int,
    cents: dict[tuple[int, str], int],
    year: int,
    final: bool,
    currency: str = "EUR",
    submitted_before: tuple[int, int] | None = None,
) -> str | None:
    """Why a beschikking's SiSa row of ``year`` needs a toelichting, in words, or None: at
    eindverantwoording when the cumulative Rijk spending differs from the grant, and whenever a
    cumulative figure went down: below the year before as the ledger stands, or below what was
    submitted for the year before (``submitted_before``: its Rijk and regional cumulative, in
    whole units), which a later correction of that year may have lowered."""
    rijk = _cumulative(cents, year, (FundingSource.RIJK,))
    if final and rijk != granted_cents:
        spent, granted = (
            words.money(Money.from_minor_units(c, currency)) for c in (rijk, granted_cents)
        )
        return (
            f"bij eindverantwoording wijkt de cumulatieve besteding ten laste van het Rijk ({spent}) "
            f"af van het beschikte bedrag ({granted})"
        )
    if rijk < _cumulative(cents, year - 1, (FundingSource.RIJK,)) or _cumulative(
        cents, year, REGIONAL_SOURCES
    ) < _cumulative(cents, year - 1, REGIONAL_SOURCES):
        return "een cumulatief bedrag is lager dan over het jaar ervoor"
    if submitted_before is not None and (
        round_half_away_from_zero(rijk, currency) < submitted_before[0]
        or round_half_away_from_zero(_cumulative(cents, year, REGIONAL_SOURCES), currency)
        < submitted_before[1]
    ):
        return (
            "een cumulatief bedrag is lager dan in de ingediende verantwoording over het jaar "
            "ervoor (gecorrigeerd na indiening)"
        )
    return None


def check_toelichting_given(
    nummer: str, year: int, why: str | None, toelichting: str | None
) -> list[Problem]:
    if why is None or (toelichting and toelichting.strip()):
        return []
    return [
        problem(
            "toelichting_required",
            said(
                "Beschikking {nummer}, {year}: a toelichting is required because {why}; give it with the eindverantwoording.",
                nummer=nummer,
                year=year,
                why=why,
            ),
            why=why,
        )
    ]


def check_regeling_assignment(tranche: str, known: str | None, regeling: str) -> list[Problem]:
    """A tranche follows one regeling; set once, since its beschikkingen's SiSa rows depend on it."""
    if known is None or known == regeling:
        return []
    return [
        problem(
            "regeling_already_set",
            said(
                "Tranche {tranche} already follows regeling {known}; that does not change.",
                tranche=tranche,
                known=known,
            ),
            tranche=tranche,
            regeling=known,
        )
    ]


def check_not_submitted(nummer: str, year: int, submitted_year: int | None) -> list[Problem]:
    """What a SiSa submission said stands: spending of its year, or of any year before it (its
    cumulative figure holds them), changes only by a correction, never in place."""
    if submitted_year is None or year > submitted_year:
        return []
    return [
        problem(
            "year_submitted",
            said(
                "{year} of {nummer} is in its SiSa submission over {submitted_year}, which stands as it was handed in: change it with the SiSa correction procedure, dated today (POST /api/v1/beschikkingen/{nummer}/sisa-corrections), which the next submission lists as was / wordt with its reason.",
                year=year,
                nummer=nummer,
                submitted_year=submitted_year,
            ),
            year=year,
            submitted_year=submitted_year,
        )
    ]
