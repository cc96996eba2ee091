"""Statements as regions send them: read forgivingly, checked strictly, booked all or nothing."""

import io
from decimal import Decimal

import openpyxl
import pytest
from sqlalchemy import text

from api.statements.problems import StatementProblem, StatementRefused
from api.statements.reader import read_ahead
from api.statements.service import import_statement
from api.statements.workbooks import errors_workbook, statement_template
from ledger.db.service import LedgerService
from ledger.regio.db.statements import StatementStore
from tests.statements.builders import (
    GOOD_ROWS,
    GOOD_TOTALS,
    openpyxl_workbook,
    shuffled,
    xlsxwriter_workbook,
)

NUMMER, YEAR = "RD-2024-001", 2025


def state(ledger: LedgerService):
    """What must not change when a statement is refused."""
    report = ledger.verify()
    assert report.ok
    return report.entries_checked, [(b.account, b.balance) for b in ledger.trial_balance().balances]


def year_made_final(ledger):
    """The beschikking's eindverantwoording for 2025, as the database keeps it."""
    with ledger.engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO beschikking_event (key, beschikking, kind, effective_on, year, actor, reason, recorded_at) "
                "VALUES ('final-2025', :n, 'final', '2026-06-01', 2025, 'GM-ZWOLLE', 'eindverantwoording', CURRENT_TIMESTAMP)"
            ),
            {"n": NUMMER},
        )


def statement_import(ledger, content, **options):
    return import_statement(
        ledger.engine,
        NUMMER,
        YEAR,
        content,
        filename="opgave.xlsx",
        uploader="GM-ZWOLLE",
        **options,
    )


def shuffled_workbook(order: list[int], extra: str) -> bytes:
    header, rows = shuffled(GOOD_ROWS, order, extra)
    return openpyxl_workbook(rows, header)


SHAPES = {
    "openpyxl plain": lambda: openpyxl_workbook(GOOD_ROWS),
    "title rows above the header": lambda: openpyxl_workbook(GOOD_ROWS, title_rows=4),
    "shuffled columns and an extra one": lambda: shuffled_workbook(
        [4, 2, 0, 7, 1, 3, 6, 5], extra="Kostenplaats"
    ),
    "blank rows in between": lambda: openpyxl_workbook(GOOD_ROWS, blank_every=1),
    "a second sheet": lambda: openpyxl_workbook(GOOD_ROWS, extra_sheet=True, sheet="bestedingen"),
    "xlsxwriter with formulas and dates": lambda: xlsxwriter_workbook(GOOD_ROWS),
}


@pytest.mark.parametrize("shape", list(SHAPES))
def test_every_shape_books_the_same_statement(regio, ledger, shape):
    result = statement_import(ledger, SHAPES[shape]())
    assert result.problems == [], [p.as_dict() for p in result.problems]
    assert {k: str(v.amount) for k, v in result.booked.totals.items()} == GOOD_TOTALS
    assert result.booked.line_count == 4
    assert ledger.balance(f"beschikking:{NUMMER}:spent:{YEAR}:rijk").balance.amount == Decimal(
        "124500.50"
    )
    assert ledger.balance(f"beschikking:{NUMMER}:spent:{YEAR}:in_natura").balance.amount == Decimal(
        "12500.00"
    )
    assert ledger.verify().ok
    if shape.startswith("shuffled"):
        assert [w.code for w in result.warnings] == ["unknown_column"]


def test_the_lines_are_kept_for_the_auditor(regio, ledger):
    result = statement_import(ledger, openpyxl_workbook(GOOD_ROWS, title_rows=2))
    with ledger.engine.connect() as connection:
        rows = connection.execute(
            text(
                "SELECT row_number, source, amount, partner, programme_line, reference FROM statement_line "
                "WHERE statement_id = (SELECT id FROM statement WHERE public_id = :id) ORDER BY row_number"
            ),
            {"id": result.statement_id},
        ).all()
        kept = connection.execute(
            text("SELECT sha256, uploaded_by, filename FROM statement WHERE public_id = :id"),
            {"id": result.statement_id},
        ).one()
    assert [tuple(r) for r in rows] == [
        (4, "rijk", 12500050, None, "A", "F-001"),
        (5, "cofinanciering_publiek", 8000000, "Provincie Overijssel", "B", "F-002"),
        (6, "in_natura", 1250000, "Bedrijf X", None, "F-003"),
        (7, "rijk", -50000, None, None, "F-004"),
    ]
    assert tuple(kept) == (result.sha256, "GM-ZWOLLE", "opgave.xlsx")


