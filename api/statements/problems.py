"""Problems in a statement: where (Excel row and column), what was found, a stable code, and
a message in Dutch and English, from the labels' gettext catalogue."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ledger import words
from ledger.money import Money
from ledger.text import forbidden_character
from reports.catalogue import Catalogue

#: What each problem says, in English; the Dutch is in the gettext catalogue
#: (``reports/catalogue.py``). ``{value}``, ``{column}`` and ``{detail}`` are filled in.
MESSAGES = Catalogue(
    "statement_problems",
    {
        "not_xlsx": "This file is not an Excel workbook (.xlsx).",
        "xls_not_supported": "Old .xls files are not accepted; save as .xlsx.",
        "encrypted_workbook": "The workbook is password-protected; save it without a password.",
        "macro_workbook": "Workbooks with macros are not accepted; save as a plain .xlsx.",
        "corrupt_workbook": "The workbook is damaged and cannot be read.",
        "file_too_large": "The file is larger than {detail}.",
        "workbook_too_large": "The workbook is too large when unpacked ({detail}).",
        "too_many_cells": "The sheet is too large (rows x columns; at most cells / columns: {detail}). Keep only the spending lines on the sheet.",
        "sheet_missing": "There is no sheet 'Bestedingen'.",
        "header_missing": "No header row found in the first 20 rows; required: {detail}.",
        "unknown_column": "Unknown column '{value}' is ignored.",
        "missing_value": "{column} is required.",
        "formula_without_value": "The formula has no calculated value; open and save it in Excel or LibreOffice.",
        "invalid_date": "'{value}' is not a date (from 1900 to 2200); use dd-mm-yyyy.",
        "invalid_amount": "'{value}' is not an amount; use for example 1.234,56.",
        "too_many_decimals": "'{value}' has more than 2 decimals.",
        "amount_out_of_range": "'{value}' is not a realistic amount (at most 1,000,000,000,000.00).",
        "zero_amount": "The amount may not be zero.",
        "unknown_source": "'{value}' is not a funding source; choose Rijk, Cofinanciering publiek, Cofinanciering privaat or In natura.",
        "wrong_beschikking": "Beschikking '{value}' is not the beschikking of this statement ({detail}).",
        "date_outside_year": "The date {value} is not in {detail}.",
        "outside_spending_period": "The date {value} is outside the spending period ({detail}).",
        "partner_missing": "Co-financing and contributions in kind need a partner.",
        "unknown_partner": "Partner '{value}' is not known to the deal; use a partner's code or name.",
        "rijk_as_cofinancier": "'{value}' is part of the Rijk: co-financing may not come from the Rijk.",
        "unknown_programme_line": "'{value}' is not a programme line of this deal ({detail}).",
        "duplicate_reference": "Reference '{value}' appears more than once in this statement.",
        "negative_total": "The total for {value} in {detail} would become negative.",
        "text_too_long": "The text is longer than {detail} characters.",
        "invalid_text": "The text contains an invisible or control character; type it again or paste it as plain text.",
        "not_your_beschikking": "Beschikking {value} does not belong to your organisation.",
        "year_final": "The year {value} is final (eindverantwoording); the statement can no longer be replaced.",
        "spending_exceeds_grant": "Rijk spending would exceed the grant by {value}; {detail} is left. Lower the amounts with Financieringsbron Rijk, or ask for a wijzigingsbeschikking.",
        "beschikking_settled": "The beschikking is settled; nothing more can be booked on it.",
        "beschikking_converted": "The beschikking was converted into a SPUK; submit for the new beschikking.",
        "year_submitted": "The year {value} is in a submitted SiSa accountability and stays as it was submitted; a change goes through the finance officer's SiSa correction procedure, dated today.",
        "year_not_ended": "A statement for {value} can be handed in once the year has ended.",
        "ledger_refused": "The booking was refused: {value}",
        "empty_statement": "The statement has no spending lines.",
    },
)


#: Problems whose value and detail are amounts in euros (formatted when the message is said).
AMOUNTS = {"spending_exceeds_grant"}


@dataclass(frozen=True)
class StatementProblem:
    code: str
    row: int | None = None  # as Excel shows it
    column: str | None = None  # the column's header name
    column_letter: str | None = None
    value: str = ""
    detail: str = ""
    warning: bool = False

    def __post_init__(self) -> None:
        # The value as found goes back to the region (JSON, its own workbook): an invisible or
        # control character in it is shown by its code point, never passed on.
        if forbidden_character(self.value, free_text=True) is not None:
            shown = "".join(
                f"<U+{ord(c):04X}>" if forbidden_character(c) else c for c in self.value
            )
            object.__setattr__(self, "value", shown)

    def message(self, lang: str = "nl") -> str:
        template = MESSAGES[lang][self.code]
        value, detail = self.value, self.detail
        if self.code in AMOUNTS:  # kept as plain figures, said in the reader's language
            value, detail = (words.money(Money.of(v), lang) for v in (value, detail))
        return template.format(value=value, column=self.column or "", detail=detail)

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "row": self.row,
            "column": self.column,
            "cell": self.cell,
            "value": self.value,
            "message_nl": self.message("nl"),
            "message_en": self.message("en"),
            "warning": self.warning,
        }

    @property
    def cell(self) -> str | None:
        return f"{self.column_letter}{self.row}" if self.column_letter and self.row else None


class StatementRefused(Exception):
    """A statement that cannot be booked; ``problems`` lists every reason found."""

    def __init__(self, problems: list[StatementProblem]):
        self.problems = problems
        super().__init__(
            "; ".join(f"{p.code} {p.cell or ''}: {p.message('en')}" for p in problems[:5])
        )
