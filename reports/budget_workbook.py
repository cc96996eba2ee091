"""The budget report as a workbook: one sheet per article, a row per year with the budget and
the realisation of commitments, cash and receipts, the open commitments and what left for the
funds; a header that stays in view and columns wide enough for their amounts."""

from __future__ import annotations

from ledger.regio.begroting import Stelsel
from reports.budget import BudgetReport
from reports.messages import BUDGET
from reports.xlsx import Book


def budget_workbook(report: BudgetReport, lang: str = "nl") -> bytes:
    label = BUDGET[lang]
    book = Book()
    for a in report.articles:
        sheet = book.sheet(a.article.code)
        sheet.text(1, 1, f"{a.article.ministry} {a.article.chapter} {a.article.name}", "title")
        sheet.text(2, 1, a.source)
        heading = ["Jaar" if lang == "nl" else "Year"]
        for side in Stelsel:
            heading += [f"{label[side.value]}: {label['budget']}", label["realised"]]
        heading += [label["open_commitments"], label["to_funds"]]
        sheet.heading(4, heading, columns=1)  # the header and the year stay in view
        for row, f in enumerate(a.years, start=5):
            sheet.text(row, 1, f.year)
            column = 2
            for side in Stelsel:
                sheet.amount(row, column, f.budget[side])
                sheet.amount(row, column + 1, f.realised[side])
                column += 2
            sheet.amount(row, column, f.open_commitments)
            sheet.amount(row, column + 1, f.to_funds_cash)
        top = 5 + len(a.years) + 1
        names = ("date", "kind", "name", "source")
        sheet.heading(top, [label[n] for n in names], freeze=False)
        for row, m in enumerate(a.mutations, start=top + 1):
            sheet.day(row, 1, m.effective_on)
            sheet.text(row, 2, label[m.kind])
            sheet.text(row, 3, m.name)
            sheet.text(row, 4, m.source or "")
    if not report.articles:
        book.sheet(label["title"])
    return book.done()
