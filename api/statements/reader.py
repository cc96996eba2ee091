"""Find the statement in a workbook and read its cells into typed columns.

Forgiving about layout (sheet name case, rows above the header, column order, extra columns,
blank rows, text or number cells) and strict about content: every cell that cannot be read
becomes a problem with its Excel row and column. python-calamine reads the cells (fast, and
with the cached value of each formula); openpyxl is used only for writing.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from datetime import date, datetime
from operator import itemgetter
from typing import Any

from python_calamine import CalamineError, CalamineWorkbook

from api.statements.cells import (
    CANONICAL_COLUMNS,
    CAREFUL,
    DISPLAY_NAMES,
    REQUIRED_COLUMNS,
    CellError,
    amount_column,
    amount_from_cell,
    date_column,
    date_from_cell,
    header_name,
    is_blank,
    plain_text_from_cell,
    quick_amount,
    quick_date,
    quick_source,
    quick_text,
    source_column,
    source_from_cell,
    text_column,
    text_from_cell,
)
from api.statements.files import (
    Workbook,
    check_extent,
    column_letter,
    formulas_without_value,
    open_workbook,
    refuse,
)
from api.statements.limits import StatementLimits
from api.statements.problems import StatementProblem, StatementRefused
from ledger.text import ascii_free_text_allowed

HEADER_SEARCH_ROWS = 20
PARSERS = {
    "datum": date_from_cell,
    "bedrag": amount_from_cell,
    "financieringsbron": source_from_cell,
}
QUICK = {"datum": quick_date, "bedrag": quick_amount, "financieringsbron": quick_source}
WHOLE = {"datum": date_column, "bedrag": amount_column, "financieringsbron": source_column}


@dataclass
class RawStatement:
    """The statement's rows as typed values by canonical column; unreadable cells are None
    and have a problem."""

    sheet: str
    header_row: int
    columns: dict[str, int]  # canonical name -> 0-based column index
    rows: list[int] = field(default_factory=list)  # Excel row numbers
    values: dict[str, list[Any]] = field(default_factory=dict)
    raw: dict[str, list[Any]] = field(default_factory=dict)  # what the cell showed, for messages
    problems: list[StatementProblem] = field(default_factory=list)
    warnings: list[StatementProblem] = field(default_factory=list)

    def letter(self, column: str) -> str:
        return column_letter(self.columns[column])


def statement_sheet(content: bytes, limits: StatementLimits | None = None) -> str | None:
    """The name of the statement sheet of a workbook that is safe to open, or None."""
    limits = limits or StatementLimits()
    try:
        workbook = open_workbook(content, limits)
        name = _statement_sheet(workbook)
        check_extent(workbook, name, limits)
    except StatementRefused:
        return None
    return name


def read_statement(
    content: bytes,
    limits: StatementLimits | None = None,
    while_parsing: AbstractContextManager[Any] | None = None,
) -> RawStatement:
    """The statement sheet of a workbook, its extent checked before it is parsed.
    ``while_parsing``: a context entered around python-calamine's parse of the sheet, which
    runs without the GIL (for work of the caller's on another thread)."""
    limits = limits or StatementLimits()
    workbook = open_workbook(content, limits)
    sheet_name = _statement_sheet(workbook)
    extent = check_extent(workbook, sheet_name, limits)  # before calamine allocates rows x columns
    try:
        with while_parsing or nullcontext():
            parsed = CalamineWorkbook.from_filelike(io.BytesIO(content))
            sheet = parsed.get_sheet_by_name(sheet_name)
        if sheet.height * max(sheet.width, 1) > limits.max_cells:
            raise refuse(
                "too_many_cells", f"{sheet.height:,} x {sheet.width} > {limits.max_cells:,}"
            )
        cells = sheet.to_python(skip_empty_area=False)
    except CalamineError:
        raise refuse("corrupt_workbook") from None
    statement = _find_header(cells, sheet_name)
    formulas = formulas_without_value(workbook, sheet_name) if extent.formulas else set()
    _read_rows(statement, cells, formulas, limits)
    return statement


def read_ahead(
    content: bytes,
    limits: StatementLimits | None = None,
    while_parsing: AbstractContextManager[Any] | None = None,
) -> RawStatement | StatementRefused:
    """``read_statement``, with a refusal handed back instead of raised: for a caller that reads
    the file before the checks that come first (``check_statement(read=...)``)."""
    try:
        return read_statement(content, limits, while_parsing)
    except StatementRefused as refused:
        return refused


def _statement_sheet(workbook: Workbook) -> str:
    names = list(workbook.sheets)
    for name in names:
        if name.strip().lower() == "bestedingen":
            return name
    if len(names) == 1:
        return names[0]
    raise refuse("sheet_missing")


def _find_header(cells: list[list[Any]], sheet: str) -> RawStatement:
    for index, row in enumerate(cells[:HEADER_SEARCH_ROWS]):
        names = [header_name(value) for value in row]
        if all(required in names for required in REQUIRED_COLUMNS):
            columns = {
                name: position for position, name in enumerate(names) if name in CANONICAL_COLUMNS
            }
            statement = RawStatement(sheet, index + 1, columns)
            for position, name in enumerate(names):
                if name and name not in CANONICAL_COLUMNS:
                    statement.warnings.append(
                        StatementProblem(
                            "unknown_column",
                            index + 1,
                            None,
                            column_letter(position),
                            str(row[position]),
                            warning=True,
                        )
                    )
            return statement
    raise refuse("header_missing", ", ".join(DISPLAY_NAMES[c] for c in REQUIRED_COLUMNS))


def _read_rows(
    statement: RawStatement,
    cells: list[list[Any]],
    formulas: set[tuple[str, int]],
    limits: StatementLimits,
) -> None:
    """Keep the rows that have content, then read them column by column (a tight loop per
    column type: this is the hot path of a 100,000-row statement)."""
    columns = statement.columns
    nummer_column = columns["beschikkingsnummer"]
    others = sorted(set(columns.values()) - {nummer_column})
    probe = columns["datum"]  # every line has a date: a row with one has content
    body = cells[statement.header_row :]
    width = min(map(len, body), default=0)
    first = statement.header_row + 1
    if probe < width and not set(map(type, map(itemgetter(probe), body))) - DATED:
        kept = body  # every row has a date (as calamine reads a date cell): all have content
        statement.rows = list(range(first, first + len(body)))
    else:
        kept = _rows_with_content(statement, body, others, probe, {r for _, r in formulas})
        width = min(map(len, kept), default=0)
    for name in CANONICAL_COLUMNS:
        position = columns.get(name)
        if position is not None and position < width:
            values = list(map(itemgetter(position), kept))
        else:
            values = [
                row[position] if position is not None and position < len(row) else None
                for row in kept
            ]
        statement.raw[name] = values
        statement.values[name] = _read_column(statement, name, values, position, formulas, limits)


#: What calamine hands back for a date cell.
DATED = {date, datetime}


def _rows_with_content(
    statement: RawStatement,
    body: list[list[Any]],
    others: list[int],
    probe: int,
    formula_rows: set[int],
) -> list[list[Any]]:
    """The rows with anything but the pre-filled beschikkingsnummer in them (or a formula)."""
    kept = []
    for offset, row in enumerate(body):
        excel_row = statement.header_row + offset + 1
        dated = row[probe] if probe < len(row) else None
        if (
            (dated is not None and (type(dated) is not str or dated.strip()))
            or excel_row in formula_rows
            or any(p < len(row) and not is_blank(row[p]) for p in others)
        ):
            statement.rows.append(excel_row)
            kept.append(row)
    return kept


def _read_column(
    statement: RawStatement,
    name: str,
    values: list[Any],
    position: int | None,
    formulas: set[tuple[str, int]],
    limits: StatementLimits,
) -> list[Any]:
    """A column's cells, typed: the whole column at once when every cell is of the usual
    kind, else each cell by the quick path where it answers and by the careful one where not."""
    if position is None:
        return [None] * len(values)  # an optional column the sheet does not have
    letter = column_letter(position)
    careful = _careful_reader(statement, name, letter, formulas, limits)
    rows, longest = statement.rows, limits.max_text_length
    quick = QUICK.get(name, quick_text)
    if any(column == letter for column, _ in formulas):
        quick = None  # a formula without a value is said at its cell
    elif (whole := WHOLE.get(name, text_column)(values, longest)) is not None:
        return whole
    elif quick is quick_text and not _ascii_cells_allowed(values):
        quick = None  # some cell breaks the text rule: say which, cell by cell
    if quick is None:
        return [careful(row, value) for row, value in zip(rows, values, strict=True)]
    return [
        found if (found := quick(value, longest)) is not CAREFUL else careful(row, value)
        for row, value in zip(rows, values, strict=True)
    ]


def _ascii_cells_allowed(values: list[Any]) -> bool:
    """Whether the column's ASCII text cells, joined, pass the text rule (then ``quick_text``
    may read each of them)."""
    return ascii_free_text_allowed("".join(v for v in values if type(v) is str and v.isascii()))


def _careful_reader(
    statement: RawStatement,
    name: str,
    letter: str | None,
    formulas: set[tuple[str, int]],
    limits: StatementLimits,
) -> Callable[[int, Any], Any]:
    """Reads one cell of the column and says every problem with it."""
    parse = PARSERS.get(name, plain_text_from_cell)
    display = DISPLAY_NAMES[name]

    def read(excel_row: int, value: Any) -> Any:
        if formulas and letter and (letter, excel_row) in formulas:
            statement.problems.append(
                StatementProblem("formula_without_value", excel_row, display, letter)
            )
            return None
        if value is None or value == "" or (isinstance(value, str) and not value.strip()):
            return None
        try:
            result = parse(value)
        except CellError as error:
            statement.problems.append(
                StatementProblem(error.code, excel_row, display, letter, text_from_cell(value))
            )
            return None
        if isinstance(result, str) and len(result) > limits.max_text_length:
            statement.problems.append(
                StatementProblem(
                    "text_too_long",
                    excel_row,
                    display,
                    letter,
                    result[:40] + "…",
                    detail=str(limits.max_text_length),
                )
            )
            return None
        return result

    return read
