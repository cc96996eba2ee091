"""Problems in a statement: where (Excel row and column), what was found, a stable code, and
a message in Dutch and English. Messages live in one catalogue."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ledger import words
from ledger.money import Money
from ledger.text import forbidden_character

MESSAGES: dict[str, tuple[str, str]] = {
    # code: (Dutch, English); {value}, {column}, {detail} are filled in
    "not_xlsx": (
        "Dit bestand is geen Excel-werkmap (.xlsx).",
        "This file is not an Excel workbook (.xlsx).",
    ),
    "xls_not_supported": (
        "Oude .xls-bestanden worden niet aangenomen; sla op als .xlsx.",
        "Old .xls files are not accepted; save as .xlsx.",
    ),
    "encrypted_workbook": (
        "De werkmap is met een wachtwoord beveiligd; sla hem op zonder wachtwoord.",
        "The workbook is password-protected; save it without a password.",
    ),
    "macro_workbook": (
        "Werkmappen met macro's worden niet aangenomen; sla op als gewone .xlsx.",
        "Workbooks with macros are not accepted; save as a plain .xlsx.",
    ),
    "corrupt_workbook": (
        "De werkmap is beschadigd en kan niet worden gelezen.",
        "The workbook is damaged and cannot be read.",
    ),
    "file_too_large": ("Het bestand is groter dan {detail}.", "The file is larger than {detail}."),
    "workbook_too_large": (
        "De werkmap is uitgepakt te groot ({detail}).",
        "The workbook is too large when unpacked ({detail}).",
    ),
    "too_many_cells": (
        "Het blad is te groot (rijen x kolommen; hoogstens cellen / kolommen: {detail}). Laat alleen de bestedingen op het blad staan.",
        "The sheet is too large (rows x columns; at most cells / columns: {detail}). Keep only the spending lines on the sheet.",
    ),
    "sheet_missing": ("Er is geen blad 'Bestedingen'.", "There is no sheet 'Bestedingen'."),
    "header_missing": (
        "Geen kopregel gevonden in de eerste 20 regels; verplicht: {detail}.",
        "No header row found in the first 20 rows; required: {detail}.",
    ),
    "unknown_column": (
        "Onbekende kolom '{value}' wordt genegeerd.",
        "Unknown column '{value}' is ignored.",
    ),
    "missing_value": ("{column} is verplicht.", "{column} is required."),
    "formula_without_value": (
        "De formule heeft geen berekende waarde; open en sla op in Excel of LibreOffice.",
        "The formula has no calculated value; open and save it in Excel or LibreOffice.",
    ),
    "invalid_date": (
        "'{value}' is geen datum (van 1900 tot en met 2200); gebruik dd-mm-jjjj.",
        "'{value}' is not a date (from 1900 to 2200); use dd-mm-yyyy.",
    ),
    "invalid_amount": (
        "'{value}' is geen bedrag; gebruik bijvoorbeeld 1.234,56.",
        "'{value}' is not an amount; use for example 1.234,56.",
    ),
    "too_many_decimals": (
        "'{value}' heeft meer dan 2 decimalen.",
        "'{value}' has more than 2 decimals.",
    ),
    "amount_out_of_range": (
        "'{value}' is geen realistisch bedrag (hoogstens 1.000.000.000.000,00).",
        "'{value}' is not a realistic amount (at most 1,000,000,000,000.00).",
    ),
    "zero_amount": ("Het bedrag mag niet nul zijn.", "The amount may not be zero."),
    "unknown_source": (
        "'{value}' is geen financieringsbron; kies Rijk, Cofinanciering publiek, Cofinanciering privaat of In natura.",
        "'{value}' is not a funding source; choose Rijk, Cofinanciering publiek, Cofinanciering privaat or In natura.",
    ),
    "wrong_beschikking": (
        "Beschikking '{value}' is niet de beschikking van deze opgave ({detail}).",
        "Beschikking '{value}' is not the beschikking of this statement ({detail}).",
    ),
    "date_outside_year": (
        "De datum {value} valt niet in {detail}.",
        "The date {value} is not in {detail}.",
    ),
    "outside_spending_period": (
        "De datum {value} valt buiten de bestedingsperiode ({detail}).",
        "The date {value} is outside the spending period ({detail}).",
    ),
    "partner_missing": (
        "Bij cofinanciering en bijdragen in natura is de partner verplicht.",
        "Co-financing and contributions in kind need a partner.",
    ),
    "unknown_partner": (
        "Partner '{value}' is niet bekend bij de deal; gebruik de code of naam van een partner.",
        "Partner '{value}' is not known to the deal; use a partner's code or name.",
    ),
    "rijk_as_cofinancier": (
        "'{value}' hoort bij het Rijk: cofinanciering mag niet van het Rijk komen.",
        "'{value}' is part of the Rijk: co-financing may not come from the Rijk.",
    ),
    "unknown_programme_line": (
        "'{value}' is geen programmalijn van deze deal ({detail}).",
        "'{value}' is not a programme line of this deal ({detail}).",
    ),
    "duplicate_reference": (
        "Referentie '{value}' komt vaker voor in deze opgave.",
        "Reference '{value}' appears more than once in this statement.",
    ),
    "negative_total": (
        "Het totaal voor {value} in {detail} zou negatief worden.",
        "The total for {value} in {detail} would become negative.",
    ),
    "text_too_long": (
        "De tekst is langer dan {detail} tekens.",
        "The text is longer than {detail} characters.",
    ),
    "invalid_text": (
        "De tekst bevat een onzichtbaar teken of stuurteken; typ hem opnieuw of plak hem als platte tekst.",
        "The text contains an invisible or control character; type it again or paste it as plain text.",
    ),
    "not_your_beschikking": (
        "Beschikking {value} hoort niet bij uw organisatie.",
        "Beschikking {value} does not belong to your organisation.",
    ),
    "year_final": (
        "Het jaar {value} is definitief (eindverantwoording); de opgave kan niet meer worden vervangen.",
        "The year {value} is final (eindverantwoording); the statement can no longer be replaced.",
    ),
    "spending_exceeds_grant": (
        "Besteding ten laste van het Rijk zou de beschikking met {value} overschrijden; er resteert nog {detail}. Verlaag de bedragen met Financieringsbron Rijk of vraag een wijzigingsbeschikking aan.",
        "Rijk spending would exceed the grant by {value}; {detail} is left. Lower the amounts with Financieringsbron Rijk, or ask for a wijzigingsbeschikking.",
    ),
    "beschikking_settled": (
        "De beschikking is vastgesteld; er kan niets meer op worden geboekt.",
        "The beschikking is settled; nothing more can be booked on it.",
    ),
    "beschikking_converted": (
        "De beschikking is omgezet in een SPUK; lever de opgave in voor de nieuwe beschikking.",
        "The beschikking was converted into a SPUK; submit for the new beschikking.",
    ),
    "year_submitted": (
        "Het jaar {value} zit in een ingediende SiSa-verantwoording en blijft zoals het is ingediend; een wijziging gaat via de SiSa-correctieprocedure van de financieel medewerker, gedateerd vandaag.",
        "The year {value} is in a submitted SiSa accountability and stays as it was submitted; a change goes through the finance officer's SiSa correction procedure, dated today.",
    ),
    "year_not_ended": (
        "Een opgave over {value} kan pas worden ingeleverd als het jaar voorbij is.",
        "A statement for {value} can be handed in once the year has ended.",
    ),
    "ledger_refused": ("De boeking werd geweigerd: {value}", "The booking was refused: {value}"),
    "empty_statement": (
        "De opgave bevat geen bestedingen.",
        "The statement has no spending lines.",
    ),
}


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
        nl, en = MESSAGES[self.code]
        template = nl if lang == "nl" else en
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
