"""Voortgang per deal: the Rijksbijdrage, what was granted and paid, spending by year and
source, regional co-financing and in-kind contributions against the Rijk's share (the
multiplier), the programme lines, and terugvorderingen still open. A pure builder on a
``Snapshot``; amounts in euros (a USD beschikking's figures at its recorded rate)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from ledger.money import Money
from ledger.regio.model import Beschikking, Deal
from ledger.regio.snapshot import Snapshot
from reports.reconciliation import SOURCES, at_rate, grant_figures, total

ZERO = Money.zero()
REGIONAL = ("cofinanciering_publiek", "cofinanciering_privaat", "in_natura")


@dataclass(frozen=True)
class DealProgress:
    deal: Deal
    as_of: date
    granted: Money
    paid: Money
    spent: dict[int, dict[str, Money]]  # year -> funding source -> euros
    open_recovery: Money  # terug te vorderen, not yet repaid
    beschikkingen: list[Beschikking]

    def spent_from(self, source: str) -> Money:
        return total(by_source.get(source, ZERO) for by_source in self.spent.values())

    @property
    def spent_rijk(self) -> Money:
        return self.spent_from("rijk")

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
                    self.spent_from("cofinanciering_publiek")
                    + self.spent_from("cofinanciering_privaat")
                ).amount
            ),
            "in_kind": str(self.spent_from("in_natura").amount),
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
        }


def build_deal_progress(snapshot: Snapshot, code: str) -> DealProgress:
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
    )


def all_deal_progress(snapshot: Snapshot) -> list[DealProgress]:
    return [build_deal_progress(snapshot, d.code) for d in snapshot.deals]