BAD_ROWS = [
    ["RD-2024-001", "31-02-2025", "Ongeldige datum", "Rijk", "10,00", None, None, "R1"],
    ["RD-2024-999", "01-03-2025", "Andere beschikking", "Rijk", "10,00", None, None, "R2"],
    ["RD-2024-001", "01-03-2024", "Vorig jaar", "Rijk", "10,00", None, None, "R3"],
    ["RD-2024-001", "01-03-2025", "", "Subsidie", "12,345", None, None, "R4"],
    ["RD-2024-001", "01-03-2025", "Geen partner", "Cofinanciering privaat", "0", None, "Z", "R5"],
    [
        "RD-2024-001",
        "01-03-2025",
        "Ministerie",
        "Cofinanciering publiek",
        "1.000",
        "Ministerie van BZK",
        None,
        "R1",
    ],
    ["RD-2024-001", None, "Geen datum", "In natura", "abc", "Bedrijf X", None, None],
]
EXPECTED = {
    ("invalid_date", "B2"),
    ("duplicate_reference", "H2"),
    ("wrong_beschikking", "A3"),
    ("date_outside_year", "B4"),
    ("outside_spending_period", "B4"),
    ("missing_value", "C5"),
    ("unknown_source", "D5"),
    ("too_many_decimals", "E5"),
    ("zero_amount", "E6"),
    ("partner_missing", "F6"),
    ("unknown_programme_line", "G6"),
    ("rijk_as_cofinancier", "F7"),
    ("duplicate_reference", "H7"),
    ("missing_value", "B8"),
    ("invalid_amount", "E8"),
}


def test_a_bad_statement_gets_every_problem_at_once_and_books_nothing(regio, ledger):
    before = state(ledger)
    result = statement_import(ledger, openpyxl_workbook(BAD_ROWS))
    assert {(p.code, p.cell) for p in result.problems} == EXPECTED
    assert all(p.message("nl") and p.message("en") for p in result.problems)
    assert (
        result.booked is None and result.statement_id is not None
    )  # the refused upload is kept, not booked
    assert state(ledger) == before


def test_the_region_gets_its_own_workbook_back_with_the_errors_marked(regio, ledger):
    content = openpyxl_workbook(BAD_ROWS)
    result = statement_import(ledger, content)
    marked = openpyxl.load_workbook(io.BytesIO(errors_workbook(content, result.problems)))
    sheet = marked["Bestedingen"]
    assert (
        sheet["E5"].fill.fgColor.rgb == "FFFFC7CE"
        and "too_many_decimals" in sheet["E5"].comment.text
    )
    assert sheet["A1"].comment is None
    listed = [row for row in marked["Fouten"].iter_rows(min_row=2, values_only=True)]
    assert {(row[4], row[2]) for row in listed} == EXPECTED
    assert marked.sheetnames[0] == "Fouten"


def test_negative_totals_per_source_are_refused(regio, ledger):
    rows = [["RD-2024-001", "01-03-2025", "Correctie", "Rijk", "-10,00", None, None, None]]
    before = state(ledger)
    result = statement_import(ledger, openpyxl_workbook(rows))
    assert [p.code for p in result.problems] == ["negative_total"]
    assert state(ledger) == before


def test_identical_reupload_books_nothing_new(regio, ledger):
    content = openpyxl_workbook(GOOD_ROWS)
    first = statement_import(ledger, content)
    entries = ledger.verify().entries_checked
    again = statement_import(ledger, content)
    assert again.booked.reused and again.statement_id == first.statement_id
    assert ledger.verify().entries_checked == entries


def test_a_different_file_replaces_the_earlier_statement_by_reversal(regio, ledger):
    statement_import(ledger, openpyxl_workbook(GOOD_ROWS))
    changed = [list(row) for row in GOOD_ROWS]
    changed[0][4] = 200000
    second = statement_import(ledger, openpyxl_workbook(changed))
    assert second.booked.replaced_statement is not None and second.booked.reversal_entry is not None
    assert ledger.balance(f"beschikking:{NUMMER}:spent:{YEAR}:rijk").balance.amount == Decimal(
        "199500.00"
    )
    assert ledger.balance(f"beschikking:{NUMMER}:spent:{YEAR}:in_natura").balance.amount == Decimal(
        "12500.00"
    )
    with ledger.engine.connect() as connection:
        kept = connection.execute(
            text("SELECT count(*) FROM statement WHERE outcome = 'booked'")
        ).scalar()
    assert kept == 2  # both statements stay in the audit trail
    assert ledger.verify().ok


