"""Voortgang per deal: the Rijksbijdrage, what was granted and paid, spending by year and
source, by programme line and by project, pledged against realised per partner, regional
co-financing against the Rijk's share, the multiplier, and terugvorderingen still open. A pure
builder on a ``Snapshot``; amounts in euros (a USD beschikking's figures at its recorded rate).

Two ratios, as the sources use them:

- the **co-financing ratio**: regional money (co-financing in cash and in kind) per euro of the
  Rijk spent, within the deal's looptijd: the 1:1 rule of the regeling;
- the **multiplier**: money from outside the Rijk per Rijk euro, counting what partners put in
  after the deal's end too, with the private part apart: "een multiplier vanuit het
  bedrijfsleven: door mee te investeren (financieel of in kind) tijdens of na afloop van de
  Regio Deal" (Rebel, onderzoek naar de rode draden van de Regio Deals voor BZK/VRO, bij
  Kamerstuk 29 697, nr. 157, 14 november 2024)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from typing import Any

from ledger.money import Money
from ledger.regio import rules
from ledger.regio.model import Beschikking, Deal, FundingSource
from ledger.regio.snapshot import Snapshot, SpendingLine
from reports.reconciliation import SOURCES, at_rate, grant_figures, total

ZERO = Money.zero()
REGIONAL = (
    FundingSource.COFINANCIERING_PUBLIEK,
    FundingSource.COFINANCIERING_PRIVAAT,
    FundingSource.IN_NATURA,
)


NONE = "-"


@dataclass(frozen=True)
class PartnerProgress:
    name: str
    pledged: Money
    realised: Money

    @property
    def ratio(self) -> Decimal | None:
        return None if self.pledged.is_zero() else self.realised.amount / self.pledged.amount


def _ratio(value: Decimal | None) -> str | None:
    return None if value is None else str(value.quantize(Decimal("0.01")))


def _grouped(lines: list[SpendingLine], key) -> dict:
    groups: dict = defaultdict(lambda: {s: ZERO for s in SOURCES})
    for line in lines:
        groups[key(line)][line.source] += line.amount
    return dict(sorted(groups.items()))


def _per_rijk(lines: list[SpendingLine], outside) -> Decimal | None:
    rijk = total(line.amount for line in lines if line.source == FundingSource.RIJK)
    if rijk.is_zero():
        return None
    return total(line.amount for line in lines if outside(line)).amount / rijk.amount


def partner_key(names: dict[str, str], pledgers: Iterable[str] = ()) -> Callable[[str], str]:
    """How a partner is known, whichever way it was written: an organisation's code, or its name
    (letter case and spacing aside), both give the organisation's code; a name that several
    organisations bear is the one that pledged to this deal (``pledgers``); other text stays as
    written."""

    def folded(text: str) -> str:
        return " ".join(text.split()).casefold()

    first = [code for code in pledgers if code in names]
    known = {folded(code): code for code in names}
    for code in [*first, *names]:
        known.setdefault(folded(names[code]), code)
    return lambda text: known.get(folded(text), text)


@dataclass(frozen=True)
class DealProgress:
    deal: Deal
    as_of: date
    granted: Money
    paid: Money
    spent: dict[int, dict[str, Money]]  # year -> funding source -> euros
    open_recovery: Money  # terug te vorderen, not yet repaid
    beschikkingen: list[Beschikking]
    lines: list[SpendingLine] = field(default_factory=list)  # in euros
    partner_names: dict[str, str] = field(default_factory=dict)  # name by organisation code
    citation: str | None = None  # the source of the convenant's Rijksbijdrage

    @property
    def by_programme_line(self) -> dict[tuple[int, str], dict[str, Money]]:
        """Spending per (year, programme line) and source."""
        return _grouped(self.lines, lambda line: (line.year, line.programme_line or NONE))

    @property
    def by_project(self) -> dict[str, dict[str, Money]]:
        return _grouped(self.lines, lambda line: line.project or NONE)

    @property
    def partners(self) -> list[PartnerProgress]:
        """Pledged against realised per partner, one row per organisation: a statement line
        names its partner by the organisation's code or its name (``partner_key``); a partner
        who gave without a pledge, or whom the ledger does not know, is listed too."""
        key = partner_key(self.partner_names, (p.partner for p in self.deal.pledges))
        pledged: dict[str, Money] = defaultdict(lambda: ZERO)
        for pledge in self.deal.pledges:
            pledged[key(pledge.partner)] += pledge.amount
        realised: dict[str, Money] = defaultdict(lambda: ZERO)
        for line in self.lines:
            if line.source != FundingSource.RIJK and line.partner:
                realised[key(line.partner)] += line.amount
        rows = [
            PartnerProgress(
                self.partner_names.get(k, k), pledged.get(k, ZERO), realised.get(k, ZERO)
            )
            for k in set(pledged) | set(realised)
        ]
        return sorted(rows, key=lambda row: row.name)

    @property
    def after_end(self) -> Money:
        """Money from outside the Rijk in years after the deal's looptijd."""
        return total(
            line.amount
            for line in self.lines
            if line.source != FundingSource.RIJK and line.year > self.deal.ends_on.year
        )

    @property
    def cofinancing_ratio(self) -> Decimal | None:
        """Regional money per Rijk euro within the deal's looptijd (the 1:1 rule)."""
        within = [line for line in self.lines if line.year <= self.deal.ends_on.year]
        return _per_rijk(within, lambda line: line.source in REGIONAL)

    @property
    def realised_shortfall(self) -> bool:
        """The regional money spent that counts under the tranche's rule (tranches 1-3: public
        cash; from tranche 4: private and in kind too) falls below the Rijk money spent: the
        realised side of the rule the pledges are judged by. An exception covers both."""
        if self.deal.cofinancing_exception:
            return False
        counted = rules.counted_realised(
            self.deal.tranche,
            self.spent_from(FundingSource.COFINANCIERING_PUBLIEK),
            self.spent_from(FundingSource.COFINANCIERING_PRIVAAT),
            self.spent_from(FundingSource.IN_NATURA),
        )
        return rules.realised_cofinancing_short(self.deal.tranche, self.spent_rijk, counted)

    @property
    def multiplier_total(self) -> Decimal | None:
        """Money from outside the Rijk per Rijk euro, after the deal's end too."""
        return _per_rijk(self.lines, lambda line: line.source in REGIONAL)

    @property
    def multiplier_private(self) -> Decimal | None:
        """The private part of the multiplier: companies' money and work per Rijk euro."""
        return _per_rijk(
            self.lines, lambda line: line.source != FundingSource.RIJK and line.private
        )

    def spent_from(self, source: str) -> Money:
        return total(by_source.get(source, ZERO) for by_source in self.spent.values())

    @property
    def spent_rijk(self) -> Money:
        return self.spent_from(FundingSource.RIJK)

    @property
    def regional(self) -> Money:
        """Co-financing in money and in kind: what the region put beside the Rijk's money."""
        return total(self.spent_from(source) for source in REGIONAL)

    @property
    def multiplier(self) -> Decimal | None:
        """Regional money per euro of the Rijk spent (the 1:1 rule asks for at least 1)."""
        return None if self.spent_rijk.is_zero() else self.regional.amount / self.spent_rijk.amount

    @property
    def pledged_regional(self) -> Money:
        return total(p.amount for p in self.deal.pledges)

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.deal.code,
            "name": self.deal.name,
            "tranche": self.deal.tranche,
            "as_of": self.as_of.isoformat(),
            "rijksbijdrage": str(self.deal.rijksbijdrage.amount),
            "granted": str(self.granted.amount),
            "paid": str(self.paid.amount),
            "spent_rijk": str(self.spent_rijk.amount),
            "cofinancing_cash": str(
                (
                    self.spent_from(FundingSource.COFINANCIERING_PUBLIEK)
                    + self.spent_from(FundingSource.COFINANCIERING_PRIVAAT)
                ).amount
            ),
            "in_kind": str(self.spent_from(FundingSource.IN_NATURA).amount),
            "pledged_regional": str(self.pledged_regional.amount),
            "multiplier": None
            if self.multiplier is None
            else str(self.multiplier.quantize(Decimal("0.01"))),
            "open_recovery": str(self.open_recovery.amount),
            "programme_lines": list(self.deal.programme_lines),
            "spent_by_year": {
                str(y): {s: str(a.amount) for s, a in by_source.items()}
                for y, by_source in sorted(self.spent.items())
            },
            "beschikkingen": [b.nummer for b in self.beschikkingen],
            "citation": self.citation,
            "cofinancing_ratio": _ratio(self.cofinancing_ratio),
            "realised_shortfall": self.realised_shortfall,
            "multiplier_total": _ratio(self.multiplier_total),
            "multiplier_private": _ratio(self.multiplier_private),
            "outside_rijk_after_end": str(self.after_end.amount),
            "spent_by_programme_line": [
                {"year": year, "programme_line": line, **{s: str(a.amount) for s, a in by.items()}}
                for (year, line), by in self.by_programme_line.items()
            ],
            "spent_by_project": [
                {"project": project, **{s: str(a.amount) for s, a in by.items()}}
                for project, by in self.by_project.items()
            ],
            "partners": [
                {
                    "name": p.name,
                    "pledged": str(p.pledged.amount),
                    "realised": str(p.realised.amount),
                    "realised_per_pledged": _ratio(p.ratio),
                }
                for p in self.partners
            ],
        }


