"""What every rules module shares: a problem with its code and both languages, the one
identifier grammar for codes, the date windows (not before, not after) and "the year has ended"."""

from __future__ import annotations

from datetime import date

from ledger.errors import Problem
from ledger.said import Said, said
from ledger.text import check_identifier


def problem(code: str, text: Said, **details: object) -> Problem:
    return Problem.of(code, text, details=details)


def check_codes(**codes: str | None) -> list[Problem]:
    """Every code of an object follows the one identifier grammar (``ledger.text``): codes end
    up in account codes, URLs, file names and CSV cells."""
    return [
        p
        for field, value in codes.items()
        if value is not None
        for p in check_identifier(field, value)
    ]


def check_year_ended(what: Said, year: int, today: date) -> list[Problem]:
    """A year is accounted for (a statement, an eindverantwoording) only after it has ended."""
    if today.year > year:
        return []
    return [
        problem(
            "year_not_ended",
            said(
                "{what} for {year} can be made from 1 January {next_year}; today is {today}.",
                what=what,
                year=year,
                next_year=year + 1,
                today=today,
            ),
            year=year,
            today=today.isoformat(),
        )
    ]


def not_before(code: str, what: Said, on: date, limit: date, limit_is: Said) -> list[Problem]:
    """``what`` dated ``on`` may not lie before ``limit`` (``limit_is`` says what that date is)."""
    if on >= limit:
        return []
    return [
        problem(
            code,
            said(
                "{what} is dated {on}, before {limit_is} ({limit}); date it on or after {limit}.",
                what=what,
                on=on,
                limit_is=limit_is,
                limit=limit,
            ),
            effective_on=on,
            limit=limit,
        )
    ]


def not_after(code: str, what: Said, on: date, limit: date, limit_is: Said) -> list[Problem]:
    if on <= limit:
        return []
    return [
        problem(
            code,
            said(
                "{what} is dated {on}, after {limit_is} ({limit}); date it on or before {limit}.",
                what=what,
                on=on,
                limit_is=limit_is,
                limit=limit,
            ),
            effective_on=on,
            limit=limit,
        )
    ]
