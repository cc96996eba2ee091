"""Hostile and broken files: each refused with a clear code, nothing booked, nothing loaded
that need not be."""

import pytest

import api.statements.reader as reader
from api.statements.limits import StatementLimits
from api.statements.problems import MESSAGES, StatementRefused
from api.statements.service import import_statement
from tests.statements.builders import (
    CSV,
    ENCRYPTED,
    GOOD_ROWS,
    OLD_XLS,
    PDF,
    macro_workbook,
    million_row_sheet,
    openpyxl_workbook,
    zip_bomb,
    zip_with,
)

CORPUS = {
    "a CSV file": (lambda: CSV, "not_xlsx"),
    "a PDF renamed to .xlsx": (lambda: PDF, "not_xlsx"),
    "an old .xls": (lambda: OLD_XLS, "xls_not_supported"),
    "a password-protected workbook": (lambda: ENCRYPTED, "encrypted_workbook"),
    "a macro workbook": (macro_workbook, "macro_workbook"),
    "a truncated workbook": (lambda: openpyxl_workbook(GOOD_ROWS)[:900], "corrupt_workbook"),
    "a zip that is not a workbook": (lambda: zip_with({"hello.txt": b"hi"}), "not_xlsx"),
    "a zip bomb": (zip_bomb, "workbook_too_large"),
    "no Bestedingen sheet": (
        lambda: openpyxl_workbook(GOOD_ROWS, sheet="Blad1", extra_sheet=True),
        "sheet_missing",
    ),
    "no header": (
        lambda: openpyxl_workbook(GOOD_ROWS, header=["Wat", "Wanneer", "Hoeveel"]),
        "header_missing",
    ),
    "an empty file": (lambda: b"", "not_xlsx"),
}


def state(ledger):
    report = ledger.verify()
    return report.entries_checked, [(b.account, b.balance) for b in ledger.trial_balance().balances]


@pytest.mark.parametrize("case", list(CORPUS))
def test_hostile_files_are_refused_and_book_nothing(regio, ledger, case):
    make, code = CORPUS[case]
    before = state(ledger)
    with pytest.raises(StatementRefused) as refused:
        import_statement(
            ledger.engine, "RD-2024-001", 2025, make(), filename="x.xlsx", uploader="GM-ZWOLLE"
        )
    problem = refused.value.problems[0]
    assert problem.code == code
    assert problem.message("nl") and problem.message("en") and code in MESSAGES["en"]
    assert state(ledger) == before
    assert ledger.verify().ok


def test_a_file_over_the_size_limit_is_refused(regio, ledger):
    with pytest.raises(StatementRefused) as refused:
        import_statement(
            ledger.engine,
            "RD-2024-001",
            2025,
            openpyxl_workbook(GOOD_ROWS),
            filename="x.xlsx",
            uploader="GM-ZWOLLE",
            limits=StatementLimits(max_file_bytes=1000),
        )
    assert refused.value.problems[0].code == "file_too_large"


def test_a_million_row_sheet_is_refused_without_loading_it(regio, ledger, monkeypatch):
    def never(*args, **kwargs):
        raise AssertionError("the sheet was loaded")

    monkeypatch.setattr(reader.CalamineWorkbook, "from_filelike", never)
    with pytest.raises(StatementRefused) as refused:
        import_statement(
            ledger.engine,
            "RD-2024-001",
            2025,
            million_row_sheet(),
            filename="x.xlsx",
            uploader="GM-ZWOLLE",
        )
    assert refused.value.problems[0].code == "too_many_cells"
