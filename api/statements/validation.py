"""Validate a read statement: checks declared per column (every failure at once), then the
rules that need the whole statement. Each failure becomes a problem with its Excel row,
column, the value found and a stable code (the check's name).

The checks run over the typed columns as plain lists: a 100,000-line statement is checked in
a few hundredths of a second and the command starts without a data-frame library (make bench
measures the whole import against the bare read and insert of the same file).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from api.statements.cells import DISPLAY_NAMES, text_from_cell
from api.statements.problems import StatementProblem
from api.statements.reader import RawStatement
from ledger.regio.model import FundingSource

SOURCE_NAMES = {
    FundingSource.RIJK: "Rijk",
    FundingSource.COFINANCIERING_PUBLIEK: "Cofinanciering publiek",
    FundingSource.COFINANCIERING_PRIVAAT: "Cofinanciering privaat",
    FundingSource.IN_NATURA: "In natura",
}


@dataclass(frozen=True)
class StatementContext:
    """What the statement is checked against: its beschikking and year, the spending period,
    the deal's programme lines, and the names of Rijk bodies (never a co-financier)."""

    nummer: str
    year: int
    period_starts_on: date
    period_ends_on: date
    programme_lines: frozenset[str]  # lower case
    rijk_names: frozenset[str]  # lower case codes and names


#: A column's value must be there (unless reading the cell already failed).
REQUIRED = ("beschikkingsnummer", "datum", "omschrijving", "financieringsbron", "bedrag")

#: Per column, each check on one value that is there: its code and the test it must pass.
ValueTest = Callable[[Any, StatementContext], bool]
VALUE_CHECKS: dict[str, tuple[tuple[str, ValueTest], ...]] = {
    "beschikkingsnummer": (("wrong_beschikking", lambda v, c: v == c.nummer),),
    "datum": (
        ("date_outside_year", lambda d, c: d.year == c.year),
        ("outside_spending_period", lambda d, c: c.period_starts_on <= d <= c.period_ends_on),
    ),
    "bedrag": (("zero_amount", lambda v, c: v != 0),),
    "partner": (("rijk_as_cofinancier", lambda v, c: v.lower() not in c.rijk_names),),
    "programmalijn": (
        (
            "unknown_programme_line",
            lambda v, c: not c.programme_lines or v.lower() in c.programme_lines,
        ),
    ),
}

#: What a problem's detail says, per code that has one.
DETAILS = {
    "wrong_beschikking": lambda c: c.nummer,
    "date_outside_year": lambda c: str(c.year),
    "outside_spending_period": lambda c: (
        f"{c.period_starts_on.isoformat()} - {c.period_ends_on.isoformat()}"
    ),
    "unknown_programme_line": lambda c: ", ".join(sorted(c.programme_lines)),
}


def validate(statement: RawStatement, context: StatementContext) -> list[StatementProblem]:
    """Every problem in the statement (reading problems first), sorted by row and column."""
    problems = list(statement.problems)
    if not statement.rows:
        return [*problems, StatementProblem("empty_statement")]
    failed: dict[str, set[int]] = defaultdict(set)
    for problem in statement.problems:
        for name, display in DISPLAY_NAMES.items():
            if problem.column == display and problem.row is not None:
                failed[name].add(problem.row)
    found: list[tuple[str, str, int]] = []  # (code, column, position in the statement)
    for column in REQUIRED:
        found += _missing(statement, column, failed[column])
    for column, checks in VALUE_CHECKS.items():
        values = statement.values[column]
        distinct = set(values) - {None}  # a test runs once per distinct value, not per line
        for code, test in checks:
            if failing := {v for v in distinct if not test(v, context)}:
                found += [(code, column, i) for i, v in enumerate(values) if v in failing]
    found += _duplicate_references(statement.values["referentie"])
    found += _partners_missing(statement)
    problems += [_problem(statement, context, *case) for case in found]
    problems += _negative_totals(statement, context)
    unique = list(dict.fromkeys(problems))
    return sorted(unique, key=lambda p: (p.row or 0, p.column_letter or "", p.code))


def _missing(statement: RawStatement, column: str, failed: set[int]) -> list[tuple[str, str, int]]:
    rows = statement.rows
    if None not in statement.values[column]:
        return []
    return [
        ("missing_value", column, i)
        for i, v in enumerate(statement.values[column])
        if v is None and rows[i] not in failed
    ]


def _duplicate_references(references: list[str | None]) -> list[tuple[str, str, int]]:
    """Every line whose reference another line has too (all of them, not the later ones)."""
    present = [r for r in references if r is not None]
    if len(set(present)) == len(present):
        return []
    counts = Counter(present)
    return [
        ("duplicate_reference", "referentie", i)
        for i, r in enumerate(references)
        if r is not None and counts[r] > 1
    ]


def _partners_missing(statement: RawStatement) -> list[tuple[str, str, int]]:
    """Regional money (co-financing, in kind) names the partner it comes from."""
    sources, partners = statement.values["financieringsbron"], statement.values["partner"]
    if None not in partners:
        return []
    return [
        ("partner_missing", "partner", i)
        for i, (source, partner) in enumerate(zip(sources, partners, strict=True))
        if partner is None and source is not None and source != FundingSource.RIJK
    ]


def _problem(
    statement: RawStatement, context: StatementContext, code: str, column: str, position: int
) -> StatementProblem:
    raw = statement.raw[column][position]
    return StatementProblem(
        code,
        statement.rows[position],
        DISPLAY_NAMES[column],
        statement.letter(column) if column in statement.columns else None,
        text_from_cell(raw) if raw is not None else "",
        DETAILS[code](context) if code in DETAILS else "",
    )


def _negative_totals(statement: RawStatement, context: StatementContext) -> list[StatementProblem]:
    totals: dict[str, int] = defaultdict(int)
    for source, cents in zip(
        statement.values["financieringsbron"], statement.values["bedrag"], strict=True
    ):
        if source is not None and cents is not None:
            totals[source] += cents
    return [
        StatementProblem(
            "negative_total",
            None,
            DISPLAY_NAMES["bedrag"],
            None,
            SOURCE_NAMES.get(source, source),
            str(context.year),
        )
        for source, cents in sorted(totals.items())
        if cents < 0
    ]
