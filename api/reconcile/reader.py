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
from dataclasses import dataclass
from datetime import date
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
from ledger.text import is_identifier

COLUMNS = ("beschikkingsnummer", "soort", "datum", "bedrag", "kenmerk", "omschrijving")
REQUIRED = COLUMNS[:4]
KINDS = ("verplichting", "betaling", "terugontvangst")
HEADER_SEARCH_ROWS = 20
MAX_LINES = 200_000
TEXT_LENGTH = 500

#: What a line's problem says, in English and Dutch.
LINE_PROBLEMS = {
    "missing_value": ("{column} is empty; fill it in.", "{column} is leeg; vul het in."),
    "invalid_nummer": (
        "{column} '{value}' is no beschikkingsnummer (letters, digits, '.', '_' or '-').",
        "{column} '{value}' is geen beschikkingsnummer (letters, cijfers, '.', '_' of '-').",
    ),
    "invalid_kind": (
        "{column} '{value}' is not verplichting, betaling or terugontvangst.",
        "{column} '{value}' is geen verplichting, betaling of terugontvangst.",
    ),
    "invalid_date": (
        "{column} '{value}' is no date; write dd-mm-jjjj or jjjj-mm-dd.",
        "{column} '{value}' is geen datum; schrijf dd-mm-jjjj of jjjj-mm-dd.",
    ),
    "invalid_amount": (
        "{column} '{value}' is no amount; write 1.234,56 or 1234.56.",
        "{column} '{value}' is geen bedrag; schrijf 1.234,56 of 1234.56.",
    ),
    "too_many_decimals": (
        "{column} '{value}' has more than two decimals.",
        "{column} '{value}' heeft meer dan twee decimalen.",
    ),
    "amount_out_of_range": (
        "{column} '{value}' is beyond any amount of the Regio Deals.",
        "{column} '{value}' is groter dan enig bedrag van de Regio Deals.",
    ),
    "amount_not_positive": (
        "{column} '{value}' is not above zero; amounts in this file are positive (the Soort says the direction).",
        "{column} '{value}' is niet groter dan nul; bedragen in dit bestand zijn positief (de Soort zegt de richting).",
    ),
    "invalid_text": (
        "{column} contains a control or invisible character; remove it.",
        "{column} bevat een stuurteken of onzichtbaar teken; haal het weg.",
    ),
    "text_too_long": (
        "{column} is longer than 500 characters.",
        "{column} is langer dan 500 tekens.",
    ),
}


@dataclass(frozen=True)
class LineProblem:
    line: int
    column: str
    value: str
    code: str

    def as_dict(self) -> dict[str, Any]:
        en, nl = LINE_PROBLEMS[self.code]
        values = {"column": self.column.capitalize(), "value": self.value}
        return {
            "line": self.line,
            "column": self.column.capitalize(),
            "value": self.value,
            "code": self.code,
            "message": en.format(**values),
            "message_nl": nl.format(**values),
        }


@dataclass(frozen=True)
class RecordLine:
    """A good line: its amount in cents of the beschikking's currency (known only later)."""

    line: int
    nummer: str
    kind: str
    on: date
    cents: int
    kenmerk: str | None
    omschrijving: str | None


@dataclass(frozen=True)
class Record:
    lines: list[RecordLine]
    problems: list[LineProblem]

    @property
    def nummers(self) -> list[str]:
        return sorted({line.nummer for line in self.lines})


def refuse(code: str, message: str, message_nl: str) -> LedgerError:
    return LedgerError([Problem(code, message, message_nl)])


def read_record(content: bytes, limits: StatementLimits | None = None) -> Record:
    """The lines of the file, good and bad; raises LedgerError if it cannot be read at all."""
    limits = limits or StatementLimits()
    if len(content) > limits.max_file_bytes:
        raise refuse(
            "file_too_large",
            f"The file is over {limits.max_file_bytes // (1024 * 1024)} MB.",
            f"Het bestand is groter dan {limits.max_file_bytes // (1024 * 1024)} MB.",
        )
    rows = _xlsx_rows(content, limits) if content.startswith(b"PK") else _csv_rows(content)
    return _read(rows)


