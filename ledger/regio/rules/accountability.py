"""Rules of the accounting for a beschikking: spending and who may account, the
eindverantwoording, the vaststelling with its dates and its co-financing cap, and the
withdrawal of a statement."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

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
from ledger.said import said
from ledger.words import Amount


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
            said(
                "Beschikking {nummer}: under tranche {tranche}'s rule the realised regional money carries at most {cap} of Rijk spending, not {eligible}: settle {short} more as ineligible, or record why not (cofinancing_exception).",
                nummer=nummer,
                tranche=tranche,
                cap=Amount(cap),
                eligible=Amount(eligible),
                short=Amount(short),
            ),
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
                said("Spending dated {on} does not fall in {year}.", on=on, year=year),
            )
        )
    if not beschikking.spending_starts_on <= on <= spending_ends_on:
        problems.append(
            problem(
                "outside_spending_period",
                said(
                    "Spending dated {on} is outside the spending period of {n} ({spending_starts_on} to {spending_ends_on}).",
                    on=on,
                    n=n,
                    spending_starts_on=beschikking.spending_starts_on,
                    spending_ends_on=spending_ends_on,
                ),
            )
        )
    if amount.is_zero():
        problems.append(
            problem(
                "zero_amount",
                said("A spending amount may not be zero."),
            )
        )
    if amount.currency != beschikking.amount.currency:
        problems.append(
            problem(
                "currency_mismatch",
                said(
                    "Spending on {n} must be in {currency}.",
                    n=n,
                    currency=beschikking.amount.currency,
                ),
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
            said(
                "Beschikking {beschikking} is a {rule} ({instrument}): its spending is not reported here ({accountability}).",
                beschikking=beschikking.nummer,
                rule=rule.name,
                instrument=instrument,
                accountability=rule.accountability,
            ),
        )
    ]


def check_settlement(beschikking: Beschikking, ineligible: Money, spent: Money) -> list[Problem]:
    n = beschikking.nummer
    if beschikking.instrument in (Instrument.DU, Instrument.DO):
        code = f"{beschikking.instrument.lower()}_has_no_settlement"
        return [
            problem(
                code,
                said(
                    "Beschikking {n} is a {instrument}: it has no vaststelling.",
                    n=n,
                    instrument=beschikking.instrument,
                ),
            )
        ]
    if ineligible.amount < 0 or ineligible > spent:
        return [
            problem(
                "invalid_amount",
                said(
                    "Ineligible spending on {n} must be between 0 and the {spent} spent.",
                    n=n,
                    spent=spent,
                ),
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
                said(
                    "Beschikking {n} already had its eindverantwoording in {final_year}.",
                    n=n,
                    final_year=final_year,
                ),
            )
        ]
    if problems := check_year_ended(said("The eindverantwoording"), year, today):
        return problems
    if year < beschikking.decided_on.year:
        return [
            problem(
                "date_outside_year",
                said("Beschikking {n} was decided after {year}.", n=n, year=year),
            )
        ]
    return []


#: What an eindverantwoording closes, by what was asked after it (English, Dutch).
AFTER_FINAL = {
    "spending": said("nothing more is spent on it"),
    "statement": said("no statement is booked or replaced for it any more"),
    "withdrawal": said("its statements are corrected through the SiSa correction procedure"),
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
            said(
                "Beschikking {nummer} had its eindverantwoording over {year}: {then}.",
                nummer=nummer,
                year=years[-1],
                then=then,
            ),
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
    what = said("The vaststelling of {n}", n=n)
    problems = []
    if final_year is None:
        if not ambtshalve or not ambtshalve.strip():
            problems.append(
                problem(
                    "settlement_needs_final",
                    said(
                        "Beschikking {n} has no eindverantwoording: a vaststelling waits for it, or is taken ambtshalve (after the spending period, with the reason).",
                        n=n,
                    ),
                )
            )
        problems += not_before(
            "settlement_too_early",
            what,
            on,
            spending_ends_on,
            (said("the end of the spending period")),
        )
    if last_movement is not None:
        problems += not_before(
            "settlement_before_movement",
            what,
            on,
            last_movement,
            said("its last payment or spending"),
        )
    return problems


def check_statement_withdrawal(
    nummer: str, statement: str, row: object | None, final_years: frozenset[int], settled: bool
) -> list[Problem]:
    if row is None:
        return [
            problem(
                "statement_not_found",
                said(
                    "Beschikking {nummer} has no booked statement {statement} that still counts.",
                    nummer=nummer,
                    statement=statement,
                ),
            )
        ]
    return check_open(nummer, settled, False) + check_not_final(nummer, final_years, "withdrawal")
