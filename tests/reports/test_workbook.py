"""The reconciliation workbook on the demo ledger: every figure equals the reconciliation's,
and the control formulas, evaluated, come to zero."""

import re
from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from openpyxl import load_workbook
from openpyxl.utils import range_boundaries

from api.demo import load_demo
from ledger.db.service import LedgerService
from ledger.db.unit_of_work import UnitOfWork
from ledger.regio.db.service import RegioService
from ledger.regio.db.snapshot import load_snapshot
from reports.reconciliation import build_tranche_reconciliation
from reports.render import FIGURES
from reports.workbook import reconciliation_workbook, sheet_title

AS_OF = date(2025, 6, 30)


@pytest.fixture
def demo(ledger: LedgerService):
    load_demo(RegioService(ledger.engine))
    with UnitOfWork(ledger.engine) as uow:
        snapshot = load_snapshot(uow.connection, AS_OF)
    reconciliation = build_tranche_reconciliation(snapshot)
    book = load_workbook(
        BytesIO(reconciliation_workbook(reconciliation, "nl", snapshot.illustrative))
    )
    return reconciliation, book


def value(sheet, reference: str) -> Decimal:
    """A cell's number, or its formula evaluated: the forms the workbook writes (a - b - c and
    SUM over a range)."""
    cell = sheet[reference].value
    if not (isinstance(cell, str) and cell.startswith("=")):
        return Decimal(str(cell or 0))
    if match := re.fullmatch(r"=SUM\((\w+):(\w+)\)", cell):
        low_col, low_row, high_col, high_row = range_boundaries(f"{match[1]}:{match[2]}")
        return sum(
            (
                Decimal(str(sheet.cell(r, c).value or 0))
                if not str(sheet.cell(r, c).value).startswith("=")
                else value(sheet, sheet.cell(r, c).coordinate)
                for r in range(low_row, high_row + 1)
                for c in range(low_col, high_col + 1)
            ),
            Decimal(0),
        )
    first, *rest = cell[1:].split("-")
    return value(sheet, first) - sum((value(sheet, r) for r in rest), Decimal(0))


def test_every_envelope_has_its_sheet_and_its_controls_tie_out(demo):
    reconciliation, book = demo
    for envelope in reconciliation.envelopes:
        sheet = book[sheet_title(envelope.code)]
        assert value(sheet, "B5") == envelope.amount.amount
        assert value(sheet, "B6") == envelope.allocated.amount
        assert value(sheet, "B7") == envelope.set_aside_total.amount
        assert value(sheet, "B9") == 0  # envelope = allocated + set aside + unallocated, a formula
        header = [c.value for c in sheet[10]]
        controls = [i for i, h in enumerate(header, start=1) if h and str(h).startswith("Controle")]
        assert len(controls) == 2
        for row, tranche in enumerate(envelope.tranches, start=11):
            assert sheet.cell(row, 1).value == f"{tranche.name} ({tranche.code})"
            assert value(sheet, f"B{row}") == tranche.budget.amount
            for column in controls:
                assert value(sheet, sheet.cell(row, column).coordinate) == 0
        total_row = 11 + len(envelope.tranches)
        for index, name in enumerate(FIGURES, start=2):
            expected = sum((getattr(t, name).amount for t in envelope.tranches), Decimal(0))
            assert value(sheet, sheet.cell(total_row, index).coordinate) == expected


def test_the_history_lists_every_budget_change_with_its_source(demo):
    reconciliation, book = demo
    for envelope in reconciliation.envelopes:
        sheet = book[sheet_title(envelope.code)]
        rows = [
            r
            for r in sheet.iter_rows(values_only=True)
            if r[1] in {t.code for t in envelope.tranches} and r[6]
        ]
        expected = [
            (c.entry, c.amount.amount, c.source_document)
            for t in envelope.tranches
            for c in t.history
        ]
        assert sorted((r[6], Decimal(str(r[5])), r[9]) for r in rows) == sorted(expected)
        assert all(source for _, _, source in expected)  # every change says where it comes from


def test_a_sheet_per_tranche_lists_its_deals_and_their_totals(demo):
    reconciliation, book = demo
    for envelope in reconciliation.envelopes:
        for tranche in envelope.tranches:
            sheet = book[sheet_title(f"{tranche.code} deals")]
            deals = [d for d in reconciliation.deals if d.deal.tranche == tranche.code]
            assert [sheet.cell(4 + i, 1).value for i in range(len(deals))] == [
                d.deal.code for d in deals
            ]
            total = 4 + len(deals)
            assert value(sheet, f"C{total}") == tranche.committed.amount
            assert value(sheet, f"D{total}") == tranche.granted.amount


def test_amounts_carry_a_euro_format(demo):
    _, book = demo
    sheet = book[book.sheetnames[0]]
    assert "€" in sheet["B5"].number_format and "#,##0.00" in sheet["B5"].number_format


def test_published_figures_and_their_differences(demo):
    reconciliation, book = demo
    sheet = book[book.sheetnames[-1]]
    for row, difference in enumerate(reconciliation.differences, start=2):
        assert sheet.cell(row, 1).value == difference.name_in("nl")
        assert value(sheet, f"E{row}") == difference.difference.amount
