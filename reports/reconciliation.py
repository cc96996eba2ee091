"""Tranche reconciliation: a pure builder from a ``Snapshot`` to figures that tie out.

Per envelope and tranche, as of a date: the budget and its dated, sourced history, shifts in
and out, reserved, committed in deals, granted, paid, spent from Rijk money, co-financing
realised (cash, in kind), settled, recovered, still available; control totals that must be
zero; and every published figure beside the ledger's (``reports.published``): reproduced,
explained, or an open difference with both sources.

Beschikkingen set in US dollars (BU) are shown in euros: each stage's share of the grant is
its share of the recorded EUR commitment, split by ``ledger.rounding.allocate`` so the parts
add up to the commitment exactly.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from ledger.money import Money
from ledger.regio import chart, rules
from ledger.regio.model import Beschikking, Deal, FundingSource
from ledger.regio.snapshot import BudgetChange, BudgetEvent, Snapshot
from ledger.rounding import allocate, convert
from reports.published import Comparison, compare_published

ZERO = Money.zero("EUR")
STAGES = ("unpaid", "paid", "settled", "recoverable", "recovered", "lapsed")
SOURCES = (
    FundingSource.RIJK,
    FundingSource.COFINANCIERING_PUBLIEK,
    FundingSource.COFINANCIERING_PRIVAAT,
    FundingSource.IN_NATURA,
)


def total(amounts) -> Money:
    result = ZERO
    for amount in amounts:
        result += amount
    return result


@dataclass(frozen=True)
class GrantFigures:
    """One beschikking in euros: its grant split over payment stages, and its spending."""

    beschikking: Beschikking
    tranche: str
    granted: Money
    stages: dict[str, Money]
    spent: dict[str, Money]  # by funding source, all years

    @property
    def paid(self) -> Money:
        return total(self.stages[s] for s in ("paid", "settled", "recoverable", "recovered"))


@dataclass(frozen=True)
class Control:
    name: str  # a stable key; reports.render says it in the reader's language
    difference: Money

    @property
    def ties_out(self) -> bool:
        return self.difference.is_zero()


@dataclass
class TrancheFigures:
    code: str
    name: str
    envelope: str
    allocated: Money = ZERO
    shifted_in: Money = ZERO
    shifted_out: Money = ZERO
    added: Money = ZERO
    reserved: Money = ZERO
    committed: Money = ZERO
    ungranted: Money = ZERO
    granted: Money = ZERO
    unpaid: Money = ZERO
    paid: Money = ZERO
    lapsed: Money = ZERO
    spent_rijk: Money = ZERO
    cofinancing_cash: Money = ZERO
    in_kind: Money = ZERO
    settled: Money = ZERO
    recoverable: Money = ZERO
    recovered: Money = ZERO
    available_free: Money = ZERO  # on the tranche itself: free to commit to any deal
    available_reserved: Money = ZERO  # reserved (e.g. for Groningen) and not yet used
    history: list[BudgetChange] = field(default_factory=list)
    controls: list[Control] = field(default_factory=list)
    #: Transfers between budget articles for this tranche: recorded, but no envelope money.
    article_transfers: list[BudgetEvent] = field(default_factory=list)
    #: What a reservation of this tranche gave back to its free money.
    reserve_releases: list[BudgetEvent] = field(default_factory=list)

    @property
    def budget(self) -> Money:
        return self.allocated + self.shifted_in - self.shifted_out + self.added

    @property
    def available(self) -> Money:
        """Still available in all: free, and reserved but unused."""
        return self.available_free + self.available_reserved


@dataclass
class EnvelopeFigures:
    code: str
    name: str
    amount: Money
    allocated: Money
    unallocated: Money
    tranches: list[TrancheFigures]
    controls: list[Control]
    set_aside: list[BudgetEvent] = field(default_factory=list)  # for purposes that are no deal

    @property
    def set_aside_total(self) -> Money:
        return total(e.amount for e in self.set_aside)


@dataclass(frozen=True)
class DealFigures:
    deal: Deal
    granted: Money
    paid: Money
    spent_rijk: Money
    cofinancing_cash: Money
    in_kind: Money
    pledged_regional: Money
    cofinancing_public: Money | None = None  # of the cash, what public partners gave

    @property
    def counted_realised(self) -> Money:
        """The regional money spent that counts under the tranche's rule."""
        public = (
            self.cofinancing_cash if self.cofinancing_public is None else self.cofinancing_public
        )
        return rules.counted_realised(
            self.deal.tranche, public, self.cofinancing_cash - public, self.in_kind
        )

    @property
    def realised_counted_ratio(self) -> Decimal | None:
        """Counted regional money spent per Rijk euro spent (None before any Rijk spending)."""
        if self.spent_rijk.is_zero():
            return None
        return self.counted_realised.amount / self.spent_rijk.amount

    @property
    def realised_shortfall(self) -> bool:
        """What was realised falls below the tranche's rule (the pledges may still be enough:
        ``shortfall`` judges those); an exception recorded for the deal covers both."""
        if self.deal.cofinancing_exception:
            return False
        return rules.realised_cofinancing_short(
            self.deal.tranche, self.spent_rijk, self.counted_realised
        )

    @property
    def pledged_ratio(self) -> Decimal:
        """Pledged regional money per Rijk euro (0 for a withdrawn deal, which has no Rijk euro)."""
        if not self.deal.rijksbijdrage.is_positive():
            return Decimal(0)
        return self.pledged_regional.amount / self.deal.rijksbijdrage.amount

    @property
    def counted_regional(self) -> Money:
        """The pledges that count under the tranche's co-financing rule (``rules list``)."""
        return rules.counted_pledges(self.deal)

    @property
    def realised_ratio(self) -> Decimal | None:
        if self.spent_rijk.is_zero():
            return None
        return (self.cofinancing_cash + self.in_kind).amount / self.spent_rijk.amount

    @property
    def shortfall(self) -> bool:
        """The pledges that count under the tranche's rule fall below its ratio, and no
        exception is recorded."""
        return rules.cofinancing_short(self.deal)


