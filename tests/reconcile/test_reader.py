"""Reading the ministry's record: CSV with ';' or ',', with or without BOM, Dutch or plain
amounts and dates, or an .xlsx; a bad line is reported with its number and column and the rest
is read; a file that cannot be read at all is refused with why, and nothing is kept."""

from __future__ import annotations

import zipfile
from datetime import date
from io import BytesIO

import pytest
from openpyxl import Workbook, load_workbook

from api.reconcile.reader import read_record
from api.reconcile.workbook import reconciliation_answer_workbook
from ledger.errors import LedgerError
from reports.matching import KINDS, OUTCOMES

HEADER = "Beschikkingsnummer;Soort;Datum;Bedrag (€);Kenmerk;Omschrijving"


@pytest.mark.parametrize(
    "content",
    [
        f"{HEADER}\nRD-1;Betaling;01-09-2024;1.234,56;K-1;eerste\n".encode(),
        f"\ufeff{HEADER}\r\nRD-1;betaling;2024-09-01;1234.56;K-1;eerste\r\n".encode(),
        b"beschikkingsnummer,soort,datum,bedrag,kenmerk,omschrijving\nRD-1,betaling,2024-09-01,1234.56,K-1,eerste\n",
    ],
    ids=["dutch-semicolons", "bom-crlf-iso", "commas"],
)
def test_the_same_line_in_every_spelling(content):
    record = read_record(content)
    assert record.problems == []
    [line] = record.lines
    assert (line.nummer, line.kind, line.on, line.cents, line.kenmerk) == (
        "RD-1",
        "betaling",
        date(2024, 9, 1),
        123456,
        "K-1",
    )


def test_bad_lines_are_named_and_the_good_ones_read():
    content = "\n".join(
        [
            HEADER,
            "RD-1;betaling;01-09-2024;100,00;;",
            "RD 1;betaling;01-09-2024;100,00;;",  # a space: no beschikkingsnummer
            "RD-1;uitgave;01-09-2024;100,00;;",
            "RD-1;betaling;31-02-2024;100,00;;",
            "RD-1;betaling;01-09-2024;-5,00;;",
            "RD-1;betaling;01-09-2024;1,005;;",
            "RD-1;betaling;;100,00;;",
            "RD-1;betaling;01-09-2024;100,00;\u202e;",
            ";;;;;",  # an empty line is no line
        ]
    ).encode()
    record = read_record(content)
    assert len(record.lines) == 1
    assert [(p.line, p.column, p.code) for p in record.problems] == [
        (3, "beschikkingsnummer", "invalid_nummer"),
        (4, "soort", "invalid_kind"),
        (5, "datum", "invalid_date"),
        (6, "bedrag", "amount_not_positive"),
        (7, "bedrag", "too_many_decimals"),
        (8, "datum", "missing_value"),
        (9, "kenmerk", "invalid_text"),
    ]
    said = record.problems[2].as_dict()
    assert (
        said["message_nl"] == "Datum '31-02-2024' is geen datum; schrijf dd-mm-jjjj of jjjj-mm-dd."
    )


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"\xff\xfe\x00garbage", "not_utf8"),
        (b"naam;bedrag\nx;1\n", "header_missing"),
        (b"PK\x03\x04 not really a zip", "unreadable_file"),
        (b"", "header_missing"),
    ],
)
def test_a_file_that_cannot_be_read_is_refused_with_why(content, code):
    with pytest.raises(LedgerError) as refused:
        read_record(content)
    assert refused.value.code == code
    assert refused.value.problems[0].message_nl


def test_a_zip_that_is_no_workbook_is_refused():
    out = BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("a.txt", "a")
    with pytest.raises(LedgerError) as refused:
        read_record(out.getvalue())
    assert refused.value.code == "unreadable_file"


def test_an_xlsx_with_excel_dates_and_numbers_and_a_title_row():
    book = Workbook()
    sheet = book.active
    sheet.append(["Export kasadministratie"])
    sheet.append(["Beschikkingsnummer", "Soort", "Datum", "Bedrag"])
    sheet.append(["RD-1", "verplichting", date(2024, 9, 1), 30000000])
    sheet.append(["RD-1", "betaling", "15-01-2025", 6000000.5])
    out = BytesIO()
    book.save(out)
    record = read_record(out.getvalue())
    assert [(line.line, line.kind, line.on, line.cents) for line in record.lines] == [
        (3, "verplichting", date(2024, 9, 1), 3_000_000_000),
        (4, "betaling", date(2025, 1, 15), 600_000_050),
    ]


def test_text_from_the_file_stays_text_in_the_workbook():
    answer = {
        "filename": "kas.csv",
        "sha256": "0" * 64,
        "made_by": "fo",
        "made_at": "2026-12-01T12:00:00+00:00",
        "as_of": None,
        "recorded_as_of": None,
        "window_days": 7,
        "counts": dict.fromkeys(OUTCOMES, 0) | {"only_in_file": 1},
        "tranches": [],
        "problems": [],
        "beschikkingen": [
            {
                "nummer": "RD-1",
                "tranche": None,
                "currency": "EUR",
                "counts": dict.fromkeys(OUTCOMES, 0) | {"only_in_file": 1},
                "file": dict.fromkeys(KINDS, "0.00") | {"betaling": "10.00"},
                "ledger": dict.fromkeys(KINDS, "0.00"),
                "pairs": [
                    {
                        "outcome": "only_in_file",
                        "kind": "betaling",
                        "file": {
                            "line": 2,
                            "date": "2024-09-01",
                            "amount": "10.00",
                            "kenmerk": '=HYPERLINK("http://x","y")',
                            "omschrijving": "@SUM(A1)",
                        },
                        "ledger": None,
                        "difference": None,
                        "days_apart": None,
                    }
                ],
            }
        ],
    }
    sheet = load_workbook(BytesIO(reconciliation_answer_workbook(answer)))["Regels"]
    row = [c for c in sheet[2]]
    assert row[6].value == '=HYPERLINK("http://x","y")' and row[6].data_type == "s"
    assert row[5].value == 10 and row[5].data_type == "n"
