"""Validate a read statement: a pandera schema (lazy: every failure at once) over the typed
columns, then the rules that need the whole statement. Each failure becomes a problem with
its Excel row, column, the value found and a stable code (the check's name)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd
import pandera.pandas as pa

from api.statements.cells import DISPLAY_NAMES, text_from_cell
from api.statements.problems import StatementProblem
from api.statements.reader import RawStatement

SOURCE_NAMES = {
    "rijk": "Rijk",
    "cofinanciering_publiek": "Cofinanciering publiek",
    "cofinanciering_privaat": "Cofinanciering privaat",
    "in_natura": "In natura",
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


def frame(statement: RawStatement) -> pd.DataFrame:
    data = {
        name: pd.Series(values, index=statement.rows, dtype=object)
        for name, values in statement.values.items()
    }
    data["bedrag"] = pd.Series(statement.values["bedrag"], index=statement.rows, dtype="Int64")
    return pd.DataFrame(data)


def build_schema(context: StatementContext, failed: dict[str, set[int]]) -> pa.DataFrameSchema:
    def present(column: str) -> pa.Check:
        return pa.Check(
            lambda s: s.notna() | s.index.isin(list(failed.get(column, ()))),
            name="missing_value",
            ignore_na=False,
        )

    def each(name: str, test) -> pa.Check:  # noqa: ANN001 - a predicate on one non-empty value
        return pa.Check(
            lambda s: s.map(lambda v: v is None or pd.isna(v) or bool(test(v))), name=name
        )

    in_period = each(
        "outside_spending_period", lambda d: context.period_starts_on <= d <= context.period_ends_on
    )
    columns = {
        "beschikkingsnummer": [
            present("beschikkingsnummer"),
            each("wrong_beschikking", lambda v: v == context.nummer),
        ],
        "datum": [
            present("datum"),
            each("date_outside_year", lambda d: d.year == context.year),
            in_period,
        ],
        "omschrijving": [present("omschrijving")],
        "financieringsbron": [present("financieringsbron")],
        "bedrag": [present("bedrag"), pa.Check(lambda s: s.isna() | (s != 0), name="zero_amount")],
        "partner": [each("rijk_as_cofinancier", lambda v: v.lower() not in context.rijk_names)],
        "programmalijn": [
            each(
                "unknown_programme_line",
                lambda v: not context.programme_lines or v.lower() in context.programme_lines,
            )
        ],
        "referentie": [
            pa.Check(lambda s: s.isna() | ~s.duplicated(keep=False), name="duplicate_reference")
        ],
    }
    partner_for_regional = pa.Check(
        lambda df: (
            df["partner"].notna()
            | df["financieringsbron"].isna()
            | (df["financieringsbron"] == "rijk")
        ),
        name="partner_missing",
        ignore_na=False,
    )
    return pa.DataFrameSchema(
        {
            name: pa.Column("Int64" if name == "bedrag" else object, checks, nullable=True)
            for name, checks in columns.items()
        },
        checks=[partner_for_regional],
        strict=False,
    )


DETAILS = {
    "wrong_beschikking": lambda c: c.nummer,
    "date_outside_year": lambda c: str(c.year),
    "outside_spending_period": lambda c: (
        f"{c.period_starts_on.isoformat()} - {c.period_ends_on.isoformat()}"
    ),
    "unknown_programme_line": lambda c: ", ".join(sorted(c.programme_lines)),
}


def validate(
    statement: RawStatement, context: StatementContext
) -> tuple[pd.DataFrame, list[StatementProblem]]:
    """The statement's lines and every problem in it (reading problems first)."""
    problems = list(statement.problems)
    if not statement.rows:
        return frame(statement), [*problems, StatementProblem("empty_statement")]
    failed: dict[str, set[int]] = {}
    for problem in statement.problems:
        for name, display in DISPLAY_NAMES.items():
            if problem.column == display and problem.row is not None:
                failed.setdefault(name, set()).add(problem.row)
    lines = frame(statement)
    try:
        build_schema(context, failed).validate(lines, lazy=True)
    except pa.errors.SchemaErrors as errors:
        problems += _problems_from(errors.failure_cases, statement, context)
    problems += _negative_totals(lines, context)
    unique = list(dict.fromkeys(problems))  # a whole-row check reports once per column
    return lines, sorted(unique, key=lambda p: (p.row or 0, p.column_letter or "", p.code))


def _problems_from(
    cases: pd.DataFrame, statement: RawStatement, context: StatementContext
) -> list[StatementProblem]:
    problems = []
    positions = {row: position for position, row in enumerate(statement.rows)}
    for case in cases.itertuples(index=False):
        code = str(case.check)
        if code not in DETAILS and code not in (
            "missing_value",
            "zero_amount",
            "partner_missing",
            "rijk_as_cofinancier",
            "duplicate_reference",
        ):
            continue  # pandera's own bookkeeping (dtype), not a cell problem
        column = "partner" if code == "partner_missing" else str(case.column)
        row = int(case.index)
        position = positions.get(row) if column in statement.raw else None
        value = (
            text_from_cell(statement.raw[column][position])
            if position is not None and statement.raw[column][position] is not None
            else ""
        )
        letter = statement.letter(column) if column in statement.columns else None
        detail = DETAILS[code](context) if code in DETAILS else ""
        problems.append(StatementProblem(code, row, DISPLAY_NAMES[column], letter, value, detail))
    return problems


def _negative_totals(lines: pd.DataFrame, context: StatementContext) -> list[StatementProblem]:
    totals = lines.groupby("financieringsbron")["bedrag"].sum()
    return [
        StatementProblem(
            "negative_total",
            None,
            DISPLAY_NAMES["bedrag"],
            None,
            SOURCE_NAMES.get(source, source),
            str(context.year),
        )
        for source, cents in totals.items()
        if pd.notna(cents) and cents < 0
    ]