@dataclass
class Reconciliation:
    as_of: date
    envelopes: list[EnvelopeFigures]
    differences: list[Comparison]  # every published figure beside the ledger's
    deals: list[DealFigures]

    @property
    def ties_out(self) -> bool:
        controls = [c for e in self.envelopes for c in e.controls] + [
            c for e in self.envelopes for t in e.tranches for c in t.controls
        ]
        return all(c.ties_out for c in controls)


def _in_euros(beschikking: Beschikking, amounts: list[Money], granted_eur: Money) -> list[Money]:
    if beschikking.amount.currency == "EUR":
        return amounts
    weights = [a.minor_units for a in amounts]
    if not any(weights):
        return [ZERO for _ in amounts]
    return allocate(granted_eur, weights)


def grant_figures(snapshot: Snapshot, beschikking: Beschikking, tranche: str) -> GrantFigures:
    nummer, currency = beschikking.nummer, beschikking.amount.currency
    native = [snapshot.balance(chart.beschikking_account(nummer, s), currency) for s in STAGES]
    granted_native, granted_eur = snapshot.granted(beschikking)
    stages = dict(zip(STAGES, _in_euros(beschikking, native, granted_eur), strict=True))
    spent_native = {source: total_native(snapshot, nummer, source, currency) for source in SOURCES}
    unspent = snapshot.balance(chart.beschikking_account(nummer, "unspent"), currency)
    rest = granted_native - unspent - spent_native[FundingSource.RIJK]
    rijk_eur = _in_euros(
        beschikking, [spent_native[FundingSource.RIJK], unspent, rest], granted_eur
    )[0]
    spent = {
        s: (a if currency == "EUR" else at_rate(a, beschikking)) for s, a in spent_native.items()
    }
    spent[FundingSource.RIJK] = rijk_eur
    return GrantFigures(beschikking, tranche, granted_eur, stages, spent)


def total_native(snapshot: Snapshot, nummer: str, source: str, currency: str) -> Money:
    return snapshot.spent(nummer, source, currency)


def at_rate(amount: Money, beschikking: Beschikking) -> Money:
    """Regional money on a USD beschikking, shown in euros at the beschikking's recorded rate."""
    rate = beschikking.usd_per_eur or Decimal(1)
    return convert(amount, Decimal(1) / rate, "EUR") if amount.currency != "EUR" else amount


def _tranche(snapshot: Snapshot, tranche, grants: list[GrantFigures]) -> TrancheFigures:
    figures = TrancheFigures(tranche.code, tranche.name, tranche.envelope)
    for change in snapshot.budget_changes:
        if tranche.code not in (change.from_tranche, change.to_tranche):
            continue
        figures.history.append(change)
        if change.kind == "allocate":
            figures.allocated += change.amount
        elif change.kind == "add":
            figures.added += change.amount
        elif change.kind == "reserve":
            figures.reserved += change.amount
        elif change.kind == "shift" and change.to_tranche == tranche.code:
            figures.shifted_in += change.amount
        elif change.kind == "shift":
            figures.shifted_out += change.amount
    figures.reserve_releases = [
        e
        for e in snapshot.budget_events
        if e.kind == "reserve_release" and e.tranche == tranche.code
    ]  # what a reservation gave back to the tranche is no longer reserved
    figures.reserved -= total(e.amount for e in figures.reserve_releases)
    figures.article_transfers = [
        e
        for e in snapshot.budget_events
        if e.kind == "article_transfer" and e.tranche == tranche.code
    ]
    deals = [d for d in snapshot.deals if d.tranche == tranche.code]
    figures.committed = total(d.rijksbijdrage for d in deals)
    figures.ungranted = total(snapshot.balance(chart.deal_ungranted(d.code)) for d in deals)
    reservations = [r for r in snapshot.reservations if r.tranche == tranche.code]
    figures.available_free = snapshot.balance(chart.tranche_available(tranche.code))
    figures.available_reserved = total(
        snapshot.balance(chart.reservation_available(r.code)) for r in reservations
    )
    _add_grants(figures, [g for g in grants if g.tranche == tranche.code])
    figures.controls = _tranche_controls(snapshot, figures)
    return figures


