"""Dates the ledger takes from outside: ISO ``YYYY-MM-DD`` in ASCII digits, from 1900 to 2200.

A year before 1900 or after 2200 is a slip of the keyboard (``0001-01-01``, ``20255-01-01``),
never a Regio Deal; the rules of each object (a payment inside its beschikking's life) narrow
it further. Numbers are not dates: ``0`` is not 1 January 1970.
"""

from __future__ import annotations

import re
from datetime import date

from ledger.errors import LedgerError, Problem
from ledger.said import said

EARLIEST = date(1900, 1, 1)
LATEST = date(2200, 12, 31)
FIRST_YEAR, LAST_YEAR = EARLIEST.year, LATEST.year
#: The form as a schema states it (real months and days; the calendar decides the rest).
ISO_DATE_PATTERN = r"^(19[0-9]{2}|2[01][0-9]{2}|2200)-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", re.ASCII)


def date_problem(field: str, value: object) -> LedgerError:
    return LedgerError.single(
        "invalid_date",
        said(
            "{field} {value!r} is not a date from {EARLIEST} to {LATEST}; write YYYY-MM-DD.",
            field=field,
            value=str(value)[:40],
            EARLIEST=EARLIEST,
            LATEST=LATEST,
        ),
        field=field,
    )


def parse_date(value: object, field: str = "date") -> date:
    """A date from text as it enters the ledger; refuses anything else with ``invalid_date``."""
    if isinstance(value, date) and type(value) is date:
        day = value
    elif isinstance(value, str) and _ISO_DATE.fullmatch(value):
        try:
            day = date.fromisoformat(value)
        except ValueError:
            raise date_problem(field, value) from None
    else:
        raise date_problem(field, value)
    if not EARLIEST <= day <= LATEST:
        raise date_problem(field, value)
    return day


def in_range(day: date) -> bool:
    return EARLIEST <= day <= LATEST


def not_after_today(what: str, on: date, today: date) -> list[Problem]:
    """Nothing is booked, handed in or accounted for in the future: ``on`` must have come."""
    if on <= today:
        return []
    return [
        Problem.of(
            "future_date",
            said(
                "{what} is dated {on}, after today ({today}): nothing is booked in the future; book it when that day has come.",
                what=what,
                on=on,
                today=today,
            ),
            details={"date": on.isoformat(), "today": today.isoformat()},
        )
    ]
