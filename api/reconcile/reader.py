"""Reading the ministry's own record (``reconciliation-format.md``): CSV with ``;`` or ``,``
(UTF-8, with or without BOM) or the first sheet of an ``.xlsx``.

A file that cannot be read at all is refused with one problem that says why. A line that cannot
be read is reported with its line number, column and value, and the rest of the file is still
matched. Cells are read by the statement intake's rules (``api.statements.cells``): the same
header matching, Dutch or plain amounts, Dutch or ISO dates, the one text rule; an ``.xlsx`` is
checked as safe to open (``api.statements.files``) before anything parses it."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any

from python_calamine import CalamineError, CalamineWorkbook

from api.statements.cells import (
    CellError,
    amount_from_cell,
    date_from_cell,
    header_name,
    is_blank,
    plain_text_from_cell,
)
from api.statements.files import check_extent, open_workbook
from api.statements.limits import StatementLimits
from api.statements.problems import StatementRefused
from ledger.errors import LedgerError, Problem
from ledger.said import Said, said
from ledger.text import is_identifier
from reports.matching import FileLine

COLUMNS = ("beschikkingsnummer", "soort", "datum", "bedrag", "kenmerk", "omschrijving")
REQUIRED = COLUMNS[:4]
KINDS = ("verplichting", "betaling", "terugontvangst")
HEADER_SEARCH_ROWS = 20
MAX_LINES = 200_000
#: The problems an answer lists (it counts them all): enough to mend a file by, and a bound on
#: what the append-only reconciliation table keeps.
MAX_PROBLEMS = 1_000
TEXT_LENGTH = 500

#: What a line's problem says (``{column}`` and ``{value}`` are put in by ``LineProblem``).
LINE_PROBLEMS = {
    "missing_value": said("{column} is empty; fill it in."),
    "invalid_nummer": said(
        "{column} '{value}' is no beschikkingsnummer (letters, digits, '.', '_' or '-')."
    ),
    "invalid_kind": said("{column} '{value}' is not verplichting, betaling or terugontvangst."),
    "invalid_date": said("{column} '{value}' is no date; write dd-mm-jjjj or jjjj-mm-dd."),
    "invalid_amount": said("{column} '{value}' is no amount; write 1.234,56 or 1234.56."),
    "too_many_decimals": said("{column} '{value}' has more than two decimals."),
    "amount_out_of_range": said("{column} '{value}' is beyond any amount of the Regio Deals."),
    "amount_not_positive": said(
        "{column} '{value}' is not above zero; amounts in this file are positive (the Soort says the direction)."
    ),
    "invalid_text": said("{column} contains a control or invisible character; remove it."),
    "unbalanced_quote": said(
        'This line has a quote that does not close on the line, or a quote inside a cell: a cell may not span lines; put the cell in quotes and double every quote inside it ("").'
    ),
    "text_too_long": said("{column} is longer than 500 characters."),
}


@dataclass(frozen=True, slots=True)
class LineProblem:
    line: int
    column: str
    value: str
    code: str

    def as_dict(self) -> dict[str, Any]:
        text = LINE_PROBLEMS[self.code].with_(column=self.column.capitalize(), value=self.value)
        return {
            "line": self.line,
            "column": self.column.capitalize(),
            "value": self.value,
            "code": self.code,
            "message": text.in_("en"),
            "message_nl": text.in_("nl"),
        }


@dataclass(frozen=True)
class Record:
    """What a file said: its good lines, the first ``MAX_PROBLEMS`` problems and how many there
    were in all, and how many lines the file has (every physical line: the header, blank lines
    and the lines before the header too), so that an answer can say that none went unseen."""

    lines: list[FileLine]  # cents read as euro; ``Record.in_currency`` for another currency
    problems: list[LineProblem]
    problem_count: int = 0
    lines_read: int = 0  # the lines below the header that hold anything: matched or reported
    lines_in_file: int = 0

    def hand_over(self) -> Iterator[FileLine]:
        """The good lines, in file order, each let go by the record as it is taken (a file may
        hold 200,000: once matched and written they are freed, not kept beside the answer).
        The record has no lines afterwards."""
        self.lines.reverse()
        while self.lines:
            yield self.lines.pop()

    @staticmethod
    def in_currency(line: FileLine, nummer: str, currency: str) -> FileLine:
        """A line as its beschikking knows it: the ledger's spelling of the nummer, and the cents
        the file wrote in the beschikking's currency."""
        if nummer == line.nummer and currency == line.currency:
            return line
        return replace(line, nummer=nummer, currency=currency)

    @property
    def nummers(self) -> list[str]:
        return sorted({line.nummer for line in self.lines})