def build_deal_progress(
    snapshot: Snapshot, code: str, statement_lines: list[SpendingLine] | None = None
) -> DealProgress:
    """``statement_lines``: the lines of the deal's statements that count
    (``ledger.regio.db.snapshot.statement_spending``), beside the snapshot's spending events."""
    deal = next((d for d in snapshot.deals if d.code == code), None)
    if deal is None:
        raise KeyError(code)
    mine = [b for b in snapshot.beschikkingen if b.deal == code]
    grants = [grant_figures(snapshot, b, deal.tranche) for b in mine]
    spent: dict[int, dict[str, Money]] = defaultdict(lambda: {s: ZERO for s in SOURCES})
    for beschikking in mine:
        for (year, source), amount in snapshot.spent_by_year(beschikking.nummer).items():
            spent[year][source] = spent[year][source] + at_rate(amount, beschikking)
    return DealProgress(
        deal=deal,
        as_of=snapshot.as_of,
        granted=total(g.granted for g in grants),
        paid=total(g.paid for g in grants),
        spent=dict(spent),
        open_recovery=total(g.stages["recoverable"] for g in grants),  # repayments move it on
        beschikkingen=mine,
        lines=_in_euros(snapshot, mine, statement_lines or []),
        partner_names=snapshot.organisations,
        citation=next((c.source_document for c in snapshot.commitments if c.deal == code), None),
    )


def _in_euros(
    snapshot: Snapshot, mine: list[Beschikking], statement_lines: list[SpendingLine]
) -> list[SpendingLine]:
    by_nummer = {b.nummer: b for b in mine}
    return [
        replace(line, amount=at_rate(line.amount, by_nummer[line.beschikking]))
        for line in [*snapshot.spending, *statement_lines]
        if line.beschikking in by_nummer
    ]


def all_deal_progress(snapshot: Snapshot) -> list[DealProgress]:
    return [build_deal_progress(snapshot, d.code) for d in snapshot.deals]
