"""Everything the reports need to know about the Regio Deals on one date, as plain data.

Filled by ``ledger.regio.db.snapshot.load_snapshot``; read by the pure report builders.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

from ledger.balances import Balance
from ledger.money import Money
from ledger.regio import chart
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
class BudgetEvent:
    """Envelope money set aside for a purpose that is no deal (``set_aside``), or a transfer
    between budget articles for a tranche that moves no envelope money (``article_transfer``)."""

    kind: str
    envelope: str
    tranche: str | None
    purpose: str
    name: str
    amount: Money
    effective_on: date
    entry: int
    reason: str
    source_document: str | None


@dataclass(frozen=True)
class Commitment:
    """A change of what a deal commits, on its date: the convenant signed (its Rijksbijdrage), an
    amendment (the change) or a withdrawal (what it gave back, negative)."""

    deal: str
    tranche: str
    effective_on: date
    amount: Money
    entry: int
    source_document: str | None


@dataclass(frozen=True)
class GrantChange:
    """How a beschikking's grant changed since its decision, up to the snapshot's date: by
    wijzigingsbeschikkingen and by releases back to its deal (a DU converted into a SPUK). In
    the grant's currency, and what it changes in euros; negative: less granted."""

    native: Money
    eur: Money


@dataclass(frozen=True)
class SpendingLine:
    """Spending as booked: a recorded spending event, or a line of a statement that counts.
    ``partner`` is the partner's name (an organisation's, or as the statement gives it)."""

    beschikking: str
    year: int
    source: str
    amount: Money
    partner: str | None
    programme_line: str | None = None
    project: str | None = None
    private: bool = False  # a private partner's money (the multiplier counts it apart)


@dataclass(frozen=True)
class PublishedFigure:
    kind: str
    key: str
    name: str
    amount: Money
    published_on: date
    source: str
    dated: bool = True  # False: the source gives no date (``published_on`` is when it applies)


@dataclass(frozen=True)
class Snapshot:
    as_of: date
    envelopes: list[Envelope]
    tranches: list[Tranche]
    reservations: list[Reservation]
    deals: list[Deal]
    beschikkingen: list[Beschikking]
    budget_changes: list[BudgetChange]
    grant_changes: dict[str, GrantChange]  # per beschikking that changed since its decision
    balances: dict[str, Balance]  # by account code, as of the date
    spending: list[SpendingLine] = field(default_factory=list)
    published: list[PublishedFigure] = field(default_factory=list)
    illustrative: bool = False  # some figures come from illustrative (demo) bookings
    deal_returns: dict[str, Money] = field(
        default_factory=dict
    )  # per tranche: money its deals gave back
    budget_events: list[BudgetEvent] = field(default_factory=list)
    commitments: list[Commitment] = field(default_factory=list)
    organisations: dict[str, str] = field(default_factory=dict)  # name by code

    def granted(self, beschikking: Beschikking) -> tuple[Money, Money]:
        """What a beschikking grants as of the snapshot's date: in its currency, and in euros."""
        change = self.grant_changes.get(beschikking.nummer)
        if change is None:
            return beschikking.amount, beschikking.eur_amount
        return beschikking.amount + change.native, beschikking.eur_amount + change.eur

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
            if ":spent:" not in code:  # a quick skip; ``chart.parse`` decides
                continue
            account = chart.parse(code)
            if account.is_spending:
                index.setdefault(account.owner, {})[(account.year, account.source)] = (
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
