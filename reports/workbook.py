"""The tranche reconciliation as a workbook to hand on: a sheet per envelope (its tranches, the
history of every budget change with its source, and control totals as formulas, so that Excel
itself shows them tie out), a sheet per tranche with its deals, and the published figures
against the ledger. Amounts are exact numbers in a euro format; labels come from the same
catalogue as the text report (``reports.render``)."""

from __future__ import annotations

from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ledger.money import Money
from ledger.regio.model import FundingSource
from reports.deal_report import DealProgress
from reports.describe import describe_change
from reports.messages import CHARTS, COMPARISON_WORDS, CONTROLS, LABELS, WORDS
from reports.messages import PAGES as PAGE_WORDS
from reports.reconciliation import SOURCES, EnvelopeFigures, Reconciliation, TrancheFigures
from reports.render import FIGURES, day

EURO = '"€" #,##0.00;-"€" #,##0.00'
BOLD = Font(bold=True)
HEADER = PatternFill("solid", fgColor="DDEBF7")
#: A tranche's controls as formulas over its own row: (control name, figure, minus these figures).
ROW_CONTROLS = (
    ("budget_available_committed", "budget", ("available_free", "available_reserved", "committed")),
    ("granted_unpaid_paid_lapsed", "granted", ("unpaid", "paid", "lapsed")),
)


def reconciliation_workbook(
    reconciliation: Reconciliation, lang: str = "nl", illustrative: bool = False
) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for envelope in reconciliation.envelopes:
        _envelope_sheet(book, reconciliation, envelope, lang, illustrative)
        for tranche in envelope.tranches:
            _deal_sheet(book, reconciliation, tranche, lang)
    _differences_sheet(book, reconciliation, lang)
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def sheet_title(text: str) -> str:
    """Excel's rules for a sheet name: at most 31 characters, none of []:*?/\\."""
    return "".join("_" if c in "[]:*?/\\" else c for c in text)[:31]


def _heading(sheet: Worksheet, row: int, values: list[str]) -> None:
    for column, value in enumerate(values, start=1):
        cell = sheet.cell(row, column, value)
        cell.font, cell.fill = BOLD, HEADER


def _amount(sheet: Worksheet, row: int, column: int, value: Money | str) -> None:
    cell = sheet.cell(row, column, value.amount if isinstance(value, Money) else value)
    cell.number_format = EURO


def _envelope_sheet(
    book: Workbook, rec: Reconciliation, e: EnvelopeFigures, lang: str, illustrative: bool
) -> None:
    label, words = LABELS[lang], WORDS[lang]
    sheet = book.create_sheet(sheet_title(f"{e.code}"))
    sheet["A1"] = f"{e.name} ({e.code})"
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A2"] = f"{words['as_of']} {day(rec.as_of, lang)}"
    if illustrative:
        sheet["A3"] = label["illustrative"]
    figures = (
        ("budget", e.amount),
        ("allocated", e.allocated),
        ("set_aside", e.set_aside_total),
        ("unallocated", e.unallocated),
    )
    for row, (name, amount) in enumerate(figures, start=5):
        sheet.cell(row, 1, label[name])
        _amount(sheet, row, 2, amount)
    sheet.cell(
        9, 1, f"{words['control']}: {CONTROLS[lang]['envelope_allocated_unallocated']}"
    ).font = BOLD
    _amount(sheet, 9, 2, "=B5-B6-B7-B8")
    first = _tranche_table(sheet, 10, e.tranches, lang)
    _history(sheet, first + 2, e.tranches, lang)
    sheet.column_dimensions["A"].width = 44
    for column in range(2, len(FIGURES) + 6):
        sheet.column_dimensions[get_column_letter(column)].width = 18


