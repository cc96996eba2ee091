"""How the reports' workbooks are written (XlsxWriter), so that they open with their numbers:

- every formula carries its computed value beside it (the figure the ledger computed), so that
  pandas, openpyxl's values mode and preview panes show it, and Excel or LibreOffice, which
  recalculate, show the same (``tests/reports/test_workbook_values.py`` holds both to it);
- amounts are exact numbers (``Decimal``, never a float) in a euro format; days are dates;
- the header rows stay in view (frozen), and each column is as wide as its content;
- a sheet's name reads in full: Excel's 31 characters, none of ``[]:*?/\\``;
- no text is ever turned into a formula, a number or a link.

Rows and columns are counted from 1 here, as in the workbook's own A1 notation.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from io import BytesIO
from typing import Any

import xlsxwriter
from xlsxwriter.utility import xl_rowcol_to_cell

from ledger.money import Money

EURO = '"€" #,##0.00;-"€" #,##0.00'
RATIO = "0.00"
DAY = "dd-mm-yyyy"
OPTIONS = {
    "in_memory": True,
    "strings_to_formulas": False,
    "strings_to_numbers": False,
    "strings_to_urls": False,
}
NARROWEST, WIDEST = 8, 70  # column widths, in characters


def sheet_title(text: str) -> str:
    """Excel's rules for a sheet name: at most 31 characters, none of []:*?/\\."""
    return "".join("_" if c in "[]:*?/\\" else c for c in text)[:31]


def cell(row: int, column: int) -> str:
    """A1 notation of a cell counted from 1."""
    return xl_rowcol_to_cell(row - 1, column - 1)


class Book:
    """A workbook being written; ``done()`` gives its bytes."""

    def __init__(self) -> None:
        self._out = BytesIO()
        self._book = xlsxwriter.Workbook(self._out, OPTIONS)
        add = self._book.add_format
        self.formats = {
            "euro": add({"num_format": EURO}),
            "euro_bold": add({"num_format": EURO, "bold": True}),
            "ratio": add({"num_format": RATIO}),
            "number": add({"num_format": "#,##0.00"}),
            "day": add({"num_format": DAY}),
            "bold": add({"bold": True}),
            "title": add({"bold": True, "font_size": 14}),
            "subtitle": add({"bold": True, "font_size": 12}),
            "heading": add({"bold": True, "bg_color": "#DDEBF7", "text_wrap": True}),
        }
        self._sheets: list[Sheet] = []

    def sheet(self, name: str) -> Sheet:
        made = Sheet(self._book.add_worksheet(sheet_title(name)), self.formats)
        self._sheets.append(made)
        return made

    def done(self) -> bytes:
        for sheet in self._sheets:
            sheet.fit_columns()
        self._book.close()
        return self._out.getvalue()


class Sheet:
    """One worksheet, remembering how wide each column's content is."""

    def __init__(self, worksheet: Any, formats: dict[str, Any]) -> None:
        self._sheet, self._formats = worksheet, formats
        self._widths: dict[int, int] = {}

    def _seen(self, column: int, width: int) -> None:
        self._widths[column] = max(self._widths.get(column, NARROWEST), min(width, WIDEST))

    def text(self, row: int, column: int, value: object, style: str | None = None) -> None:
        """Text (or a whole number such as a year or an entry); None leaves the cell empty."""
        if value is None:
            return
        format_ = self._formats[style] if style else None
        if isinstance(value, int) and not isinstance(value, bool):
            self._sheet.write_number(row - 1, column - 1, value, format_)
        else:
            self._sheet.write_string(row - 1, column - 1, str(value), format_)
        if style not in ("title", "subtitle"):  # a title runs over the columns beside it
            self._seen(column, len(str(value)) + 2)

    def heading(self, row: int, values: list[str], freeze: bool = True, columns: int = 0) -> None:
        """A header row; with ``freeze``, it and everything above stay in view (and the first
        ``columns`` columns beside it)."""
        for column, value in enumerate(values, start=1):
            self._sheet.write_string(row - 1, column - 1, value, self._formats["heading"])
            self._seen(column, min(len(value), 24) + 2)
        if freeze:
            self._sheet.freeze_panes(row, columns)

    def amount(self, row: int, column: int, value: Money | Decimal, bold: bool = False) -> None:
        number = value.amount if isinstance(value, Money) else value
        self._sheet.write_number(
            row - 1, column - 1, number, self._formats["euro_bold" if bold else "euro"]
        )
        self._seen(column, _euro_width(number))

    def ratio(self, row: int, column: int, value: Decimal) -> None:
        self._sheet.write_number(row - 1, column - 1, value, self._formats["ratio"])
        self._seen(column, 8)

    def money(self, row: int, column: int, value: Money) -> None:
        """An amount in any currency: euros in the euro format, others as a plain number (the
        currency in a column beside it)."""
        if value.currency == "EUR":
            self.amount(row, column, value)
        else:
            self._sheet.write_number(row - 1, column - 1, value.amount, self._formats["number"])
            self._seen(column, _euro_width(value.amount))

    def formula(
        self, row: int, column: int, formula: str, value: Decimal, style: str = "euro"
    ) -> None:
        """A formula with the value it comes to beside it (what the ledger computed)."""
        self._sheet.write_formula(row - 1, column - 1, formula, self._formats[style], value)
        self._seen(column, _euro_width(value) if style.startswith("euro") else 8)

    def day(self, row: int, column: int, value: date) -> None:
        self._sheet.write_datetime(row - 1, column - 1, value, self._formats["day"])
        self._seen(column, 12)

    def fit_columns(self) -> None:
        for column, width in self._widths.items():
            self._sheet.set_column(column - 1, column - 1, width)


def _euro_width(number: Decimal) -> int:
    """Characters an amount takes in the euro format: € sign, thousands separators, cents."""
    digits = len(str(abs(int(number))))
    return digits + (digits - 1) // 3 + 6
