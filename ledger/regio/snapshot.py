"""Everything the reports need to know about the Regio Deals on one date, as plain data.

Filled by ``ledger.db.regio_snapshot.load_snapshot``; read by the pure report builders.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

from ledger.balances import Balance
from ledger.money import Money
from ledger.regio.model import Beschikking, Deal, Envelope, Reservation, Tranche


@dataclass(frozen=True)
class BudgetChange:
    kind: str  # fund, allocate, shift, add, reserve
    envelope: str
    from_tranche: str | None
    to_tranche: str | None
    reservation: str | None
    amount: Money
    effective_on: date
    entry: int
    memo: str
    reason: str
    source_document: str | None


@dataclass(frozen=True)
class SpendingLine:
    beschikking: str
    year: int
    source: str
    amount: Money
    partner: str | None


@dataclass(frozen=True)
class PublishedFigure:
    kind: str
    key: str
    name: str
    amount: Money
    published_on: date
    source: str


@dataclass(frozen=True)
class Snapshot:
    as_of: date
    envelopes: list[Envelope]
    tranches: list[Tranche]
    reservations: list[Reservation]
    deals: list[Deal]
    beschikkingen: list[Beschikking]
    budget_changes: list[BudgetChange]
    released: dict[str, Money]  # per beschikking, given back to its deal (DU conversions)
    balances: dict[str, Balance]  # by account code, as of the date
    spending: list[SpendingLine] = field(default_factory=list)
    published: list[PublishedFigure] = field(default_factory=list)
    illustrative: bool = False  # some figures come from illustrative (demo) bookings

    def balance(self, code: str, currency: str = "EUR") -> Money:
        found = self.balances.get(code)
        return found.balance if found else Money.zero(currency)

    def spent(self, nummer: str, source: str, currency: str = "EUR") -> Money:
        """What a beschikking's recipient spent from one source, over all years."""
        return self._spent_by_source.get((nummer, source), Money.zero(currency))

    def spent_by_year(self, nummer: str) -> dict[tuple[int, str], Money]:
        """What a beschikking's recipient spent, by (year, source), in its own currency."""
        return self._spent_index.get(nummer, {})

    @cached_property
    def _spent_index(self) -> dict[str, dict[tuple[int, str], Money]]:
        """One pass over the balances (``beschikking:B:spent:YEAR:SOURCE``), not one per query."""
        index: dict[str, dict[tuple[int, str], Money]] = {}
        for code, balance in self.balances.items():
            head, found, tail = code.rpartition(":spent:")
            if not found or not head.startswith("beschikking:"):
                continue
            year, _, source = tail.partition(":")
            index.setdefault(head.removeprefix("beschikking:"), {})[(int(year), source)] = (
                balance.balance
            )
        return index

    @cached_property
    def _spent_by_source(self) -> dict[tuple[str, str], Money]:
        totals: dict[tuple[str, str], Money] = {}
        for nummer, by_year in self._spent_index.items():
            for (_, source), amount in by_year.items():
                key = (nummer, source)
                totals[key] = totals[key] + amount if key in totals else amount
        return totals

    def credited(self, code: str, currency: str = "EUR") -> Money:
        found = self.balances.get(code)
        return found.credit_total if found else Money.zero(currency)
