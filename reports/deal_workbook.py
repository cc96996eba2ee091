"""A deal's voortgang as a workbook, with every table its page has (``reports.deal_report``):
its figures, then a sheet each for spending by year and source, by programme line, by project,
the partners' pledges against what they realised, and the beschikkingen. Money and in-kind value
are never added up together: a year's total is its money, in kind stands beside it. Written as
``reports.xlsx`` writes every workbook (formulas with their values, frozen headers)."""

from __future__ import annotations

from decimal import Decimal

from ledger.money import Money
from ledger.regio.model import FundingSource
from reports.deal_report import DealProgress
from reports.messages import CHARTS, LABELS, WORDS
from reports.messages import PAGES as PAGE_WORDS
from reports.reconciliation import SOURCES
from reports.render import day
from reports.xlsx import Book, Sheet, cell

MONEY = (
    FundingSource.RIJK,
    FundingSource.COFINANCIERING_PUBLIEK,
    FundingSource.COFINANCIERING_PRIVAAT,
)
ZERO = Decimal(0)
NONE = Money.zero("EUR")


def deal_workbook(progress: DealProgress, lang: str = "nl") -> bytes:
    book = Book()
    _figures(book.sheet(progress.deal.code), progress, lang)
    _by_year(book, progress, lang)
    _by_programme_line(book, progress, lang)
    _by_project(book, progress, lang)
    _partners(book, progress, lang)
    _beschikkingen(book, progress, lang)
    return book.done()


def _figures(sheet: Sheet, p: DealProgress, lang: str) -> None:
    label, words, page = LABELS[lang], WORDS[lang], PAGE_WORDS[lang]
    sheet.text(1, 1, f"{words['deal']} {p.deal.name} ({p.deal.code})", "title")
    sheet.text(2, 1, f"{words['as_of']} {day(p.as_of, lang)} · {words['tranche']} {p.deal.tranche}")
    sheet.heading(3, [words["name"], words["amount"]])
    cash = p.spent_from(FundingSource.COFINANCIERING_PUBLIEK) + p.spent_from(
        FundingSource.COFINANCIERING_PRIVAAT
    )
    amounts = [
        (label["rijksbijdrage"], p.deal.rijksbijdrage),
        (label["granted"], p.granted),
        (label["paid"], p.paid),
        (label["spent_rijk"], p.spent_rijk),  # row 7
        (label["cofinancing_cash"], cash),  # row 8
        (label["in_kind"], p.spent_from(FundingSource.IN_NATURA)),  # row 9
        (label["pledged"], p.pledged_regional),
        (page["after_end"], p.after_end),
        (page["open_recovery"], p.open_recovery),
    ]
    for row, (name, amount) in enumerate(amounts, start=4):
        sheet.text(row, 1, name)
        sheet.amount(row, 2, amount)
    row = 4 + len(amounts)
    sheet.text(row, 1, page["multiplier"])
    multiplier = p.multiplier
    sheet.formula(row, 2, '=IF(B7=0,"",(B8+B9)/B7)', multiplier or "", "ratio")  # type: ignore[arg-type]
    for offset, (name, ratio) in enumerate(
        (
            (page["cofinancing_ratio"], p.cofinancing_ratio),
            (page["multiplier_total"], p.multiplier_total),
            (page["multiplier_private"], p.multiplier_private),
        ),
        start=1,
    ):
        sheet.text(row + offset, 1, name)
        if ratio is not None:
            sheet.ratio(row + offset, 2, ratio)
    sheet.text(row + 4, 1, page["programme_lines"])
    sheet.text(row + 4, 2, ", ".join(p.deal.programme_lines))
    sheet.text(row + 5, 1, page["citation"])
    sheet.text(row + 5, 2, p.citation)


def _sources_heading(lang: str) -> list[str]:
    return [CHARTS[lang][s] for s in SOURCES]


def _by_year(book: Book, p: DealProgress, lang: str) -> None:
    """Money per year and source, its total, and in kind beside it (never in the total)."""
    page, chart = PAGE_WORDS[lang], CHARTS[lang]
    sheet = book.sheet(page["sheet_by_year"])
    heading = [page["year"], *(chart[s] for s in MONEY), page["money_total"]]
    sheet.heading(1, [*heading, chart[FundingSource.IN_NATURA]])
    for row, (year, by_source) in enumerate(sorted(p.spent.items()), start=2):
        sheet.text(row, 1, year)
        money = [by_source.get(s, NONE) for s in MONEY]
        for column, amount in enumerate(money, start=2):
            sheet.amount(row, column, amount)
        span = f"{cell(row, 2)}:{cell(row, 1 + len(MONEY))}"
        total = sum((m.amount for m in money), ZERO)
        sheet.formula(row, 2 + len(MONEY), f"=SUM({span})", total)
        in_kind = by_source.get(FundingSource.IN_NATURA, NONE)
        sheet.amount(row, 3 + len(MONEY), in_kind)


def _by_programme_line(book: Book, p: DealProgress, lang: str) -> None:
    page = PAGE_WORDS[lang]
    sheet = book.sheet(page["sheet_by_line"])
    sheet.heading(1, [page["year"], page["programme_line"], *_sources_heading(lang)])
    for row, ((year, line), by_source) in enumerate(p.by_programme_line.items(), start=2):
        sheet.text(row, 1, year)
        sheet.text(row, 2, line)
        for column, source in enumerate(SOURCES, start=3):
            sheet.amount(row, column, by_source.get(source, NONE))


def _by_project(book: Book, p: DealProgress, lang: str) -> None:
    page = PAGE_WORDS[lang]
    sheet = book.sheet(page["sheet_by_project"])
    sheet.heading(1, [page["project"], *_sources_heading(lang)])
    for row, (project, by_source) in enumerate(p.by_project.items(), start=2):
        sheet.text(row, 1, project)
        for column, source in enumerate(SOURCES, start=2):
            sheet.amount(row, column, by_source.get(source, NONE))


def _partners(book: Book, p: DealProgress, lang: str) -> None:
    page, label = PAGE_WORDS[lang], LABELS[lang]
    sheet = book.sheet(page["sheet_partners"])
    sheet.heading(1, [page["partner"], label["pledged"], page["realised"], label["ratio"]])
    for row, partner in enumerate(p.partners, start=2):
        sheet.text(row, 1, partner.name)
        sheet.amount(row, 2, partner.pledged)
        sheet.amount(row, 3, partner.realised)
        if partner.ratio is not None:
            sheet.formula(row, 4, f"=IF(B{row}=0,0,C{row}/B{row})", partner.ratio, "ratio")


def _beschikkingen(book: Book, p: DealProgress, lang: str) -> None:
    page, words = PAGE_WORDS[lang], WORDS[lang]
    sheet = book.sheet(page["beschikkingen"])
    names = ("beschikking", "instrument", "recipient")
    sheet.heading(1, [*(page[n] for n in names), words["amount"], words["currency"]])
    for row, b in enumerate(p.beschikkingen, start=2):
        sheet.text(row, 1, b.nummer)
        sheet.text(row, 2, b.instrument.value)
        sheet.text(row, 3, p.partner_names.get(b.recipient, b.recipient))
        sheet.money(row, 4, b.amount)
        sheet.text(row, 5, b.amount.currency)
