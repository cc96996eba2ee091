"""Import a statement end to end: read and validate the file (outside any transaction), then
book it in one transaction, or keep the refused upload with every problem."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, Engine, select

from api.statements.collector import cycle_collection_paused
from api.statements.limits import StatementLimits
from api.statements.problems import MESSAGES, StatementProblem, StatementRefused
from api.statements.reader import RawStatement, read_statement
from api.statements.validation import SOURCE_NAMES, StatementContext, validate
from ledger.clock import today
from ledger.db.unit_of_work import UnitOfWork
from ledger.errors import LedgerError, Problem, raise_if_any
from ledger.regio import rules
from ledger.regio.db.statements import (
    ANY_STATEMENT,
    BookedStatement,
    StatementLine,
    StatementStore,
    statement_table,
)
from ledger.regio.model import FundingSource, StatementStatus
from ledger.said import said


@dataclass
class ImportResult:
    nummer: str
    year: int
    sha256: str
    booked: BookedStatement | None = None
    statement_id: int | None = None
    problems: list[StatementProblem] = field(default_factory=list)
    warnings: list[StatementProblem] = field(default_factory=list)
    line_count: int = 0
    answer: Any = None  # what the booking's transaction answered (the HTTP route: its kept answer)

    @property
    def is_booked(self) -> bool:
        """Booked: now, or the same file before."""
        return self.booked is not None

    def as_dict(self) -> dict[str, Any]:
        document: dict[str, Any] = {
            "beschikking": self.nummer,
            "year": self.year,
            "sha256": self.sha256,
            "booked": self.is_booked,
            "statement_id": self.statement_id,
            "problems": [p.as_dict() for p in self.problems],
            "warnings": [w.as_dict() for w in self.warnings],
        }
        if self.booked:
            b = self.booked
            document.update(
                entry=b.entry,
                lines=b.line_count,
                totals={k: str(v.amount) for k, v in b.totals.items()},
                replaced_statement=b.replaced_statement,
                reversal_entry=b.reversal_entry,
                repeated_upload=b.reused,
            )
        return document


def lines_from(statement: RawStatement) -> list[StatementLine]:
    """The checked statement's lines, as the store books them (columns zipped into lines)."""
    values = statement.values
    sources = {source.value: source for source in FundingSource}
    return list(
        map(
            StatementLine._make,
            zip(
                statement.rows,
                values["datum"],
                values["omschrijving"],
                map(sources.__getitem__, values["financieringsbron"]),
                values["bedrag"],
                values["partner"],
                values["programmalijn"],
                values["project"],
                values["referentie"],
                values["toelichting"],
                strict=True,
            ),
        )
    )


def check_statement(
    engine: Engine,
    nummer: str,
    year: int,
    content: bytes,
    *,
    organisation: str | None = None,
    limits: StatementLimits | None = None,
    phase: Callable[..., None] = lambda steps=1, note=None: None,
    read: RawStatement | StatementRefused | None = None,
    sha256: str | None = None,
) -> tuple[ImportResult, list[StatementLine]]:
    """Read and validate a statement, outside any transaction: the result (with its problems, or
    the earlier booking of the same file) and the lines to book when there is no problem.
    ``phase`` hears of reading and checking as they start (for a progress bar). ``read``: the
    file as ``read_ahead`` read it already, with the same limits (its refusal is raised where
    reading comes among the checks, so the answer is the one reading here would give).
    ``sha256``: the file's digest when the caller has it already (the file is hashed once)."""
    raise_if_any(rules.check_year_ended(said("A spending statement"), year, today()))
    store = StatementStore(engine)
    result = ImportResult(nummer, year, sha256 or hashlib.sha256(content).hexdigest())
    context = store.context(nummer)
    if organisation is not None and context.state.beschikking.recipient != organisation:
        raise StatementRefused([StatementProblem("not_your_beschikking", value=nummer)])
    if (earlier := store.booked_with(nummer, year, result.sha256)) is not None:
        result.booked, result.statement_id = earlier, earlier.statement_id
        return result, []
    if context.final_years:  # after eindverantwoording nothing more is spent on the beschikking
        raise StatementRefused(
            [StatementProblem("year_final", value=str(max(context.final_years)))]
        )
    b = context.state.beschikking
    checked_against = StatementContext(
        nummer,
        year,
        b.spending_starts_on,
        context.state.spending_ends_on,
        context.programme_lines,
        context.rijk_names,
    )
    with cycle_collection_paused():
        phase(0, "lezen")
        statement = read_statement(content, limits) if read is None else _as_read(read)
        phase(1, "controleren")
        result.warnings = statement.warnings
        result.line_count = len(statement.rows)
        result.problems = validate(statement, checked_against)
        return result, [] if result.problems else lines_from(statement)


def book_statement(
    engine: Engine,
    result: ImportResult,
    lines: list[StatementLine],
    content: bytes,
    *,
    filename: str,
    uploader: str,
    connection: Connection | None = None,
    replaces: str | None = ANY_STATEMENT,
) -> ImportResult:
    """Book checked lines, in the caller's transaction when given one; a refusal of the ledger
    (``LedgerError``) is left to the caller, who records it with ``record_refusal``.
    ``replaces``: as for ``StatementStore.book``."""
    with cycle_collection_paused():
        result.booked = StatementStore(engine).book(
            result.nummer,
            result.year,
            result.sha256,
            content,
            filename,
            uploader,
            lines,
            connection=connection,
            replaces=replaces,
        )
    result.statement_id = result.booked.statement_id
    return result


