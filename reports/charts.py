"""Charts as PNG: the envelope as a waterfall from budget to spending, spending per year by
source, and the co-financing ratio per deal against the 1:1 line.

Each chart has a pure data builder (tested figure by figure) and a renderer (matplotlib's
object API, no pyplot state, so it is safe in the server's threads). Amounts are shown in
millions of euros, formatted for the reader's language by Babel.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from io import BytesIO

import matplotlib

from ledger.regio.model import FundingSource

matplotlib.use("Agg")  # no screen: render to files only

from babel.numbers import format_decimal  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.ticker import FuncFormatter  # noqa: E402

from ledger.money import Money  # noqa: E402
from ledger.regio.snapshot import Snapshot  # noqa: E402
from reports.deal_report import DealProgress  # noqa: E402
from reports.messages import CHARTS, LOCALES  # noqa: E402
from reports.reconciliation import (  # noqa: E402
    SOURCES,
    EnvelopeFigures,
    TrancheFigures,
    at_rate,
    total,
)

COLOURS = {"level": "#1f4e79", "down": "#c00000", "up": "#548235"}
SOURCE_COLOURS = {
    FundingSource.RIJK: "#1f4e79",
    FundingSource.COFINANCIERING_PUBLIEK: "#2e75b6",
    FundingSource.COFINANCIERING_PRIVAAT: "#9dc3e6",
    FundingSource.IN_NATURA: "#a9d18e",
}
MILLION = Decimal(1_000_000)


@dataclass(frozen=True)
class Step:
    """One bar of the waterfall: a level (``is_level``) or the change to the next level."""

    key: str
    amount: Money
    is_level: bool


def waterfall_steps(envelope: EnvelopeFigures) -> list[Step]:
    """Envelope → given outside the tranches → not allocated → shifts and additions → tranche
    budgets → committed → granted → paid → spent."""
    tranches = envelope.tranches
    levels = [
        ("tranche_budgets", total(t.budget for t in tranches)),
        ("committed", total(t.committed for t in tranches)),
        ("granted", total(t.granted for t in tranches)),
        ("paid", total(t.paid for t in tranches)),
        ("spent", total(t.spent_rijk for t in tranches)),
    ]
    moved = total(t.shifted_in - t.shifted_out + t.added for t in tranches)
    steps = [Step("envelope", envelope.amount, True), Step("shifts", moved, False)]
    outside = Money.zero() - envelope.set_aside_total
    steps.append(Step("set_aside", outside, False))
    steps.append(Step("unallocated", levels[0][1] - envelope.amount - moved - outside, False))
    previous = levels[0][1]
    for key, amount in levels:
        if key != "tranche_budgets":
            steps.append(Step(f"to_{key}", amount - previous, False))
        steps.append(Step(key, amount, True))
        previous = amount
    return steps


def spending_per_year(snapshot: Snapshot) -> dict[int, dict[str, Money]]:
    """Every beschikking's spending, by year and funding source, in euros."""
    years: dict[int, dict[str, Money]] = defaultdict(lambda: {s: Money.zero() for s in SOURCES})
    for beschikking in snapshot.beschikkingen:
        for (year, source), amount in snapshot.spent_by_year(beschikking.nummer).items():
            years[year][source] = years[year][source] + at_rate(amount, beschikking)
    return dict(sorted(years.items()))


@dataclass(frozen=True)
class RatioPoint:
    deal: str
    pledged: Decimal  # regional money pledged per euro of Rijksbijdrage
    realised: Decimal | None  # regional money spent per euro of the Rijk spent


def cofinancing_ratios(progress: list[DealProgress]) -> list[RatioPoint]:
    return [
        RatioPoint(
            p.deal.code, p.pledged_regional.amount / p.deal.rijksbijdrage.amount, p.multiplier
        )
        for p in progress
        if p.deal.rijksbijdrage.is_positive()  # a withdrawn deal has no ratio
    ]


# --- rendering -------------------------------------------------------------------------------


def _millions(lang: str) -> FuncFormatter:
    suffix = CHARTS[lang]["millions"]
    return FuncFormatter(
        lambda value, _pos: (
            f"{format_decimal(value, format='#,##0.#', locale=LOCALES[lang])} {suffix}"
        )
    )


def _png(figure: Figure) -> bytes:
    out = BytesIO()
    figure.savefig(out, format="png", dpi=100, bbox_inches="tight")
    return out.getvalue()