def refuse(code: str, text: Said) -> LedgerError:
    return LedgerError([Problem.of(code, text)])


#: A row as a reader gives it: its line number, and its cells or the problem that made the line
#: unreadable as a whole.
Row = tuple[int, "list[Any] | LineProblem"]


def read_record(content: bytes, limits: StatementLimits | None = None) -> Record:
    """The lines of the file, good and bad; raises LedgerError if it cannot be read at all.

    The file is read a line at a time and never held as rows: every physical line counts
    against ``MAX_LINES`` (blank ones too), and past it the file is refused at once."""
    limits = limits or StatementLimits()
    if len(content) > limits.max_file_bytes:
        raise refuse(
            "file_too_large",
            said("The file is over {value} MB.", value=limits.max_file_bytes // (1024 * 1024)),
        )
    rows = _xlsx_rows(content, limits) if content.startswith(b"PK") else _csv_rows(content)
    return _read(_counted(rows))


def _xlsx_rows(content: bytes, limits: StatementLimits) -> Iterator[Row]:
    try:
        workbook = open_workbook(content, limits)
        sheet_name = next(iter(workbook.sheets))
        check_extent(workbook, sheet_name, limits)
        sheet = CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_name(sheet_name)
        rows = sheet.iter_rows()  # from the sheet's first row, as Excel numbers them
    except (StatementRefused, CalamineError, StopIteration):
        raise refuse(
            "unreadable_file",
            said(
                "The workbook cannot be opened safely (damaged, encrypted, with macros or too large); save it again as .xlsx or as CSV."
            ),
        ) from None
    yield from enumerate(rows, start=1)


def _csv_rows(content: bytes) -> Iterator[Row]:
    """Every physical line of a CSV file as its own row: a line break ends a line even inside
    quotes (``\n``, ``\r\n`` or ``\r``), so a stray quote can never swallow the lines after
    it; a line whose quotes do not close on it, or that has a quote inside a cell, is reported."""
    text = io.TextIOWrapper(io.BytesIO(content), encoding="utf-8-sig", newline=None)
    delimiter: str | None = None
    number = 0
    while True:
        try:
            physical = text.readline()
        except UnicodeDecodeError:
            raise refuse(
                "not_utf8",
                said(
                    "Line {value} is not UTF-8 text (nor is the file an .xlsx); save it as CSV UTF-8 or as .xlsx.",
                    value=number + 1,
                ),
            ) from None
        if not physical:
            return
        number += 1
        line = physical.removesuffix("\n")
        if "\x00" in line:
            raise refuse(
                "not_csv",
                said(
                    "The file is not a CSV file or an .xlsx workbook (line {number} holds a NUL byte).",
                    number=number,
                ),
            )
        if delimiter is None and line.strip():
            delimiter = ";" if line.count(";") >= line.count(",") else ","
        if delimiter is None:
            yield number, []
            continue
        try:
            if line.count('"') % 2:  # a quote that never closes, or opens no cell
                raise csv.Error
            yield number, next(csv.reader((line,), delimiter=delimiter, strict=True), [])
        except csv.Error:
            yield number, LineProblem(number, "", line[:100], "unbalanced_quote")


def _counted(rows: Iterator[Row]) -> Iterator[Row]:
    for number, row in rows:
        if number > MAX_LINES:
            raise refuse(
                "too_many_lines",
                said(
                    "The file has more than {MAX_LINES:,} lines (blank lines count too); at most {MAX_LINES:,} are read at once: split it.",
                    MAX_LINES=MAX_LINES,
                ),
            )
        yield number, row


def _header_columns(row: list[Any] | LineProblem) -> dict[str, int] | None:
    if isinstance(row, LineProblem):
        return None
    names = [header_name(value) for value in row]
    if all(required in names for required in REQUIRED):
        return {name: names.index(name) for name in COLUMNS if name in names}
    return None


def _read(rows: Iterator[Row]) -> Record:
    columns = None
    last = 0
    for last, row in rows:
        columns = _header_columns(row)
        if columns is not None or last >= HEADER_SEARCH_ROWS:
            break
    if columns is None:
        wanted = ", ".join(c.capitalize() for c in REQUIRED)
        raise refuse(
            "header_missing",
            said(
                "No header row with the columns {wanted} in the first {HEADER_SEARCH_ROWS} rows.",
                wanted=wanted,
                HEADER_SEARCH_ROWS=HEADER_SEARCH_ROWS,
            ),
        )
    lines: list[FileLine] = []
    problems: list[LineProblem] = []
    shared: dict[object, object] = {}  # one object per nummer and per date, not one per line
    problem_count = problem_lines = 0
    for last, row in rows:
        if isinstance(row, LineProblem):
            found: FileLine | list[LineProblem] = [row]
        elif all(is_blank(v) for v in row):
            continue
        else:
            found = _line(last, row, columns, shared)
        if isinstance(found, FileLine):
            lines.append(found)
            continue
        problem_lines += 1
        problem_count += len(found)
        problems.extend(found[: MAX_PROBLEMS - len(problems)])
    return Record(lines, problems, problem_count, len(lines) + problem_lines, last)


def _line(
    number: int, row: list[Any], columns: dict[str, int], shared: dict[object, object]
) -> FileLine | list[LineProblem]:
    cell = {name: row[i] if i < len(row) else None for name, i in columns.items()}
    problems: list[LineProblem] = []

    def read(name: str, reader: Any) -> Any:
        value = cell.get(name)
        if is_blank(value):
            if name in REQUIRED:
                problems.append(LineProblem(number, name, "", "missing_value"))
            return None
        try:
            return reader(value)
        except CellError as error:
            problems.append(LineProblem(number, name, str(value)[:100], error.code))
            return None

    nummer = read("beschikkingsnummer", _nummer)
    kind = read("soort", _kind)
    on = read("datum", date_from_cell)
    cents = read("bedrag", _positive_cents)
    kenmerk = read("kenmerk", _text)
    omschrijving = read("omschrijving", _text)
    if problems:
        return problems
    nummer, on = shared.setdefault(nummer, nummer), shared.setdefault(on, on)
    return FileLine(number, nummer, kind, on, cents, "EUR", kenmerk, omschrijving)  # type: ignore[arg-type]


def _nummer(value: object) -> str:
    text = plain_text_from_cell(value).strip()
    if not is_identifier(text):
        raise CellError("invalid_nummer")
    return text


def _kind(value: object) -> str:
    text = plain_text_from_cell(value).strip().lower()
    if text not in KINDS:
        raise CellError("invalid_kind")
    return KINDS[KINDS.index(text)]  # the one string, not a copy per line


def _positive_cents(value: object) -> int:
    cents = amount_from_cell(value)
    if cents <= 0:
        raise CellError("amount_not_positive")
    return cents


def _text(value: object) -> str:
    text = plain_text_from_cell(value).strip()
    if len(text) > TEXT_LENGTH:
        raise CellError("text_too_long")
    return text
