"""A kept reconciliation as a workbook for the finance officer: an overview (the file, the
moment, the count per outcome, totals per tranche), totals per beschikking, every line of the
file beside its ledger entry with the outcome, and the lines that could not be read. Amounts are
exact numbers in a euro format; text from the file is always text, never a formula."""

from __future__ import annotations

from decimal import Decimal
from io import BytesIO
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.worksheet import Worksheet

from reports.matching import KINDS, OUTCOMES

AMOUNT = "#,##0.00;-#,##0.00"
BOLD = Font(bold=True)
HEADER = PatternFill("solid", fgColor="DDEBF7")
WORDS = {
    "nl": {
        "overview": "Overzicht",
        "per_beschikking": "Per beschikking",
        "lines": "Regels",
        "problems": "Onleesbare regels",
        "title": "Aansluiting van de eigen administratie op regioledger",
        "file": "Bestand",
        "made": "Gemaakt door en op",
        "as_of": "Stand per",
        "recorded": "Zoals geboekt op",
        "window": "Datumvenster (dagen)",
        "outcome": "Uitkomst",
        "count": "Aantal",
        "tranche": "Tranche",
        "currency": "Valuta",
        "beschikking": "Beschikking",
        "kind": "Soort",
        "in_file": "Bestand",
        "in_ledger": "Grootboek",
        "line": "Regel",
        "date": "Datum",
        "amount": "Bedrag",
        "kenmerk": "Kenmerk",
        "omschrijving": "Omschrijving",
        "ref": "Boeking",
        "entries": "Journaalposten",
        "difference": "Verschil (bestand - grootboek)",
        "days": "Dagen verschil",
        "column": "Kolom",
        "value": "Waarde",
        "message": "Wat te doen",
        "today": "vandaag",
        "now": "nu",
        "matched": "klopt",
        "amount_differs": "bedrag wijkt af",
        "date_differs": "datum wijkt af",
        "only_in_file": "alleen in het bestand",
        "only_in_ledger": "alleen in het grootboek",
    },
    "en": {
        "overview": "Overview",
        "per_beschikking": "Per beschikking",
        "lines": "Lines",
        "problems": "Unreadable lines",
        "title": "The ministry's record reconciled with regioledger",
        "file": "File",
        "made": "Made by and at",
        "as_of": "As of",
        "recorded": "As recorded at",
        "window": "Date window (days)",
        "outcome": "Outcome",
        "count": "Count",
        "tranche": "Tranche",
        "currency": "Currency",
        "beschikking": "Beschikking",
        "kind": "Kind",
        "in_file": "File",
        "in_ledger": "Ledger",
        "line": "Line",
        "date": "Date",
        "amount": "Amount",
        "kenmerk": "Kenmerk",
        "omschrijving": "Description",
        "ref": "Booking",
        "entries": "Journal entries",
        "difference": "Difference (file - ledger)",
        "days": "Days apart",
        "column": "Column",
        "value": "Value",
        "message": "What to do",
        "today": "today",
        "now": "now",
        "matched": "matched",
        "amount_differs": "amount differs",
        "date_differs": "date differs",
        "only_in_file": "only in the file",
        "only_in_ledger": "only in the ledger",
    },
}


def reconciliation_answer_workbook(answer: dict[str, Any], lang: str = "nl") -> bytes:
    words = WORDS[lang]
    book = Workbook()
    book.remove(book.active)
    _overview(book.create_sheet(words["overview"]), answer, words)
    _per_beschikking(book.create_sheet(words["per_beschikking"]), answer, words)
    _lines(book.create_sheet(words["lines"]), answer, words)
    _problems(book.create_sheet(words["problems"]), answer, lang, words)
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def _put(sheet: Worksheet, row: int, column: int, value: object) -> None:
    """A value in a cell: an amount as an exact number, text always as text."""
    if isinstance(value, str) and value and _is_amount(value):
        cell = sheet.cell(row, column, Decimal(value))
        cell.number_format = AMOUNT
        return
    cell = sheet.cell(row, column, value)
    if isinstance(value, str):
        cell.data_type = "s"  # text that looks like a formula stays text


def _is_amount(value: str) -> bool:
    body = value.removeprefix("-")
    whole, _, cents = body.partition(".")
    return whole.isdigit() and whole.isascii() and len(cents) == 2 and cents.isdigit()


def _text(sheet: Worksheet, row: int, column: int, value: object) -> None:
    cell = sheet.cell(row, column, value)
    if isinstance(value, str):
        cell.data_type = "s"


def _heading(sheet: Worksheet, row: int, values: list[str]) -> None:
    for column, value in enumerate(values, start=1):
        cell = sheet.cell(row, column, value)
        cell.font, cell.fill = BOLD, HEADER


