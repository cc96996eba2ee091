"""The tranche reconciliation as a workbook to hand on: a sheet per envelope (its tranches, the
history of every budget change with its source, and control totals as formulas, so that Excel
itself shows them tie out), a sheet per tranche with its deals, and the published figures
against the ledger. Written as ``reports.xlsx`` writes every workbook: each formula with the
figure it comes to, frozen headers, columns as wide as their content; labels come from the same
catalogue as the text report (``reports.render``). A deal's voortgang: ``reports.deal_workbook``."""

from __future__ import annotations

from decimal import Decimal

from ledger.money import Money
from reports.describe import describe_change
from reports.messages import COMPARISON_WORDS, CONTROLS, LABELS, WORDS
from reports.reconciliation import EnvelopeFigures, Reconciliation, TrancheFigures
from reports.render import FIGURES, day
from reports.xlsx import Book, Sheet, cell, sheet_title

__all__ = ["reconciliation_workbook", "sheet_title"]

#: A tranche's controls as formulas over its own row: (control name, figure, minus these figures).
ROW_CONTROLS = (
    ("budget_available_committed", "budget", ("available_free", "available_reserved", "committed")),
    ("granted_unpaid_paid_lapsed", "granted", ("unpaid", "paid", "lapsed")),
)
ZERO = Decimal(0)


def reconciliation_workbook(
    reconciliation: Reconciliation, lang: str = "nl", illustrative: bool = False
) -> bytes:
    book = Book()
    for envelope in reconciliation.envelopes:
        _envelope_sheet(book, reconciliation, envelope, lang, illustrative)
        for tranche in envelope.tranches:
            _deal_sheet(book, reconciliation, tranche, lang)
    _differences_sheet(book, reconciliation, lang)
    return book.done()


def _envelope_sheet(
    book: Book, rec: Reconciliation, e: EnvelopeFigures, lang: str, illustrative: bool
) -> None:
    label, words = LABELS[lang], WORDS[lang]
    sheet = book.sheet(e.code)
    sheet.text(1, 1, f"{e.name} ({e.code})", "title")
    sheet.text(2, 1, f"{words['as_of']} {day(rec.as_of, lang)}")
    if illustrative:
        sheet.text(3, 1, label["illustrative"])
    figures = (
        ("budget", e.amount),
        ("allocated", e.allocated),
        ("set_aside", e.set_aside_total),
        ("unallocated", e.unallocated),
    )
    for row, (name, amount) in enumerate(figures, start=5):
        sheet.text(row, 1, label[name])
        sheet.amount(row, 2, amount)
    control = f"{words['control']}: {CONTROLS[lang]['envelope_allocated_unallocated']}"
    sheet.text(9, 1, control, "bold")
    left = e.amount - e.allocated - e.set_aside_total - e.unallocated
    sheet.formula(9, 2, "=B5-B6-B7-B8", left.amount)
    last = _tranche_table(sheet, 10, e.tranches, lang)
    _history(sheet, last + 2, e.tranches, lang)


def _tranche_table(sheet: Sheet, top: int, tranches: list[TrancheFigures], lang: str) -> int:
    """One row per tranche, a total row of SUM formulas, and each row's controls as formulas.
    Returns the last row used."""
    label, words = LABELS[lang], WORDS[lang]
    figures = [*FIGURES, "unpaid"]
    controls = [CONTROLS[lang][name] for name, _, _ in ROW_CONTROLS]
    sheet.heading(
        top,
        [
            words["tranche"],
            *(label[f] for f in figures),
            *(f"{words['control']}: {c}" for c in controls),
        ],
    )
    column_of = {name: index for index, name in enumerate(figures, start=2)}
    totals: dict[int, Decimal] = {}
    for row, t in enumerate(tranches, start=top + 1):
        sheet.text(row, 1, f"{t.name} ({t.code})")
        for name, column in column_of.items():
            amount: Money = getattr(t, name)
            sheet.amount(row, column, amount)
            totals[column] = totals.get(column, ZERO) + amount.amount
        for offset, (_, whole, parts) in enumerate(ROW_CONTROLS):
            column = len(figures) + 2 + offset
            left = getattr(t, whole).amount - sum((getattr(t, p).amount for p in parts), ZERO)
            formula = f"={cell(row, column_of[whole])}-" + "-".join(
                cell(row, column_of[p]) for p in parts
            )
            sheet.formula(row, column, formula, left)
            totals[column] = totals.get(column, ZERO) + left
    total_row = top + len(tranches) + 1
    sheet.text(total_row, 1, words["total"], "bold")
    for column in range(2, len(figures) + 2 + len(ROW_CONTROLS)):
        span = f"{cell(top + 1, column)}:{cell(total_row - 1, column)}"
        sheet.formula(total_row, column, f"=SUM({span})", totals.get(column, ZERO), "euro_bold")
    return total_row


