"""Import a statement end to end: read and validate the file (outside any transaction), then
book it in one transaction, or keep the refused upload with every problem."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from sqlalchemy import Engine

from api.statements.limits import StatementLimits
from api.statements.problems import MESSAGES, StatementProblem, StatementRefused
from api.statements.reader import read_statement
from api.statements.validation import StatementContext, validate
from ledger.db.statements import BookedStatement, StatementLine, StatementStore
from ledger.errors import LedgerError, Problem
from ledger.regio.model import FundingSource


@dataclass
class ImportResult:
    nummer: str
    year: int
    sha256: str
    booked: BookedStatement | None = None
    statement_id: int | None = None
    problems: list[StatementProblem] = field(default_factory=list)
    warnings: list[StatementProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.booked is not None

    def as_dict(self) -> dict[str, Any]:
        document: dict[str, Any] = {
            "beschikking": self.nummer, "year": self.year, "sha256": self.sha256, "booked": self.ok,
            "statement_id": self.statement_id, "problems": [p.as_dict() for p in self.problems],
            "warnings": [w.as_dict() for w in self.warnings],
        }  # fmt: skip
        if self.booked:
            b = self.booked
            document.update(entry=b.entry, lines=b.line_count, totals={k: str(v.amount) for k, v in b.totals.items()},
                            replaced_statement=b.replaced_statement, reversal_entry=b.reversal_entry, repeated_upload=b.reused)  # fmt: skip
        return document


def lines_from(frame: pd.DataFrame) -> list[StatementLine]:
    def text(value: Any) -> str | None:
        return (
            None if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)
        )

    sources = {source.value: source for source in FundingSource}
    columns = [frame[name].tolist() for name in ("datum", "omschrijving", "financieringsbron", "bedrag", "partner",
                                                 "programmalijn", "project", "referentie", "toelichting")]  # fmt: skip
    return [
        StatementLine(
            row,
            spent_on,
            description,
            sources[source],
            int(cents),
            text(partner),
            text(line),
            text(project),
            text(reference),
            text(explanation),
        )  # fmt: skip
        for row, spent_on, description, source, cents, partner, line, project, reference, explanation in zip(
            frame.index.tolist(), *columns, strict=True
        )
    ]


def import_statement(
    engine: Engine, nummer: str, year: int, content: bytes, *, filename: str, uploader: str,
    organisation: str | None = None, limits: StatementLimits | None = None,
    phase: Callable[..., None] = lambda steps=1, note=None: None,
) -> ImportResult:  # fmt: skip
    """Read, validate and book a statement (all or nothing). ``phase`` hears of each of the
    three steps as it starts: reading, checking, booking (for a progress bar)."""
    store = StatementStore(engine)
    sha256 = hashlib.sha256(content).hexdigest()
    result = ImportResult(nummer, year, sha256)
    context = store.context(nummer)
    if organisation is not None and context.state.beschikking.recipient != organisation:
        raise StatementRefused([StatementProblem("not_your_beschikking", value=nummer)])
    if (earlier := store.booked_with(nummer, year, sha256)) is not None:
        result.booked, result.statement_id = earlier, earlier.statement_id
        return result
    if context.final_years:  # after eindverantwoording nothing more is spent on the beschikking
        raise StatementRefused(
            [StatementProblem("year_final", value=str(max(context.final_years)))]
        )
    phase(0, "lezen")
    statement = read_statement(content, limits)
    phase(1, "controleren")
    result.warnings = statement.warnings
    b = context.state.beschikking
    frame, problems = validate(statement, StatementContext(nummer, year, b.spending_starts_on, context.state.spending_ends_on,
                                                          context.programme_lines, context.rijk_names))  # fmt: skip
    if not problems:
        phase(1, "boeken")
        try:
            result.booked = store.book(
                nummer, year, sha256, content, filename, uploader, lines_from(frame)
            )
            result.statement_id = result.booked.statement_id
            return result
        except LedgerError as error:
            problems = [from_ledger(p) for p in error.problems]
    result.problems = problems
    result.statement_id = store.record_refused(nummer, year, sha256, content, filename, uploader,
                                               [p.as_dict() for p in problems], len(statement.rows))  # fmt: skip
    return result


def from_ledger(problem: Problem) -> StatementProblem:
    """A refusal of the ledger while booking, in the statement's terms."""
    if problem.code == "negative_spending_total":
        return StatementProblem("negative_total", value=problem.account or "", detail="")
    code = problem.code if problem.code in MESSAGES else "ledger_refused"
    return StatementProblem(code, value=problem.message_nl or problem.message)
