"""Rules of the accounting for a beschikking: spending and who may account, the
eindverantwoording, the vaststelling with its dates and its co-financing cap, and the
withdrawal of a statement."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from ledger import words
from ledger.errors import Problem
from ledger.money import Money
from ledger.regio.model import (
    Beschikking,
    FundingSource,
    Instrument,
)
from ledger.regio.rules.beschikkingen import check_open
from ledger.regio.rules.common import check_year_ended, not_before, problem
from ledger.regio.rules.tables import INSTRUMENT_RULES, cofinancing_rule
from ledger.rounding import round_down


def counted_realised(
    tranche: str, public_cash: Money, private_cash: Money, in_kind: Money
) -> Money:
    """The regional money spent that counts under the tranche's co-financing rule (tranches 1-3:
    public cash only; from tranche 4: private money and in kind too)."""
    rule = cofinancing_rule(tranche)
    return (
        public_cash
        + (private_cash if rule.counts_private else Money.zero())
        + (in_kind if rule.counts_in_kind else Money.zero())
    )


def cofinancing_cap(tranche: str, public: Money, private: Money, in_kind: Money) -> Money:
    """The most Rijk spending the realised regional money carries under the tranche's rule:
    the counted regional money over the ratio (tranches 1-3: public cash 1:1; from tranche 4 the
    Rijk at most half of the whole), rounded down to the cent."""
    rule = cofinancing_rule(tranche)
    counted = counted_realised(tranche, public, private, in_kind)
    return round_down(counted.amount / rule.minimum_ratio, counted.currency)


def check_cofinancing_at_settlement(
    nummer: str, tranche: str, eligible: Money, cap: Money, exception: str | None
) -> list[Problem]:
    """At vaststelling the Rijk settles at most what the realised co-financing carries, unless
    the officer records why not (``cofinancing_exception``)."""
    if eligible <= cap or (exception and exception.strip()):
        return []
    short = eligible - cap
    return [
        problem(
            "cofinancing_short_at_settlement",
            f"Beschikking {nummer}: under tranche {tranche}'s rule the realised regional money "
            f"carries at most {words.money(cap, 'en')} of Rijk spending, not "
            f"{words.money(eligible, 'en')}: settle {words.money(short, 'en')} more as "
            "ineligible, or record why not (cofinancing_exception).",
            f"Beschikking {nummer}: volgens de regel van tranche {tranche} draagt de "
            f"gerealiseerde regionale financiering hoogstens {words.money(cap)} aan "
            f"rijksbesteding, niet {words.money(eligible)}: stel {words.money(short)} meer vast "
            "als niet-subsidiabel, of leg vast waarom niet (cofinancing_exception).",
        )
    ]


def realised_cofinancing_short(tranche: str, spent_rijk: Money, counted: Money) -> bool:
    """What was realised falls below the tranche's ratio: the counted regional money spent is
    less than the Rijk money spent times the ratio (from tranche 4, with a ratio of 1: the Rijk
    more than half of the whole)."""
    rule = cofinancing_rule(tranche)
    return spent_rijk.is_positive() and counted.amount < spent_rijk.amount * rule.minimum_ratio


def check_spending(
    beschikking: Beschikking,
    spending_ends_on: date,
    on: date,
    year: int,
    source: FundingSource,
    amount: Money,
) -> list[Problem]:
    n = beschikking.nummer
    problems = check_accountable(beschikking)
    if on.year != year:
        problems.append(
            problem(
                "date_outside_year",
                f"Spending dated {on} does not fall in {year}.",
                f"Besteding op {on} valt niet in {year}.",
            )
        )
    if not beschikking.spending_starts_on <= on <= spending_ends_on:
        problems.append(
            problem(
                "outside_spending_period",
                f"Spending dated {on} is outside the spending period of {n} ({beschikking.spending_starts_on} to {spending_ends_on}).",
                f"Besteding op {on} valt buiten de bestedingsperiode van {n} ({beschikking.spending_starts_on} tot en met {spending_ends_on}).",
            )
        )
    if amount.is_zero():
        problems.append(
            problem(
                "zero_amount",
                "A spending amount may not be zero.",
                "Een bestedingsbedrag mag niet nul zijn.",
            )
        )
    if amount.currency != beschikking.amount.currency:
        problems.append(
            problem(
                "currency_mismatch",
                f"Spending on {n} must be in {beschikking.amount.currency}.",
                f"Besteding op {n} moet in {beschikking.amount.currency} zijn.",
            )
        )
    return problems


def check_accountable(beschikking: Beschikking) -> list[Problem]:
    """A DU (general funds) and a DO (another ministry's budget) have no spending to report."""
    instrument = beschikking.instrument
    if instrument not in (Instrument.DU, Instrument.DO):
        return []
    rule = INSTRUMENT_RULES[instrument]
    return [
        problem(
            f"{instrument.lower()}_has_no_accountability",
            f"Beschikking {beschikking.nummer} is a {rule.name} ({instrument}): its spending is not reported here ({rule.accountability}).",
            f"Beschikking {beschikking.nummer} is een {rule.name} ({instrument}): de besteding wordt hier niet verantwoord ({rule.accountability}).",
        )
    ]


def check_settlement(beschikking: Beschikking, ineligible: Money, spent: Money) -> list[Problem]:
    n = beschikking.nummer
    if beschikking.instrument in (Instrument.DU, Instrument.DO):
        code = f"{beschikking.instrument.lower()}_has_no_settlement"
        return [
            problem(
                code,
                f"Beschikking {n} is a {beschikking.instrument}: it has no vaststelling.",
                f"Beschikking {n} is een {beschikking.instrument}: die wordt niet vastgesteld.",
            )
        ]
    if ineligible.amount < 0 or ineligible > spent:
        return [
            problem(
                "invalid_amount",
                f"Ineligible spending on {n} must be between 0 and the {spent} spent.",
                f"Niet-subsidiabele besteding op {n} moet tussen 0 en de bestede {spent} liggen.",
            )
        ]
    return []


def check_final(
    beschikking: Beschikking, year: int, final_year: int | None, today: date
) -> list[Problem]:
    n = beschikking.nummer
    if problems := check_accountable(beschikking):
        return problems
    if final_year is not None:
        return [
            problem(
                "already_final",
                f"Beschikking {n} already had its eindverantwoording in {final_year}.",
                f"Beschikking {n} heeft al eindverantwoording over {final_year}.",
            )
        ]
    if problems := check_year_ended("The eindverantwoording", year, today):
        return problems
    if year < beschikking.decided_on.year:
        return [
            problem(
                "date_outside_year",
                f"Beschikking {n} was decided after {year}.",
                f"Beschikking {n} is na {year} genomen.",
            )
        ]
    return []


#: What an eindverantwoording closes, by what was asked after it (English, Dutch).
AFTER_FINAL = {
    "spending": ("nothing more is spent on it", "er wordt niets meer op besteed"),
    "statement": (
        "no statement is booked or replaced for it any more",
        "er wordt geen opgave meer voor geboekt of vervangen",
    ),
    "withdrawal": (
        "its statements are corrected through the SiSa correction procedure",
        "de opgaven worden gecorrigeerd via de SiSa-correctieprocedure",
    ),
}


def check_not_final(
    nummer: str, final_years: Iterable[int], asked: str = "spending"
) -> list[Problem]:
    """After the eindverantwoording the beschikking's accounting is closed (``year_final``): the
    one wording of it, with what follows for what was ``asked`` (``AFTER_FINAL``)."""
    if not (years := sorted(final_years)):
        return []
    then = AFTER_FINAL[asked]
    return [
        problem(
            "year_final",
            f"Beschikking {nummer} had its eindverantwoording over {years[-1]}: {then[0]}.",
            f"Beschikking {nummer} heeft eindverantwoording over {years[-1]}: {then[1]}.",
            final_year=years[-1],
        )
    ]


def check_settlement_dates(
    beschikking: Beschikking,
    on: date,
    spending_ends_on: date,
    final_year: int | None,
    last_movement: date | None,
    ambtshalve: str | None,
) -> list[Problem]:
    """Vaststelling comes after the eindverantwoording, or, without one, after the spending
    period ended and as an explicit ambtshalve decision with its reason; and never before a
    payment or spending it settles."""
    n = beschikking.nummer
    what = (f"The vaststelling of {n}", f"De vaststelling van {n}")
    problems = []
    if final_year is None:
        if not ambtshalve or not ambtshalve.strip():
            problems.append(
                problem(
                    "settlement_needs_final",
                    f"Beschikking {n} has no eindverantwoording: a vaststelling waits for it, or is "
                    "taken ambtshalve (after the spending period, with the reason).",
                    f"Beschikking {n} heeft geen eindverantwoording: de vaststelling wacht daarop, of "
                    "wordt ambtshalve genomen (na de bestedingsperiode, met de reden).",
                )
            )
        problems += not_before(
            "settlement_too_early",
            what,
            on,
            spending_ends_on,
            ("the end of the spending period", "het einde van de bestedingsperiode"),
        )
    if last_movement is not None:
        problems += not_before(
            "settlement_before_movement",
            what,
            on,
            last_movement,
            ("its last payment or spending", "de laatste betaling of besteding"),
        )
    return problems


def check_statement_withdrawal(
    nummer: str, statement: str, row: object | None, final_years: frozenset[int], settled: bool
) -> list[Problem]:
    if row is None:
        return [
            problem(
                "statement_not_found",
                f"Beschikking {nummer} has no booked statement {statement} that still counts.",
                f"Beschikking {nummer} heeft geen geboekte opgave {statement} die nog meetelt.",
            )
        ]
    return check_open(nummer, settled, False) + check_not_final(nummer, final_years, "withdrawal")