def _history(sheet: Sheet, top: int, tranches: list[TrancheFigures], lang: str) -> None:
    label, words = LABELS[lang], WORDS[lang]
    sheet.text(top, 1, label["history"], "subtitle")
    names = ("date", "tranche", "kind", "from", "to", "amount", "entry", "memo", "reason")
    sheet.heading(top + 1, [*(words[n] for n in names), words["source"]], freeze=False)
    row = top + 2
    for t in tranches:
        for c in t.history:
            sheet.day(row, 1, c.effective_on)
            for column, value in enumerate((t.code, c.kind, c.from_tranche, c.to_tranche), 2):
                sheet.text(row, column, value)
            sheet.amount(row, 6, c.amount)
            described = describe_change(c, lang)
            for column, value in enumerate((c.entry, described, c.reason, c.source_document), 7):
                sheet.text(row, column, value)
            row += 1


def _deal_sheet(book: Book, rec: Reconciliation, tranche: TrancheFigures, lang: str) -> None:
    label, words = LABELS[lang], WORDS[lang]
    sheet = book.sheet(f"{tranche.code} deals")
    sheet.text(1, 1, f"{words['per_tranche']} {tranche.name} ({tranche.code})", "title")
    columns = [
        "rijksbijdrage",
        "granted",
        "paid",
        "spent_rijk",
        "cofinancing_cash",
        "in_kind",
        "pledged",
    ]
    sheet.heading(3, [words["deal"], words["name"], *(label[c] for c in columns), label["ratio"]])
    deals = [d for d in rec.deals if d.deal.tranche == tranche.code]
    totals = [ZERO] * len(columns)
    for row, d in enumerate(deals, start=4):
        sheet.text(row, 1, d.deal.code)
        sheet.text(row, 2, d.deal.name)
        amounts = (
            d.deal.rijksbijdrage,
            d.granted,
            d.paid,
            d.spent_rijk,
            d.cofinancing_cash,
            d.in_kind,
            d.pledged_regional,
        )
        for index, amount in enumerate(amounts):
            sheet.amount(row, 3 + index, amount)
            totals[index] += amount.amount
        sheet.formula(row, 10, f"=IF(C{row}=0,0,I{row}/C{row})", d.pledged_ratio, "ratio")
    total = 4 + len(deals)
    sheet.text(total, 1, words["total"], "bold")
    for index, amount in enumerate(totals):
        column = 3 + index
        span = f"{cell(4, column)}:{cell(total - 1, column)}"
        sheet.formula(total, column, f"=SUM({span})", amount, "euro_bold")


def _differences_sheet(book: Book, rec: Reconciliation, lang: str) -> None:
    label, words, compared = LABELS[lang], WORDS[lang], COMPARISON_WORDS[lang]
    sheet = book.sheet(label["differences_sheet"])
    sheet.heading(
        1,
        [
            words["name"],
            words["date"],
            words["published"],
            label["ledger"],
            words["difference"],
            words["status"],
            label["entries"],
            words["source"],
            compared["also"],
        ],
    )
    for row, d in enumerate(rec.differences, start=2):
        sheet.text(row, 1, d.name_in(lang))
        if d.dated:
            sheet.day(row, 2, d.published_on)
        else:
            sheet.text(row, 2, compared["undated"])
        sheet.amount(row, 3, d.published)
        sheet.amount(row, 4, d.ledger)
        sheet.formula(row, 5, f"=C{row}-D{row}", (d.published - d.ledger).amount)
        status = compared[d.status] + (f" ({compared[d.reason]})" if d.reason else "")
        sheet.text(row, 6, status)
        sheet.text(row, 7, ", ".join(str(e) for e in d.entries))
        sheet.text(row, 8, d.source)
        sheet.text(row, 9, "; ".join(d.other_sources))
