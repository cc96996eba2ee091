"""The budget report a controller is asked for: per budget article and year, the budget against
its realisation for commitments (verplichtingen), cash (uitgaven) and receipts (ontvangsten),
the open commitments at each year's end, the money that left the article for the funds (DU),
the budgeted cash of the years after the one asked for (the kasreeks), and the mutations behind
every budget figure. Pure: built from what ``ledger.regio.db.begroting_reads`` reads."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ledger.money import Money
from ledger.regio.begroting import Article, Realised, Stelsel
from ledger.regio.db.begroting_reads import BudgetBooks, MutationRecord
from ledger.regio.kasritme import Pace
from reports.messages import BUDGET
from reports.render import day, euro

ZERO = Money.zero()


@dataclass(frozen=True)
class YearFigures:
    year: int
    budget: Mapping[Stelsel, Money]
    realised: Mapping[Stelsel, Money]
    to_funds_commitments: Money  # DU: commitments that left the article for the funds
    to_funds_cash: Money
    open_commitments: Money  # at the year's end: committed, not yet paid (no DU)
    beschikkingen: tuple[tuple[str, Realised], ...] = ()  # what each contributed, by nummer

    @property
    def drawn(self) -> bool:
        """Whether the year has a figure to draw (a budget or a realisation not zero)."""
        figures = [*self.budget.values(), *self.realised.values()]
        return any(not m.is_zero() for m in figures)


@dataclass(frozen=True)
class ArticleBudget:
    article: Article
    source: str
    years: tuple[YearFigures, ...]
    kasreeks: Mapping[int, Money]  # budgeted cash of the years after the one asked for
    mutations: tuple[MutationRecord, ...]
    expected: Mapping[int, Money] = field(default_factory=dict)  # cash the schedules expect
    behind: tuple[Pace, ...] = ()  # scheduled beschikkingen paid less than is due


@dataclass(frozen=True)
class BudgetReport:
    as_of: date
    year: int | None
    articles: tuple[ArticleBudget, ...]


def build_budget_report(
    books: BudgetBooks, *, as_of: date, year: int | None = None, article: str | None = None
) -> BudgetReport:
    shown = [a for a in books.articles if article is None or a.code == article]
    return BudgetReport(
        as_of,
        year,
        tuple(_article(a, books, year) for a in shown),
    )


def _article(article: Article, books: BudgetBooks, asked: int | None) -> ArticleBudget:
    code, cells, realised = article.code, books.cells, books.realised
    parts: dict[int, list[tuple[str, Realised]]] = {}
    for (a, year, nummer), part in sorted(books.each.items()):
        if a == code:
            parts.setdefault(year, []).append((nummer, part))
    years = sorted(
        {y for (a, y, _s) in cells if a == code} | {y for (a, y) in realised if a == code}
    )
    figures, committed, paid = [], ZERO, ZERO
    for year in years:
        done = realised.get((code, year), Realised())
        committed, paid = committed + done.commitments, paid + done.cash
        figures.append(
            YearFigures(
                year,
                {s: cells.get((code, year, s), ZERO) for s in Stelsel},
                {s: done.of(s) for s in Stelsel},
                done.to_funds_commitments,
                done.to_funds_cash,
                committed - paid,
                tuple(parts.get(year, ())),
            )
        )
    shown = [f for f in figures if asked is None or f.year == asked]
    kasreeks = {
        f.year: f.budget[Stelsel.CASH] for f in figures if asked is not None and f.year > asked
    }
    behind = tuple(m for m in books.mutations if code in (m.article, m.from_article))
    expected = {y: m for (a, y), m in sorted(books.expected.items()) if a == code}
    late = tuple(
        p
        for a, p in sorted(books.paces.values(), key=lambda ap: ap[1].nummer)
        if a == code and p.behind.is_positive()
    )
    return ArticleBudget(
        article, books.sources.get(code, ""), tuple(shown), kasreeks, behind, expected, late
    )


# --- text and JSON --------------------------------------------------------------------------


def render_budget_text(report: BudgetReport, lang: str = "nl") -> str:
    label = BUDGET[lang]
    lines = [f"{label['title']} — {label['as_of']} {day(report.as_of, lang)}"]
    for a in report.articles:
        art = a.article
        lines += [
            "",
            f"{art.code}: {art.ministry} {art.chapter} {label['article']} {art.number}"
            f"{'.' + art.sub_article if art.sub_article else ''} {art.name}",
            f"  {label['source']}: {a.source}",
        ]
        for f in a.years:
            lines.append(f"  {f.year}")
            for s in Stelsel:
                lines.append(
                    f"    {label[s.value]:<16} {label['budget']} {euro(f.budget[s], lang):>20}"
                    f"   {label['realised']} {euro(f.realised[s], lang):>20}"
                )
            lines.append(f"    {label['open_commitments']}: {euro(f.open_commitments, lang)}")
            if not (f.to_funds_commitments.is_zero() and f.to_funds_cash.is_zero()):
                lines.append(
                    f"    {label['to_funds']}: {euro(f.to_funds_commitments, lang)} / "
                    f"{euro(f.to_funds_cash, lang)}"
                )
        for year, cash in a.kasreeks.items():
            lines.append(f"  {label['kasreeks']} {year}: {euro(cash, lang)}")
        for year, cash in a.expected.items():
            lines.append(f"  {label['expected']} {year}: {euro(cash, lang)}")
        for p in a.behind:
            lines.append(
                f"  {label['behind']} {p.nummer}: {euro(p.planned, lang)} / {euro(p.paid, lang)}"
            )
        for m in a.mutations:
            lines.append(
                f"  · {day(m.effective_on, lang)} {label[m.kind]}: {m.name} ({m.key}, "
                f"{m.source or ''})"
            )
    return "\n".join(lines) + "\n"


def _money(amount: Money) -> str:
    return str(amount.amount)


def budget_json(report: BudgetReport) -> dict[str, Any]:
    return {
        "as_of": report.as_of.isoformat(),
        "year": report.year,
        "articles": [
            {
                "code": a.article.code,
                "ministry": a.article.ministry,
                "chapter": a.article.chapter,
                "number": a.article.number,
                "sub_article": a.article.sub_article,
                "name": a.article.name,
                "tranches": list(a.article.tranches),
                "source": a.source,
                "years": [_year_json(f) for f in a.years],
                "kasreeks": {str(y): _money(m) for y, m in a.kasreeks.items()},
                "mutations": [_mutation_json(m) for m in a.mutations],
                "expected_cash": {str(y): _money(m) for y, m in a.expected.items()},
                "behind_schedule": [
                    {
                        "nummer": p.nummer,
                        "due": _money(p.planned),
                        "paid": _money(p.paid),
                        "behind": _money(p.behind),
                        "currency": p.paid.currency,
                    }
                    for p in a.behind
                ],
            }
            for a in report.articles
        ],
    }


def _year_json(f: YearFigures) -> dict[str, Any]:
    return {
        "year": f.year,
        "budget": {s.value: _money(f.budget[s]) for s in Stelsel},
        "realised": {s.value: _money(f.realised[s]) for s in Stelsel},
        "open_commitments": _money(f.open_commitments),
        "to_funds": {
            "verplichtingen": _money(f.to_funds_commitments),
            "uitgaven": _money(f.to_funds_cash),
        },
        "beschikkingen": [
            {
                "nummer": nummer,
                "verplichtingen": _money(part.commitments),
                "uitgaven": _money(part.cash),
                "ontvangsten": _money(part.receipts),
                "to_funds": {
                    "verplichtingen": _money(part.to_funds_commitments),
                    "uitgaven": _money(part.to_funds_cash),
                },
            }
            for nummer, part in f.beschikkingen
        ],
    }


def _mutation_json(m: MutationRecord) -> dict[str, Any]:
    return {
        "key": m.key,
        "kind": m.kind,
        "article": m.article,
        "from_article": m.from_article,
        "name": m.name,
        "effective_on": m.effective_on.isoformat(),
        "reverses": m.reverses,
        "entry": m.entry_id,
        "source": m.source,
        "reason": m.reason,
    }


def render_budget_json(report: BudgetReport) -> str:
    return json.dumps(budget_json(report), indent=2, ensure_ascii=False) + "\n"
