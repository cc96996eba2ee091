"""What every rules module shares: a problem with its code and both languages, the one
identifier grammar for codes, the date windows (not before, not after) and "the year has ended"."""

from __future__ import annotations

from datetime import date

from ledger.errors import Problem
from ledger.text import check_identifier


def problem(code: str, en: str, nl: str, **details: object) -> Problem:
    return Problem(code, en, nl, details=details)


def check_codes(**codes: str | None) -> list[Problem]:
    """Every code of an object follows the one identifier grammar (``ledger.text``): codes end
    up in account codes, URLs, file names and CSV cells."""
    return [
        p
        for field, value in codes.items()
        if value is not None
        for p in check_identifier(field, value)
    ]


def check_year_ended(what: str, year: int, today: date) -> list[Problem]:
    """A year is accounted for (a statement, an eindverantwoording) only after it has ended."""
    if today.year > year:
        return []
    return [
        problem(
            "year_not_ended",
            f"{what} for {year} can be made from 1 January {year + 1}; today is {today}.",
            f"{what} over {year} kan vanaf 1 januari {year + 1}; vandaag is het {today}.",
            year=year,
            today=today.isoformat(),
        )
    ]


def not_before(
    code: str, what: tuple[str, str], on: date, limit: date, limit_is: tuple[str, str]
) -> list[Problem]:
    """``what`` (English, Dutch) dated ``on`` may not lie before ``limit`` (what that date is)."""
    if on >= limit:
        return []
    return [
        problem(
            code,
            f"{what[0]} is dated {on}, before {limit_is[0]} ({limit}); date it on or after {limit}.",
            f"{what[1]} is gedateerd {on}, vóór {limit_is[1]} ({limit}); kies {limit} of later.",
            effective_on=on,
            limit=limit,
        )
    ]


def not_after(
    code: str, what: tuple[str, str], on: date, limit: date, limit_is: tuple[str, str]
) -> list[Problem]:
    if on <= limit:
        return []
    return [
        problem(
            code,
            f"{what[0]} is dated {on}, after {limit_is[0]} ({limit}); date it on or before {limit}.",
            f"{what[1]} is gedateerd {on}, na {limit_is[1]} ({limit}); kies {limit} of eerder.",
            effective_on=on,
            limit=limit,
        )
    ]