def _overview(sheet: Worksheet, answer: dict[str, Any], words: dict[str, str]) -> None:
    sheet.cell(1, 1, words["title"]).font = Font(bold=True, size=14)
    facts = [
        (words["file"], f"{answer['filename']} (SHA-256 {answer['sha256']})"),
        (words["made"], f"{answer['made_by']}, {answer['made_at']}"),
        (words["as_of"], answer["as_of"] or words["today"]),
        (words["recorded"], answer["recorded_as_of"] or words["now"]),
        (words["window"], answer["window_days"]),
    ]
    for row, (label, value) in enumerate(facts, start=3):
        sheet.cell(row, 1, label).font = BOLD
        _text(sheet, row, 2, value)
    row = 3 + len(facts) + 1
    _heading(sheet, row, [words["outcome"], words["count"]])
    for offset, outcome in enumerate(OUTCOMES, start=1):
        sheet.cell(row + offset, 1, words[outcome])
        sheet.cell(row + offset, 2, answer["counts"][outcome])
    row += len(OUTCOMES) + 2
    _totals_table(sheet, row, answer["tranches"], words, key="tranche")
    sheet.column_dimensions["A"].width = 28
    sheet.column_dimensions["B"].width = 40


def _totals_header(words: dict[str, str], first: str) -> list[str]:
    return [
        words[first],
        words["currency"],
        *[f"{words['in_file']}: {k}" for k in KINDS],
        *[f"{words['in_ledger']}: {k}" for k in KINDS],
        *[words[o] for o in OUTCOMES],
    ]


def _totals_table(
    sheet: Worksheet, row: int, rows: list[dict[str, Any]], words: dict[str, str], key: str
) -> None:
    _heading(sheet, row, _totals_header(words, key))
    for offset, found in enumerate(rows, start=1):
        values = [
            found[key] or "-",
            found["currency"],
            *[found["file"][k] for k in KINDS],
            *[found["ledger"][k] for k in KINDS],
            *[found["counts"][o] for o in OUTCOMES],
        ]
        for column, value in enumerate(values, start=1):
            _put(sheet, row + offset, column, value)


def _per_beschikking(sheet: Worksheet, answer: dict[str, Any], words: dict[str, str]) -> None:
    rows = [{**b, "beschikking": b["nummer"]} for b in answer["beschikkingen"]]
    _totals_table(sheet, 1, rows, words, key="beschikking")
    sheet.column_dimensions["A"].width = 34


def _lines(sheet: Worksheet, answer: dict[str, Any], words: dict[str, str]) -> None:
    _heading(
        sheet,
        1,
        [
            words["beschikking"],
            words["kind"],
            words["outcome"],
            f"{words['in_file']}: {words['line']}",
            f"{words['in_file']}: {words['date']}",
            f"{words['in_file']}: {words['amount']}",
            f"{words['in_file']}: {words['kenmerk']}",
            f"{words['in_file']}: {words['omschrijving']}",
            f"{words['in_ledger']}: {words['ref']}",
            f"{words['in_ledger']}: {words['date']}",
            f"{words['in_ledger']}: {words['amount']}",
            f"{words['in_ledger']}: {words['kenmerk']}",
            words["entries"],
            words["difference"],
            words["days"],
        ],
    )
    row = 2
    for b in answer["beschikkingen"]:
        for pair in b["pairs"]:
            line, item = pair["file"] or {}, pair["ledger"] or {}
            values = [
                b["nummer"],
                pair["kind"],
                words[pair["outcome"]],
                line.get("line"),
                line.get("date"),
                line.get("amount"),
                line.get("kenmerk"),
                line.get("omschrijving"),
                item.get("ref"),
                item.get("date"),
                item.get("amount"),
                item.get("kenmerk"),
                ", ".join(f"#{e}" for e in item.get("entries", [])),
                pair["difference"],
                pair["days_apart"],
            ]
            for column, value in enumerate(values, start=1):
                if column in (7, 8, 12):
                    _text(sheet, row, column, value)
                else:
                    _put(sheet, row, column, value)
            row += 1
    sheet.freeze_panes = "A2"
    sheet.column_dimensions["A"].width = 34


def _problems(sheet: Worksheet, answer: dict[str, Any], lang: str, words: dict[str, str]) -> None:
    _heading(sheet, 1, [words["line"], words["column"], words["value"], words["message"]])
    message = "message_nl" if lang == "nl" else "message"
    for row, problem in enumerate(answer["problems"], start=2):
        sheet.cell(row, 1, problem["line"])
        _text(sheet, row, 2, problem["column"])
        _text(sheet, row, 3, problem["value"])
        _text(sheet, row, 4, problem[message])
    sheet.column_dimensions["D"].width = 80
