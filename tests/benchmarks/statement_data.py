"""Large statement workbooks for the benchmark, written by XlsxWriter in constant memory."""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path

import xlsxwriter

SOURCES = ("Rijk", "Cofinanciering publiek", "Cofinanciering privaat", "In natura")


def write_statement(path: Path, nummer: str, year: int, rows: int, seed: int = 3) -> None:
    rng = random.Random(seed)
    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = workbook.add_worksheet("Bestedingen")
    day = workbook.add_format({"num_format": "dd-mm-yyyy"})
    euro = workbook.add_format({"num_format": "€ #,##0.00"})
    sheet.write_row(
        0,
        0,
        [
            "Beschikkingsnummer",
            "Datum",
            "Omschrijving",
            "Financieringsbron",
            "Bedrag",
            "Partner",
            "Referentie",
        ],
    )
    start = date(year, 1, 1)
    for row in range(1, rows + 1):
        source = SOURCES[row % 4]
        sheet.write_string(row, 0, nummer)
        sheet.write_datetime(row, 1, start + timedelta(days=rng.randrange(365)), day)
        sheet.write_string(row, 2, f"Factuur {row}")
        sheet.write_string(row, 3, source)
        sheet.write_number(row, 4, rng.randint(100, 500000) / 100, euro)
        sheet.write_string(row, 5, "" if source == "Rijk" else "Partner BV")
        sheet.write_string(row, 6, f"REF-{row}")
    workbook.close()