def record_refusal(
    engine: Engine,
    result: ImportResult,
    content: bytes,
    *,
    filename: str,
    uploader: str,
    error: LedgerError | None = None,
) -> ImportResult:
    """Keep a refused upload with its problems (the ledger's refusal, if that was the reason)."""
    if error is not None:
        result.problems = [from_ledger(p) for p in error.problems]
    result.statement_id = StatementStore(engine).record_refused(
        result.nummer,
        result.year,
        result.sha256,
        content,
        filename,
        uploader,
        [p.as_dict() for p in result.problems],
        result.line_count,
    )
    return result


def _as_read(read: RawStatement | StatementRefused) -> RawStatement:
    if isinstance(read, StatementRefused):
        raise read
    return read


def template_for(engine: Engine, nummer: str, year: int) -> bytes:
    """The empty statement workbook of a beschikking and year, for a year of its spending
    period only (any other year's lines would all be refused)."""
    from api.statements.workbooks import statement_template  # openpyxl: only when writing one

    context = StatementStore(engine).context(nummer)
    starts, ends = context.state.beschikking.spending_starts_on, context.state.spending_ends_on
    if not starts.year <= year <= ends.year:
        raise LedgerError.single(
            "year_outside_spending_period",
            said(
                "The spending period of {nummer} runs from {starts} to {ends}: a statement for {year} would have every line refused; choose a year from {year2} to {year3}.",
                nummer=nummer,
                starts=starts,
                ends=ends,
                year=year,
                year2=starts.year,
                year3=ends.year,
            ),
            year=year,
        )
    return statement_template(nummer, year, sorted(context.programme_lines_display))


#: How a booking's transaction is opened: given the work (book in this connection, answer what
#: was booked), it runs the work in a transaction it commits and returns its answer. The command
#: line, the portal and the demo book in the store's own transaction (``in_own_transaction``);
#: the HTTP route passes its idempotent ``once``, which keeps the answer under the request's key.
Transaction = Callable[[Callable[[Connection | None], dict[str, Any]]], Any]


def in_own_transaction(work: Callable[[Connection | None], dict[str, Any]]) -> Any:
    return work(None)


def import_statement(
    engine: Engine,
    nummer: str,
    year: int,
    content: bytes,
    *,
    filename: str,
    uploader: str,
    organisation: str | None = None,
    limits: StatementLimits | None = None,
    phase: Callable[..., None] = lambda steps=1, note=None: None,
    read: RawStatement | StatementRefused | None = None,
    replaces: str | None = ANY_STATEMENT,
    sha256: str | None = None,
    transaction: Transaction = in_own_transaction,
) -> ImportResult:
    """Read, validate and book a statement (all or nothing): the one use case of an upload,
    wherever it comes from. ``phase`` hears of reading, checking and booking as each starts;
    ``read`` and ``sha256`` as for ``check_statement``; ``replaces`` as for
    ``StatementStore.book`` (unconfirmed: raised, nothing is wrong with the file);
    ``transaction`` opens the booking's transaction, its answer kept in ``result.answer``. A
    file refused before its lines are read raises ``StatementRefused`` and keeps nothing."""
    checks = dict(organisation=organisation, limits=limits, phase=phase, read=read, sha256=sha256)
    result, lines = check_statement(engine, nummer, year, content, **checks)
    if result.problems:
        return record_refusal(engine, result, content, filename=filename, uploader=uploader)
    if not result.is_booked:
        phase(1, "boeken")

    def book(connection: Connection | None) -> dict[str, Any]:
        if not result.is_booked:  # the same file booked before is answered, not booked again
            book_statement(
                engine,
                result,
                lines,
                content,
                filename=filename,
                uploader=uploader,
                connection=connection,
                replaces=replaces,
            )
        return result.as_dict()

    try:
        result.answer = transaction(book)
    except LedgerError as error:
        kept = transaction is not in_own_transaction  # the caller's key, reused for another file
        if error.code == "replacement_not_confirmed" or (
            kept and error.code == "idempotency_conflict"
        ):
            raise
        return record_refusal(
            engine, result, content, filename=filename, uploader=uploader, error=error
        )
    return result


def from_ledger(problem: Problem) -> StatementProblem:
    """A refusal of the ledger while booking, in the statement's terms."""
    details = problem.details
    if problem.code == "negative_spending_total":
        return StatementProblem(
            "negative_total",
            value=SOURCE_NAMES.get(str(details.get("source")), ""),
            detail=str(details.get("year", "")),
        )
    if problem.code == "spending_exceeds_grant":
        return StatementProblem(
            "spending_exceeds_grant",
            value=str(details.get("shortfall", 0)),
            detail=str(details.get("available", 0)),
        )
    if problem.code in ("year_submitted", "year_not_ended"):
        return StatementProblem(problem.code, value=str(details.get("year", "")))
    code = problem.code if problem.code in MESSAGES["en"] else "ledger_refused"
    return StatementProblem(code, value=problem.message_nl or problem.message)


def refused_workbook(engine: Engine, nummer: str, statement_id: str) -> bytes | None:
    """A refused statement's own workbook with its problems marked, or None if there is no
    refused statement of that id for the beschikking."""
    with UnitOfWork(engine) as uow:
        row = uow.connection.execute(
            select(statement_table).where(
                statement_table.c.public_id == statement_id, statement_table.c.beschikking == nummer
            )
        ).first()
    if row is None or row.outcome != StatementStatus.REFUSED:
        return None
    problems = [
        StatementProblem(
            p["code"],
            p["row"],
            p["column"],
            (p["cell"] or "").rstrip("0123456789") or None,
            p["value"] or "",
        )
        for p in json.loads(row.problems)
    ]
    from api.statements.workbooks import errors_workbook  # openpyxl: only for a refusal

    return errors_workbook(row.content, problems)