def _tranche_table(sheet: Worksheet, top: int, tranches: list[TrancheFigures], lang: str) -> int:
    """One row per tranche, a total row of SUM formulas, and each row's controls as formulas.
    Returns the last row used."""
    label, words = LABELS[lang], WORDS[lang]
    figures = [*FIGURES, "unpaid"]
    controls = [CONTROLS[lang][name] for name, _, _ in ROW_CONTROLS]
    _heading(
        sheet,
        top,
        [
            words["tranche"],
            *(label[f] for f in figures),
            *(f"{words['control']}: {c}" for c in controls),
        ],
    )
    column_of = {name: index for index, name in enumerate(figures, start=2)}
    for row, t in enumerate(tranches, start=top + 1):
        sheet.cell(row, 1, f"{t.name} ({t.code})")
        for name, column in column_of.items():
            _amount(sheet, row, column, getattr(t, name))
        for offset, (_, whole, parts) in enumerate(ROW_CONTROLS):
            cells = [f"{get_column_letter(column_of[p])}{row}" for p in parts]
            _amount(
                sheet,
                row,
                len(figures) + 2 + offset,
                f"={get_column_letter(column_of[whole])}{row}-" + "-".join(cells),
            )
    total_row = top + len(tranches) + 1
    sheet.cell(total_row, 1, words["total"]).font = BOLD
    for column in range(2, len(figures) + 2 + len(ROW_CONTROLS)):
        letter = get_column_letter(column)
        _amount(sheet, total_row, column, f"=SUM({letter}{top + 1}:{letter}{total_row - 1})")
        sheet.cell(total_row, column).font = BOLD
    return total_row


def _history(sheet: Worksheet, top: int, tranches: list[TrancheFigures], lang: str) -> None:
    label, words = LABELS[lang], WORDS[lang]
    sheet.cell(top, 1, label["history"]).font = Font(bold=True, size=12)
    _heading(
        sheet,
        top + 1,
        [
            words["date"],
            words["tranche"],
            words["kind"],
            words["from"],
            words["to"],
            words["amount"],
            words["entry"],
            words["memo"],
            words["reason"],
            words["source"],
        ],
    )
    row = top + 2
    for t in tranches:
        for c in t.history:
            for column, value in enumerate(
                (c.effective_on, t.code, c.kind, c.from_tranche, c.to_tranche), start=1
            ):
                sheet.cell(row, column, value)
            sheet.cell(row, 1).number_format = "DD-MM-YYYY"
            _amount(sheet, row, 6, c.amount)
            described = describe_change(c, lang)
            for column, value in enumerate(
                (c.entry, described, c.reason, c.source_document), start=7
            ):
                sheet.cell(row, column, value)
            row += 1


def _deal_sheet(book: Workbook, rec: Reconciliation, tranche: TrancheFigures, lang: str) -> None:
    label, words = LABELS[lang], WORDS[lang]
    sheet = book.create_sheet(sheet_title(f"{tranche.code} deals"))
    sheet["A1"] = f"{words['per_tranche']} {tranche.name} ({tranche.code})"
    sheet["A1"].font = Font(bold=True, size=14)
    columns = [
        "rijksbijdrage",
        "granted",
        "paid",
        "spent_rijk",
        "cofinancing_cash",
        "in_kind",
        "pledged",
    ]
    _heading(sheet, 3, [words["deal"], words["name"], *(label[c] for c in columns), label["ratio"]])
    deals = [d for d in rec.deals if d.deal.tranche == tranche.code]
    for row, d in enumerate(deals, start=4):
        sheet.cell(row, 1, d.deal.code)
        sheet.cell(row, 2, d.deal.name)
        amounts = (
            d.deal.rijksbijdrage,
            d.granted,
            d.paid,
            d.spent_rijk,
            d.cofinancing_cash,
            d.in_kind,
            d.pledged_regional,
        )
        for column, amount in enumerate(amounts, start=3):
            _amount(sheet, row, column, amount)
        sheet.cell(row, 10, f"=IF(C{row}=0,0,I{row}/C{row})").number_format = "0.00"
    total = 4 + len(deals)
    sheet.cell(total, 1, words["total"]).font = BOLD
    for column in range(3, 10):
        letter = get_column_letter(column)
        _amount(sheet, total, column, f"=SUM({letter}4:{letter}{total - 1})")
    sheet.column_dimensions["A"].width = 28
    sheet.column_dimensions["B"].width = 44
    for column in range(3, 11):
        sheet.column_dimensions[get_column_letter(column)].width = 18


