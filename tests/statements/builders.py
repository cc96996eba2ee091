"""Statement workbooks made by the tests, in the shapes regions send."""

from __future__ import annotations

import io
import zipfile
from datetime import date
from typing import Any

import openpyxl
import xlsxwriter

HEADER = [
    "Beschikkingsnummer",
    "Datum",
    "Omschrijving",
    "Financieringsbron",
    "Bedrag",
    "Partner",
    "Programmalijn",
    "Referentie",
]
GOOD_ROWS: list[list[Any]] = [
    ["RD-2024-001", date(2025, 2, 3), "Projectleider Q1", "Rijk", 125000.5, None, "A", "F-001"],
    [
        "RD-2024-001",
        "15-03-2025",
        "Bijdrage provincie",
        "Cofinanciering publiek",
        "80.000,00",
        "Provincie Overijssel",
        "B",
        "F-002",
    ],
    [
        "RD-2024-001",
        "2025-04-01",
        "Uren vrijwilligers",
        "in natura",
        "€ 12.500,00",
        "Bedrijf X",
        None,
        "F-003",
    ],
    ["RD-2024-001", "1-5-2025", "Correctie factuur F-001", "RIJK", "-500,00", None, None, "F-004"],
]
GOOD_TOTALS = {"rijk": "124500.50", "cofinanciering_publiek": "80000.00", "in_natura": "12500.00"}


def openpyxl_workbook(
    rows: list[list[Any]],
    header: list[str] = HEADER,
    *,
    title_rows: int = 0,
    sheet: str = "Bestedingen",
    extra_sheet: bool = False,
    blank_every: int = 0,
) -> bytes:
    workbook = openpyxl.Workbook()
    if extra_sheet:
        workbook.active.title = "Toelichting"
        workbook.active.append(["Dit blad wordt niet gelezen"])
        target = workbook.create_sheet(sheet)
    else:
        target = workbook.active
        target.title = sheet
    for number in range(title_rows):
        target.append([f"Titelregel {number + 1}"])
    target.append(header)
    for number, row in enumerate(rows):
        target.append(row)
        if blank_every and number % blank_every == 0:
            target.append([])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def shuffled(
    rows: list[list[Any]], order: list[int], extra: str | None = None
) -> tuple[list[str], list[list[Any]]]:
    header = [HEADER[i] for i in order] + ([extra] if extra else [])
    return header, [[row[i] for i in order] + (["x"] if extra else []) for row in rows]


def xlsxwriter_workbook(
    rows: list[list[Any]], *, formulas: bool = True, inject: str | None = None
) -> bytes:
    """Written by another writer: numbers with euro formats, real dates, the Rijk amount as a
    formula with its cached value (as Excel leaves it), and text that looks like a formula."""
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = workbook.add_worksheet("BESTEDINGEN")
    euro = workbook.add_format({"num_format": "€ #,##0.00"})
    day = workbook.add_format({"num_format": "dd-mm-yyyy"})
    sheet.write_row(0, 0, ["Bestedingsoverzicht 2025"])
    sheet.write_row(2, 0, [f"{name} *" if index < 5 else name for index, name in enumerate(HEADER)])
    for number, row in enumerate(rows, start=3):
        for column, value in enumerate(row):
            if value is None:
                continue
            if isinstance(value, date):
                sheet.write_datetime(number, column, value, day)
            elif column == 4 and formulas and isinstance(value, float | int):
                sheet.write_formula(number, column, f"={value}*1", euro, value)
            elif isinstance(value, float | int):
                sheet.write_number(number, column, value, euro)
            else:
                sheet.write_string(number, column, value)
    if inject:
        sheet.write_string(len(rows) + 3, 0, "RD-2024-001")
        sheet.write_datetime(len(rows) + 3, 1, date(2025, 6, 1), day)
        sheet.write_string(len(rows) + 3, 2, inject)
        sheet.write_string(len(rows) + 3, 3, "Rijk")
        sheet.write_number(len(rows) + 3, 4, 1.0, euro)
    workbook.close()
    return buffer.getvalue()


def zip_with(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def macro_workbook() -> bytes:
    good = zipfile.ZipFile(io.BytesIO(openpyxl_workbook(GOOD_ROWS)))
    parts = {name: good.read(name) for name in good.namelist()}
    parts["xl/vbaProject.bin"] = b"\x00" * 100
    return zip_with(parts)


def zip_bomb() -> bytes:
    good = zipfile.ZipFile(io.BytesIO(openpyxl_workbook(GOOD_ROWS)))
    parts = {name: good.read(name) for name in good.namelist()}
    parts["xl/media/padding.bin"] = b"\x00" * (50 * 1024 * 1024)  # deflates a thousandfold
    return zip_with(parts)


def million_row_sheet() -> bytes:
    """A real workbook whose sheet has a million rows: refused by its declared dimension."""
    good = zipfile.ZipFile(io.BytesIO(openpyxl_workbook(GOOD_ROWS)))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in good.namelist():
            if name != "xl/worksheets/sheet1.xml":
                archive.writestr(name, good.read(name))
        with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
            sheet.write(
                b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                b'<dimension ref="A1:H1000000"/><sheetData>'
            )
            for row in range(1, 1_000_001):
                sheet.write(
                    b'<row r="%d"><c r="E%d"><v>%d</v></c></row>' % (row, row, row * 7919 % 100003)
                )
            sheet.write(b"</sheetData></worksheet>")
    return buffer.getvalue()


OLE = bytes.fromhex("D0CF11E0A1B11AE1")
OLD_XLS = OLE + b"\x00" * 504 + b"Workbook".ljust(64, b"\x00")
ENCRYPTED = (
    OLE
    + b"\x00" * 504
    + "EncryptionInfo".encode("utf-16-le")
    + b"EncryptedPackage".ljust(64, b"\x00")
)
CSV = b"Beschikkingsnummer;Datum;Omschrijving;Financieringsbron;Bedrag\nRD-2024-001;01-03-2025;x;Rijk;10\n"
PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"