def _xlsx_rows(content: bytes, limits: StatementLimits) -> list[tuple[int, list[Any]]]:
    try:
        workbook = open_workbook(content, limits)
        sheet_name = next(iter(workbook.sheets))
        check_extent(workbook, sheet_name, limits)
        sheet = CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_name(sheet_name)
        cells = sheet.to_python(skip_empty_area=False)
    except (StatementRefused, CalamineError, StopIteration):
        raise refuse(
            "unreadable_file",
            "The workbook cannot be opened safely (damaged, encrypted, with macros or too large); save it again as .xlsx or as CSV.",
            "De werkmap kan niet veilig worden geopend (beschadigd, versleuteld, met macro's of te groot); sla hem opnieuw op als .xlsx of als CSV.",
        ) from None
    return [(number, list(row)) for number, row in enumerate(cells, start=1)]


def _csv_rows(content: bytes) -> list[tuple[int, list[Any]]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise refuse(
            "not_utf8",
            "The file is neither an .xlsx nor UTF-8 text; save it as CSV UTF-8 or as .xlsx.",
            "Het bestand is geen .xlsx en geen UTF-8-tekst; sla het op als CSV UTF-8 of als .xlsx.",
        ) from None
    if "\x00" in text:
        raise refuse(
            "not_csv",
            "The file is not a CSV file or an .xlsx workbook.",
            "Het bestand is geen CSV-bestand en geen .xlsx-werkmap.",
        )
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = ";" if first.count(";") >= first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        return [(reader.line_num, row) for row in reader]
    except csv.Error:
        raise refuse(
            "not_csv",
            f"The CSV file cannot be read near line {reader.line_num}.",
            f"Het CSV-bestand kan niet worden gelezen rond regel {reader.line_num}.",
        ) from None


def _header(rows: list[tuple[int, list[Any]]]) -> tuple[int, dict[str, int]]:
    for index, (_, row) in enumerate(rows[:HEADER_SEARCH_ROWS]):
        names = [header_name(value) for value in row]
        if all(required in names for required in REQUIRED):
            return index, {name: names.index(name) for name in COLUMNS if name in names}
    wanted = ", ".join(c.capitalize() for c in REQUIRED)
    raise refuse(
        "header_missing",
        f"No header row with the columns {wanted} in the first {HEADER_SEARCH_ROWS} rows.",
        f"Geen kopregel met de kolommen {wanted} in de eerste {HEADER_SEARCH_ROWS} rijen.",
    )


def _read(rows: list[tuple[int, list[Any]]]) -> Record:
    start, columns = _header(rows)
    data = [(n, row) for n, row in rows[start + 1 :] if not all(is_blank(v) for v in row)]
    if len(data) > MAX_LINES:
        raise refuse(
            "too_many_lines",
            f"The file has {len(data):,} lines; at most {MAX_LINES:,} are read at once.",
            f"Het bestand heeft {len(data):,} regels; er worden er hoogstens {MAX_LINES:,} tegelijk gelezen.",
        )
    lines: list[RecordLine] = []
    problems: list[LineProblem] = []
    for number, row in data:
        found = _line(number, row, columns)
        if isinstance(found, RecordLine):
            lines.append(found)
        else:
            problems.extend(found)
    return Record(lines, problems)


def _line(number: int, row: list[Any], columns: dict[str, int]) -> RecordLine | list[LineProblem]:
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
    return RecordLine(number, nummer, kind, on, cents, kenmerk, omschrijving)


def _nummer(value: object) -> str:
    text = plain_text_from_cell(value).strip()
    if not is_identifier(text):
        raise CellError("invalid_nummer")
    return text


def _kind(value: object) -> str:
    text = plain_text_from_cell(value).strip().lower()
    if text not in KINDS:
        raise CellError("invalid_kind")
    return text


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