def _add_grants(figures: TrancheFigures, grants: list[GrantFigures]) -> None:
    for grant in grants:
        figures.granted += grant.granted
        figures.unpaid += grant.stages["unpaid"]
        figures.paid += grant.paid
        figures.lapsed += grant.stages["lapsed"]
        figures.settled += grant.stages["settled"]
        figures.recoverable += grant.stages["recoverable"]
        figures.recovered += grant.stages["recovered"]
        figures.spent_rijk += grant.spent[FundingSource.RIJK]
        figures.cofinancing_cash += (
            grant.spent[FundingSource.COFINANCIERING_PUBLIEK]
            + grant.spent[FundingSource.COFINANCIERING_PRIVAAT]
        )
        figures.in_kind += grant.spent[FundingSource.IN_NATURA]


def _tranche_controls(snapshot: Snapshot, t: TrancheFigures) -> list[Control]:
    """Each control is a difference that must be zero."""
    returned = snapshot.deal_returns.get(t.code, ZERO)  # money back from its deals is no budget
    returned += total(  # nor is what a reservation gave back
        e.amount
        for e in snapshot.budget_events
        if e.kind == "reserve_release" and e.tranche == t.code
    )
    booked_budget = snapshot.credited(chart.tranche_available(t.code)) - t.shifted_out - returned
    return [
        Control("budget_available_committed", t.budget - t.available - t.committed),
        Control("committed_granted_ungranted", t.committed - t.granted - t.ungranted),
        Control("granted_unpaid_paid_lapsed", t.granted - t.unpaid - t.paid - t.lapsed),
        Control("history_matches_bookings", t.budget - booked_budget),
    ]


def _envelope(snapshot: Snapshot, envelope, tranches: list[TrancheFigures]) -> EnvelopeFigures:
    mine = [t for t in tranches if t.envelope == envelope.code]
    allocated = total(t.allocated for t in mine)
    set_aside = [
        e for e in snapshot.budget_events if e.kind == "set_aside" and e.envelope == envelope.code
    ]
    unallocated = snapshot.balance(chart.envelope_unallocated(envelope.code))
    funded = total(
        c.amount
        for c in snapshot.budget_changes
        if c.kind == "fund" and c.envelope == envelope.code
    )
    controls = [
        Control(
            "envelope_allocated_unallocated",
            funded - allocated - total(e.amount for e in set_aside) - unallocated,
        ),
        Control(
            "shifts_out_equal_in",
            total(t.shifted_out for t in mine) - total(t.shifted_in for t in mine),
        ),
    ]
    return EnvelopeFigures(
        envelope.code, envelope.name, funded, allocated, unallocated, mine, controls, set_aside
    )


def _deal_figures(snapshot: Snapshot, grants: list[GrantFigures]) -> list[DealFigures]:
    by_deal: dict[str, list[GrantFigures]] = defaultdict(list)
    for grant in grants:
        by_deal[grant.beschikking.deal].append(grant)
    rows = []
    for deal in snapshot.deals:
        mine = by_deal.get(deal.code, [])
        rows.append(
            DealFigures(
                deal=deal,
                granted=total(g.granted for g in mine),
                paid=total(g.paid for g in mine),
                spent_rijk=total(g.spent[FundingSource.RIJK] for g in mine),
                cofinancing_cash=total(
                    g.spent[FundingSource.COFINANCIERING_PUBLIEK]
                    + g.spent[FundingSource.COFINANCIERING_PRIVAAT]
                    for g in mine
                ),
                in_kind=total(g.spent[FundingSource.IN_NATURA] for g in mine),
                pledged_regional=total(p.amount for p in deal.pledges),
                cofinancing_public=total(
                    g.spent[FundingSource.COFINANCIERING_PUBLIEK] for g in mine
                ),
            )
        )
    return rows


def deal_figures(snapshot: Snapshot) -> list[DealFigures]:
    """Every deal of the snapshot with what its beschikkingen grant, paid and spent: no more of
    the reconciliation than that."""
    tranche_of_deal = {d.code: d.tranche for d in snapshot.deals}
    grants = [grant_figures(snapshot, b, tranche_of_deal[b.deal]) for b in snapshot.beschikkingen]
    return _deal_figures(snapshot, grants)


def build_tranche_reconciliation(snapshot: Snapshot) -> Reconciliation:
    tranche_of_deal = {d.code: d.tranche for d in snapshot.deals}
    grants = [grant_figures(snapshot, b, tranche_of_deal[b.deal]) for b in snapshot.beschikkingen]
    tranches = [_tranche(snapshot, t, grants) for t in snapshot.tranches]
    envelopes = [_envelope(snapshot, e, tranches) for e in snapshot.envelopes]
    return Reconciliation(
        snapshot.as_of, envelopes, compare_published(snapshot), _deal_figures(snapshot, grants)
    )