def _differences_sheet(book: Workbook, rec: Reconciliation, lang: str) -> None:
    label, words, compared = LABELS[lang], WORDS[lang], COMPARISON_WORDS[lang]
    sheet = book.create_sheet(sheet_title(label["differences"]))
    _heading(
        sheet,
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
        sheet.cell(row, 1, d.name_in(lang))
        if d.dated:
            sheet.cell(row, 2, d.published_on).number_format = "DD-MM-YYYY"
        else:
            sheet.cell(row, 2, compared["undated"])
        _amount(sheet, row, 3, d.published)
        _amount(sheet, row, 4, d.ledger)
        _amount(sheet, row, 5, f"=C{row}-D{row}")
        status = compared[d.status] + (f" ({compared[d.reason]})" if d.reason else "")
        sheet.cell(row, 6, status)
        sheet.cell(row, 7, ", ".join(str(e) for e in d.entries))
        sheet.cell(row, 8, d.source)
        sheet.cell(row, 9, "; ".join(d.other_sources))
    sheet.column_dimensions["A"].width = 44
    sheet.column_dimensions["F"].width = 40
    sheet.column_dimensions["H"].width = 60
    sheet.column_dimensions["I"].width = 60


def deal_workbook(progress: DealProgress, lang: str = "nl") -> bytes:
    """Voortgang of one deal: its figures, then spending by year and funding source."""
    label, words, chart_words = LABELS[lang], WORDS[lang], CHARTS[lang]
    book = Workbook()
    sheet = book.active
    sheet.title = sheet_title(progress.deal.code)
    sheet["A1"] = f"{words['deal']} {progress.deal.name} ({progress.deal.code})"
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A2"] = f"{words['as_of']} {day(progress.as_of, lang)}"
    cash = progress.spent_from(FundingSource.COFINANCIERING_PUBLIEK) + progress.spent_from(
        FundingSource.COFINANCIERING_PRIVAAT
    )
    rows = [
        ("rijksbijdrage", progress.deal.rijksbijdrage),
        ("granted", progress.granted),
        ("paid", progress.paid),
        ("spent_rijk", progress.spent_rijk),
        ("cofinancing_cash", cash),
        ("in_kind", progress.spent_from(FundingSource.IN_NATURA)),
        ("pledged", progress.pledged_regional),
    ]
    for row, (name, amount) in enumerate(rows, start=4):
        sheet.cell(row, 1, label[name])
        _amount(sheet, row, 2, amount)
    sheet.cell(11, 1, PAGE_WORDS[lang]["multiplier"])
    sheet.cell(11, 2, "=IF(B7=0,0,(B8+B9)/B7)").number_format = "0.00"
    sheet.cell(12, 1, PAGE_WORDS[lang]["open_recovery"])
    _amount(sheet, 12, 2, progress.open_recovery)
    sheet.cell(13, 1, PAGE_WORDS[lang]["programme_lines"])
    sheet.cell(13, 2, ", ".join(progress.deal.programme_lines))
    _heading(
        sheet, 15, [PAGE_WORDS[lang]["year"], *(chart_words[s] for s in SOURCES), words["total"]]
    )
    for row, (year, by_source) in enumerate(sorted(progress.spent.items()), start=16):
        sheet.cell(row, 1, year)
        for column, source in enumerate(SOURCES, start=2):
            _amount(sheet, row, column, by_source[source])
        last = get_column_letter(len(SOURCES) + 1)
        _amount(sheet, row, len(SOURCES) + 2, f"=SUM(B{row}:{last}{row})")
    sheet.column_dimensions["A"].width = 40
    for column in range(2, len(SOURCES) + 3):
        sheet.column_dimensions[get_column_letter(column)].width = 20
    out = BytesIO()
    book.save(out)
    return out.getvalue()
