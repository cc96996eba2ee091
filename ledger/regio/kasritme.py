"""Payment schedules (*kasritme*): the advances a beschikking plans, and what follows from them.
Pure: objects in, problems and figures out.

A schedule lists its advances (a date and an amount each, in the grant's currency), or is made
by a rule: ``yearly_instalments`` splits an amount into equal yearly parts, the rounding rest on
the first (``ledger.rounding.allocate``). A schedule replaces the one before it as of its own
date; it may plan less than the grant (the rest is unscheduled), never more.

What follows, as of a day D: the advances due by D against what is paid by D (behind or
ahead), and the expected cash per later year (the *meerjarige kasreeks*): what the schedule
plans by each year's end, less what is paid, never more than the grant leaves unpaid; an advance
overdue on D is expected in D's year.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from ledger.errors import Problem
from ledger.money import Money
from ledger.rounding import allocate
from ledger.said import said
from ledger.words import Amount, Day


@dataclass(frozen=True)
class Advance:
    due_on: date
    amount: Money


def yearly_instalments(total: Money, first_due: date, count: int) -> tuple[Advance, ...]:
    """``total`` in ``count`` equal yearly advances from ``first_due`` (the rest on the first)."""
    parts = allocate(total, [1] * count)
    return tuple(
        Advance(first_due.replace(year=first_due.year + n), part) for n, part in enumerate(parts)
    )


def check_schedule(
    nummer: str,
    advances: Sequence[Advance],
    granted: Money,
    decided_on: date,
    spending_ends_on: date,
) -> list[Problem]:
    """A schedule plans at least one advance, each above zero in the grant's currency, due on
    a distinct day from the decision to the end of the spending period, and no more in all
    than the grant."""
    if not advances:
        return [
            Problem.of(
                "schedule_empty",
                said("The schedule of {nummer} plans no advance.", nummer=nummer),
            )
        ]
    problems = []
    if len({a.due_on for a in advances}) != len(advances):
        problems.append(
            Problem.of(
                "schedule_day_twice",
                said(
                    "The schedule of {nummer} plans two advances on one day; add them up.",
                    nummer=nummer,
                ),
            )
        )
    for a in advances:
        problems += _check_advance(nummer, a, granted.currency, decided_on, spending_ends_on)
    if not problems and planned(advances, spending_ends_on) > granted:
        problems.append(
            Problem.of(
                "schedule_exceeds_grant",
                said(
                    "The schedule of {nummer} plans {planned}, more than the grant of "
                    "{granted}; plan at most the grant.",
                    nummer=nummer,
                    planned=Amount(planned(advances, spending_ends_on)),
                    granted=Amount(granted),
                ),
            )
        )
    return problems


def _check_advance(
    nummer: str, a: Advance, currency: str, decided_on: date, spending_ends_on: date
) -> list[Problem]:
    problems = []
    if a.amount.currency != currency or not a.amount.is_positive():
        problems.append(
            Problem.of(
                "schedule_amount_invalid",
                said(
                    "The advance of {nummer} due on {day} must be above zero in {currency}.",
                    nummer=nummer,
                    day=Day(a.due_on),
                    currency=currency,
                ),
            )
        )
    if not decided_on <= a.due_on <= spending_ends_on:
        problems.append(
            Problem.of(
                "schedule_outside_period",
                said(
                    "The advance of {nummer} due on {day} lies outside {start} to {end}: "
                    "from the decision to the end of the spending period.",
                    nummer=nummer,
                    day=Day(a.due_on),
                    start=Day(decided_on),
                    end=Day(spending_ends_on),
                ),
            )
        )
    return problems


def planned(advances: Sequence[Advance], by: date) -> Money:
    """What the schedule plans to have paid by ``by``."""
    currency = advances[0].amount.currency if advances else "EUR"
    return sum((a.amount for a in advances if a.due_on <= by), Money.zero(currency))


@dataclass(frozen=True)
class Pace:
    """A beschikking's payments against its schedule as of a day."""

    nummer: str
    planned: Money  # due by the day
    paid: Money  # paid by the day
    expected: dict[int, Money]  # expected cash per year from the day's year on

    @property
    def behind(self) -> Money:
        """How much of what is due is not yet paid (zero when on or ahead of schedule)."""
        gap = self.planned - self.paid
        return gap if gap.is_positive() else Money.zero(gap.currency)


def pace(
    nummer: str, advances: Sequence[Advance], granted: Money, paid: Money, as_of: date
) -> Pace:
    unpaid = granted - paid
    expected: dict[int, Money] = {}
    before = Money.zero(granted.currency)
    last = max([a.due_on.year for a in advances] + [as_of.year])
    for year in range(as_of.year, last + 1):
        by_end = planned(advances, date(year, 12, 31)) - paid
        by_end = max(min(by_end, unpaid), Money.zero(granted.currency))
        expected[year] = by_end - before
        before = by_end
    return Pace(nummer, planned(advances, as_of), paid, expected)
