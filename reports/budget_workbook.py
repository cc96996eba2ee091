"""The budget report as a workbook: one sheet per article, a row per year with the budget and
the realisation of commitments, cash and receipts, the open commitments and what left for the
funds; a header that stays in view and columns wide enough for their amounts."""

from __future__ import annotations

from io import BytesIO

from openpyxl import Workbook

from ledger.regio.begroting import Stelsel
from reports.budget import BudgetReport
from reports.messages import BUDGET
from reports.workbook import _amount, _heading, sheet_title


def budget_workbook(report: BudgetReport, lang: str = "nl") -> bytes:
    label = BUDGET[lang]
    book = Workbook()
    book.remove(book.active)
    for a in report.articles:
        sheet = book.create_sheet(sheet_title(a.article.code))
        sheet.cell(1, 1, f"{a.article.ministry} {a.article.chapter} {a.article.name}")
        sheet.cell(2, 1, a.source)
        heading = ["Jaar" if lang == "nl" else "Year"]
        for side in Stelsel:
            heading += [f"{label[side.value]}: {label['budget']}", label["realised"]]
        heading += [label["open_commitments"], label["to_funds"]]
        _heading(sheet, 4, heading)
        for row, f in enumerate(a.years, start=5):
            sheet.cell(row, 1, f.year)
            column = 2
            for side in Stelsel:
                _amount(sheet, row, column, f.budget[side])
                _amount(sheet, row, column + 1, f.realised[side])
                column += 2
            _amount(sheet, row, column, f.open_commitments)
            _amount(sheet, row, column + 1, f.to_funds_cash)
        top = 5 + len(a.years) + 1
        _heading(sheet, top, [label["date"], label["kind"], label["name"], label["source"]])
        for row, m in enumerate(a.mutations, start=top + 1):
            sheet.cell(row, 1, m.effective_on).number_format = "yyyy-mm-dd"
            sheet.cell(row, 2, label[m.kind])
            sheet.cell(row, 3, m.name)
            sheet.cell(row, 4, m.source or "")
        sheet.freeze_panes = "B5"
        sheet.column_dimensions["A"].width = 12
        for letter in "BCDEFGHI":
            sheet.column_dimensions[letter].width = 22
    if not report.articles:
        book.create_sheet(sheet_title(label["title"]))
    out = BytesIO()
    book.save(out)
    return out.getvalue()
