"""Workbooks for regions (openpyxl): the statement template, and their own workbook handed back
with the bad cells marked, commented and listed on a sheet ``Fouten``."""

from __future__ import annotations

import io
from collections import defaultdict

from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from api.statements.problems import StatementProblem
from api.statements.reader import statement_sheet

RED = PatternFill(start_color="FFFFC7CE", end_color="FFFFC7CE", fill_type="solid")
HEADERS = (
    "Beschikkingsnummer",
    "Datum",
    "Omschrijving",
    "Financieringsbron",
    "Bedrag (€)",
    "Partner",
    "Programmalijn",
    "Project",
    "Referentie",
    "Toelichting",
)
WIDTHS = (22, 13, 40, 24, 16, 28, 22, 22, 18, 40)
SOURCES = "Rijk,Cofinanciering publiek,Cofinanciering privaat,In natura"
EURO_FORMAT = '"€" #,##0.00;[Red]-"€" #,##0.00'
PREFILLED_ROWS = 1000
INSTRUCTIONS = [
    "Bestedingsoverzicht Regio Deal",
    "",
    "Vul per besteding één regel in op het blad Bestedingen. Regels zonder gegevens worden overgeslagen.",
    "Beschikkingsnummer: staat al ingevuld; laat het staan.",
    "Datum: de datum van de besteding, binnen het verantwoordingsjaar en de bestedingsperiode (dd-mm-jjjj).",
    "Omschrijving: wat er is betaald (verplicht).",
    "Financieringsbron: Rijk, Cofinanciering publiek, Cofinanciering privaat of In natura (kies uit de lijst).",
    "Bedrag: in euro, hoogstens 2 decimalen, niet nul. Een negatief bedrag is een correctie.",
    "Partner: verplicht bij cofinanciering en in natura: de organisatie die bijdraagt. Nooit het Rijk.",
    "Programmalijn: een programmalijn van de deal (kies uit de lijst). Project, Referentie en Toelichting zijn vrij.",
    "Referentie: een factuur- of boekingsnummer; elke referentie mag maar één keer voorkomen.",
    "Bijdragen in natura worden gewaardeerd in euro, maar zijn geen geld.",
    "Na het uploaden krijgt u alle fouten tegelijk terug, in uw eigen werkmap (blad Fouten).",
]


def statement_template(nummer: str, year: int, programme_lines: list[str]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Bestedingen"
    sheet.append([f"Bestedingsoverzicht {year}"])
    sheet.append([f"Beschikking {nummer}"])
    sheet.append([])
    sheet.append(list(HEADERS))
    for cell in sheet[4]:
        cell.font = Font(bold=True)
    sheet["A1"].font = Font(bold=True, size=14)
    for index, width in enumerate(WIDTHS):
        sheet.column_dimensions[chr(65 + index)].width = width
    for row in range(5, 5 + PREFILLED_ROWS):
        sheet.cell(row=row, column=1, value=nummer)
        sheet.cell(row=row, column=2).number_format = "DD-MM-YYYY"
        sheet.cell(row=row, column=5).number_format = EURO_FORMAT
    last = 4 + PREFILLED_ROWS
    _validations(workbook, sheet, last, programme_lines)
    sheet.freeze_panes = "A5"
    instructions = workbook.create_sheet("Instructies")
    for line in INSTRUCTIONS:
        instructions.append([line])
    instructions.column_dimensions["A"].width = 110
    instructions["A1"].font = Font(bold=True, size=14)
    return _saved(workbook)


def _validations(workbook: Workbook, sheet, last: int, programme_lines: list[str]) -> None:  # noqa: ANN001
    sources = DataValidation(
        type="list",
        formula1=f'"{SOURCES}"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Financieringsbron",
        error="Kies een financieringsbron uit de lijst.",
    )
    sources.add(f"D5:D{last}")
    sheet.add_data_validation(sources)
    dates = DataValidation(
        type="date",
        operator="greaterThan",
        formula1="DATE(2000,1,1)",
        allow_blank=True,
        showErrorMessage=True,
        error="Vul een datum in (dd-mm-jjjj).",
    )
    dates.add(f"B5:B{last}")
    sheet.add_data_validation(dates)
    if programme_lines:
        lists = workbook.create_sheet("Lijsten")
        for index, line in enumerate(programme_lines, start=1):
            lists.cell(row=index, column=1, value=line)
        lists.sheet_state = "hidden"
        lines = DataValidation(
            type="list", formula1=f"=Lijsten!$A$1:$A${len(programme_lines)}", allow_blank=True
        )
        lines.add(f"G5:G{last}")
        sheet.add_data_validation(lines)


def _saved(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def errors_workbook(content: bytes | None, problems: list[StatementProblem]) -> bytes:
    """The region's own workbook with every bad cell filled red and commented, and a sheet
    ``Fouten`` listing every problem. Formulas come back as their values, never as formulas:
    the workbook goes back to a person who will open it. A file that is not safe to open (not a
    workbook, a bomb, too many cells) gets a workbook with only the ``Fouten`` sheet."""
    sheet_name = statement_sheet(content) if content else None
    workbook = None
    if sheet_name is not None:
        try:
            workbook = load_workbook(io.BytesIO(content), data_only=True)
        except Exception:  # noqa: BLE001 - an unreadable upload still gets its list of problems
            workbook = None
    if workbook is None:
        workbook = Workbook()
        workbook.remove(workbook.active)
    if sheet_name and sheet_name in workbook.sheetnames:
        _mark_cells(workbook[sheet_name], problems)
    if "Fouten" in workbook.sheetnames:
        del workbook["Fouten"]
    errors = workbook.create_sheet("Fouten", 0)
    errors.append(["Rij", "Kolom", "Cel", "Gevonden waarde", "Code", "Melding", "Message"])
    for cell in errors[1]:
        cell.font = Font(bold=True)
    for problem in problems:
        errors.append(
            [
                problem.row,
                problem.column,
                problem.cell,
                problem.value,
                problem.code,
                problem.message("nl"),
                problem.message("en"),
            ]
        )
        for cell in errors[errors.max_row]:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # text that looks like a formula stays text
    for letter, width in zip("ABCDEFG", (6, 20, 8, 24, 24, 70, 70), strict=True):
        errors.column_dimensions[letter].width = width
    errors.freeze_panes = "A2"
    workbook.active = 0
    return _saved(workbook)


def _mark_cells(sheet, problems: list[StatementProblem]) -> None:  # noqa: ANN001
    by_cell: dict[str, list[StatementProblem]] = defaultdict(list)
    for problem in problems:
        if problem.cell:
            by_cell[problem.cell].append(problem)
    for cell_name, found in by_cell.items():
        cell = sheet[cell_name]
        cell.fill = RED
        text = "\n".join(f"{p.code}: {p.message('nl')} / {p.message('en')}" for p in found)
        cell.comment = Comment(text[:30000], "regioledger", width=400, height=140)