def waterfall_png(envelope: EnvelopeFigures, lang: str = "nl") -> bytes:
    words = CHARTS[lang]
    steps = [s for s in waterfall_steps(envelope) if s.is_level or not s.amount.is_zero()]
    figure = Figure(figsize=(10, 5))
    axes = figure.subplots()
    level = Decimal(0)
    labels = []
    for index, step in enumerate(steps):
        value = step.amount.amount / MILLION
        if step.is_level:
            axes.bar(index, float(value), color=COLOURS["level"])
            level = value
        else:
            bottom = level + value if value < 0 else level
            axes.bar(
                index,
                float(abs(value)),
                bottom=float(bottom),
                color=COLOURS["down" if value < 0 else "up"],
            )
            level += value
        labels.append(words[step.key])
    axes.set_xticks(range(len(steps)), labels, rotation=20, ha="right")
    axes.yaxis.set_major_formatter(_millions(lang))
    axes.set_ylabel(words["amount_axis"])
    axes.set_title(words["waterfall_title"].format(envelope=envelope.name))
    return _png(figure)


def tranche_png(tranche: TrancheFigures, lang: str = "nl") -> bytes:
    """A tranche from its budget to what the regions spent of the Rijk's money, in bars."""
    words = CHARTS[lang]
    levels = [
        ("tranche_budgets", tranche.budget),
        ("committed", tranche.committed),
        ("granted", tranche.granted),
        ("paid", tranche.paid),
        ("spent", tranche.spent_rijk),
    ]
    figure = Figure(figsize=(10, 4))
    axes = figure.subplots()
    axes.bar(
        [words[key] for key, _ in levels],
        [float(amount.amount / MILLION) for _, amount in levels],
        color=COLOURS["level"],
    )
    axes.yaxis.set_major_formatter(_millions(lang))
    axes.set_ylabel(words["amount_axis"])
    axes.set_title(words["tranche_title"].format(tranche=tranche.name))
    return _png(figure)


def spending_png(years: dict[int, dict[str, Money]], lang: str = "nl") -> bytes:
    words = CHARTS[lang]
    figure = Figure(figsize=(10, 5))
    axes = figure.subplots()
    bottoms = [0.0] * len(years)
    for source in SOURCES:
        values = [float(by_source[source].amount / MILLION) for by_source in years.values()]
        axes.bar(
            [str(y) for y in years],
            values,
            bottom=bottoms,
            label=words[source],
            color=SOURCE_COLOURS[source],
        )
        bottoms = [b + v for b, v in zip(bottoms, values, strict=True)]
    axes.yaxis.set_major_formatter(_millions(lang))
    axes.set_xlabel(words["year_axis"])
    axes.set_ylabel(words["amount_axis"])
    axes.set_title(words["spending_title"])
    axes.legend()
    return _png(figure)


def cofinancing_png(points: list[RatioPoint], lang: str = "nl") -> bytes:
    words = CHARTS[lang]
    figure = Figure(figsize=(10, max(3, 0.3 * len(points) + 1.5)))
    axes = figure.subplots()
    rows = range(len(points))
    axes.barh(
        list(rows),
        [float(p.pledged) for p in points],
        color=SOURCE_COLOURS[FundingSource.COFINANCIERING_PUBLIEK],
        label=words["pledged"],
    )
    realised = [
        (i, float(p.realised)) for i, p in zip(rows, points, strict=True) if p.realised is not None
    ]
    if realised:
        axes.scatter(
            [v for _, v in realised],
            [i for i, _ in realised],
            color=COLOURS["down"],
            zorder=3,
            label=words["realised"],
        )
    axes.axvline(1.0, color="black", linestyle="--", label=words["one_to_one"])
    axes.set_yticks(list(rows), [p.deal for p in points])
    axes.xaxis.set_major_formatter(
        FuncFormatter(lambda v, _p: format_decimal(v, format="#,##0.0#", locale=LOCALES[lang]))
    )
    axes.set_xlabel(words["ratio_axis"])
    axes.set_title(words["cofinancing_title"])
    axes.legend(loc="upper left", bbox_to_anchor=(1.01, 1))
    return _png(figure)


def budget_png(years: list[tuple[int, Money, Money, Money, Money]], title: str, lang: str) -> bytes:
    """Per year, grouped bars: commitments budgeted and realised, cash budgeted and realised
    (``years``: year, commitments budget, realised, cash budget, realised)."""
    words = CHARTS[lang]
    figure = Figure(figsize=(10, 5))
    axes = figure.subplots()
    x = range(len(years))
    series = (
        (1, words["commitments_budget"], "#1f4e79"),
        (2, words["commitments_realised"], "#7fa7d1"),
        (3, words["cash_budget"], "#7a4f01"),
        (4, words["cash_realised"], "#e0b35a"),
    )
    for n, (column, label, colour) in enumerate(series):
        axes.bar(
            [i + (n - 1.5) * 0.2 for i in x],
            [float(row[column].amount / MILLION) for row in years],
            width=0.2,
            label=label,
            color=colour,
        )
    axes.set_xticks(list(x), [str(row[0]) for row in years])
    axes.yaxis.set_major_formatter(_millions(lang))
    axes.set_xlabel(words["year_axis"])
    axes.set_ylabel(words["amount_axis"])
    axes.set_title(title)
    axes.legend()
    return _png(figure)