def test_a_final_year_cannot_be_replaced(regio, ledger):
    statement_import(ledger, openpyxl_workbook(GOOD_ROWS))
    year_made_final(ledger)
    with pytest.raises(StatementRefused) as refused:
        statement_import(ledger, openpyxl_workbook(GOOD_ROWS[:2]))
    assert [p.code for p in refused.value.problems] == ["year_final"]


def test_another_regions_beschikking_is_refused(regio, ledger):
    with pytest.raises(StatementRefused) as refused:
        statement_import(ledger, openpyxl_workbook(GOOD_ROWS), organisation="PV-OVERIJSSEL")
    assert [p.code for p in refused.value.problems] == ["not_your_beschikking"]


def test_formula_injection_stays_text_and_is_never_run(regio, ledger):
    attack = '=HYPERLINK("http://example.invalid","klik")'
    result = statement_import(ledger, xlsxwriter_workbook(GOOD_ROWS, inject=attack))
    assert result.is_booked
    with ledger.engine.connect() as connection:
        kept = connection.execute(
            text("SELECT description FROM statement_line WHERE description LIKE '=%'")
        ).scalar()
    assert kept == attack
    listed = errors_workbook(None, [StatementProblem("invalid_amount", 4, "Bedrag", "E", attack)])
    fouten = openpyxl.load_workbook(io.BytesIO(listed))
    assert fouten.sheetnames == ["Fouten"]
    assert (fouten["Fouten"]["D2"].value, fouten["Fouten"]["D2"].data_type) == (attack, "s")


def test_the_template_reads_back_as_an_empty_statement(regio, ledger):
    context = StatementStore(ledger.engine).context(NUMMER)
    template = statement_template(NUMMER, YEAR, list(context.programme_lines_display))
    workbook = openpyxl.load_workbook(io.BytesIO(template))
    sheet = workbook["Bestedingen"]
    assert [c.value for c in sheet[4]][:5] == [
        "Beschikkingsnummer",
        "Datum",
        "Omschrijving",
        "Financieringsbron",
        "Bedrag (€)",
    ]
    assert sheet["A5"].value == NUMMER and sheet.freeze_panes == "A5"
    assert "Instructies" in workbook.sheetnames
    validations = {str(v.sqref): v.formula1 for v in sheet.data_validations.dataValidation}
    assert '"Rijk,Cofinanciering publiek,Cofinanciering privaat,In natura"' in validations.values()
    assert [p.code for p in statement_import(ledger, template).problems] == ["empty_statement"]
    sheet["B5"], sheet["C5"], sheet["D5"], sheet["E5"] = (
        "01-03-2025",
        "Eerste besteding",
        "Rijk",
        100,
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert statement_import(ledger, buffer.getvalue()).is_booked


def test_a_file_read_ahead_gets_the_answer_of_a_file_read_in_place(regio, ledger):
    """The command line reads the file before the checks that come first (``read=``); the
    answer must be the one reading in place gives: a booking, a reader's refusal, or a check
    that comes before reading (a final year) winning over a broken file."""
    broken = b"PK\x03\x04 not a workbook"
    ahead = read_ahead(broken)
    assert isinstance(ahead, StatementRefused)
    with pytest.raises(StatementRefused) as in_place:
        statement_import(ledger, broken)
    with pytest.raises(StatementRefused) as read_before:
        statement_import(ledger, broken, read=ahead)
    assert read_before.value.problems == in_place.value.problems

    good = openpyxl_workbook(GOOD_ROWS)
    booked = statement_import(ledger, good, read=read_ahead(good))
    assert booked.is_booked
    assert {k: str(v.amount) for k, v in booked.booked.totals.items()} == GOOD_TOTALS

    year_made_final(ledger)
    with pytest.raises(StatementRefused) as final:
        statement_import(ledger, broken, read=ahead)
    assert [p.code for p in final.value.problems] == ["year_final"]
