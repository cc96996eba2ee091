"""Published figures beside the ledger. Each figure from a public source is set against the
ledger's figure for the same thing on the figure's date, counted from sourced bookings only (an
illustrative booking of the demo never reproduces a published figure), and gets one of three
answers:

- ``reproduced``: the ledger says the same;
- ``explained``: it differs, and the ledger says why (a part of a deal, the sum of named parts);
- ``open``: it differs and no source explains it; both sources are shown.

A transfer between budget articles (the Voorjaarsnota 2024's €257.1M for tranche 6) is compared
with the budget event recorded for it, which moves no envelope money. Pure: a ``Snapshot`` in,
comparisons out; ``name_of`` says a figure in the reader's language."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from ledger.money import Money
from ledger.regio.model import PROGRAMME_COSTS
from ledger.regio.snapshot import BudgetChange, PublishedFigure, Snapshot
from reports.messages import FIGURE_NAMES

ZERO = Money.zero()
REPRODUCED, EXPLAINED, OPEN = "reproduced", "explained", "open"
#: Figures that state a tranche's budget on their date.
TRANCHE_BUDGET = ("tranche", "tranche_planned", "tranche_after_shift", "announcement")
DEAL_SIGNED = ("deal", "departmental_transfer")
ILLUSTRATIVE = "illustratief"  # how the demo's illustrative bookings name their source


@dataclass(frozen=True)
class Comparison:
    kind: str
    key: str
    name: str
    source: str
    published_on: date
    dated: bool  # False: the source gives no date; compared as the ledger stands now
    published: Money
    ledger: Money
    status: str
    reason: str  # why this answer, as a key ``reports.messages`` says in the reader's words
    entries: tuple[int, ...]  # the bookings that make up the ledger's figure
    other_sources: tuple[str, ...]  # where the ledger's figure comes from, when it differs
    subject: str = ""  # what the figure is about, by its name: a deal, a tranche, an envelope

    def name_in(self, lang: str) -> str:
        """The figure's name in the reader's language: the source's own words in English, the
        catalogue's Dutch words (``reports.messages.FIGURE_NAMES``) on a Dutch page."""
        if lang == "en":
            return self.name
        return FIGURE_NAMES["nl"][self.kind].format(subject=self.subject or self.key)

    @property
    def difference(self) -> Money:
        return self.published - self.ledger

    @property
    def is_open(self) -> bool:
        return self.status == OPEN


@dataclass(frozen=True)
class Figure:
    """The ledger's figure for one published figure: its amount, entries and sources."""

    amount: Money
    entries: tuple[int, ...] = ()
    sources: tuple[str, ...] = ()
    reason: str = ""

    def __add__(self, other: Figure) -> Figure:
        return Figure(
            self.amount + other.amount,
            self.entries + other.entries,
            _unique(self.sources + other.sources),
        )


def compare_published(snapshot: Snapshot) -> list[Comparison]:
    return [
        _compare(snapshot, f)
        for f in snapshot.published
        if f.published_on <= snapshot.as_of and f.amount.is_positive()
    ]


def _compare(snapshot: Snapshot, f: PublishedFigure) -> Comparison:
    figure = ledger_figure(snapshot, f)
    if figure.amount == f.amount:
        status, reason = (EXPLAINED, figure.reason) if figure.reason else (REPRODUCED, "")
    elif f.kind == "deal_component" and f.amount < figure.amount:
        status, reason = EXPLAINED, "part_of_deal"
    else:
        status = OPEN
        reason = "assumed_booking" if _assumed(snapshot, f) else "other_source"
    others = () if status == REPRODUCED else tuple(s for s in figure.sources if s != f.source)
    return Comparison(
        f.kind,
        f.key,
        f.name,
        f.source,
        f.published_on,
        f.dated,
        f.amount,
        figure.amount,
        status,
        reason,
        figure.entries,
        others,
        _subject(snapshot, f),
    )


def _subject(snapshot: Snapshot, f: PublishedFigure) -> str:
    key = _deal_of(snapshot, f.key) if f.kind == "deal_component" else f.key
    names = {d.code: d.name for d in snapshot.deals}
    names |= {t.code: t.name for t in snapshot.tranches}
    names |= {e.code: e.name for e in snapshot.envelopes}
    names |= {r.code: r.name for r in snapshot.reservations}
    if f.kind in ("allocation", "allocation_subtotal"):
        return f.name.split(":")[0]
    return names.get(key, key)


def ledger_figure(snapshot: Snapshot, f: PublishedFigure) -> Figure:
    on = f.published_on if f.dated else snapshot.as_of
    if f.kind in TRANCHE_BUDGET:
        return tranche_budget(snapshot.budget_changes, f.key, on)
    if f.kind == "deal_disputed":
        if any(d.code == f.key for d in snapshot.deals):
            return _signed(snapshot, f.key)
        return tranche_budget(snapshot.budget_changes, f.key, on)
    if f.kind == "budget_transfer":
        return _events(snapshot, "article_transfer", on, tranche=f.key, reason="article_transfer")
    if f.kind in DEAL_SIGNED:
        return _signed(snapshot, f.key)
    if f.kind == "budget_change":
        return _amended(snapshot, f.key, on)
    if f.kind == "deal_total":
        return _committed(snapshot, {f.key}, on, by_deal=True)
    if f.kind == "deal_component":
        return _signed(snapshot, _deal_of(snapshot, f.key))
    if f.kind == "allocation":
        return _events(snapshot, "set_aside", on, purpose=f.key)
    if f.kind == "allocation_subtotal":
        return _subtotal(snapshot, f)
    if f.kind == "tranche_shift":
        giver, taker = f.key.split("->")
        return _sum(
            Figure(c.amount, (c.entry,), _sourced(c.source_document))
            for c in _sourced_changes(snapshot.budget_changes)
            if c.kind == "shift"
            and (c.from_tranche, c.to_tranche) == (giver, taker)
            and c.effective_on <= on
        )
    if f.kind == "reservation":
        return _sum(
            Figure(c.amount, (c.entry,), _sourced(c.source_document))
            for c in _sourced_changes(snapshot.budget_changes)
            if c.kind == "reserve" and c.reservation == f.key and c.effective_on <= on
        )
    return _envelope_figure(snapshot, f, on)


def _envelope_figure(snapshot: Snapshot, f: PublishedFigure, on: date) -> Figure:
    envelopes = {e.code for e in snapshot.envelopes} if f.kind == "envelope_total" else {f.key}
    if f.kind in ("envelope", "envelope_total"):
        return _sum(
            Figure(c.amount, (c.entry,), _sourced(c.source_document))
            for c in _sourced_changes(snapshot.budget_changes)
            if c.kind == "fund" and c.envelope in envelopes
        )
    costs = _sum(
        _events(snapshot, "set_aside", on, envelope=e, purpose=PROGRAMME_COSTS) for e in envelopes
    )
    if f.kind == "envelope_implementation_costs":
        return costs
    tranches = {t.code for t in snapshot.tranches if t.envelope in envelopes}
    committed = _committed(snapshot, tranches, on) + _sum(
        _events(snapshot, "set_aside", on, envelope=e, exclude=PROGRAMME_COSTS) for e in envelopes
    )
    if f.kind == "envelope_committed":
        return committed
    if f.kind == "envelope_remaining":
        funded = _sum(
            Figure(c.amount, (c.entry,))
            for c in snapshot.budget_changes
            if c.kind == "fund" and c.envelope in envelopes and c.effective_on <= on
        )
        return Figure(
            funded.amount - committed.amount - costs.amount,
            funded.entries,
            committed.sources + costs.sources,
        )
    return Figure(ZERO)


def tranche_budget(history: list[BudgetChange], tranche: str, on: date) -> Figure:
    """A tranche's budget on a date from its sourced bookings, and the entries that make it up."""
    result = Figure(ZERO)
    for change in _sourced_changes(history):
        if change.effective_on > on or change.kind == "reserve":
            continue
        part = Figure(change.amount, (change.entry,), _sourced(change.source_document))
        if change.to_tranche == tranche:
            result = result + part
        elif change.from_tranche == tranche and change.kind == "shift":
            result = result + Figure(-change.amount, part.entries, part.sources)
    return result


def _signed(snapshot: Snapshot, deal: str) -> Figure:
    """What the convenant committed when it was signed."""
    first = next((c for c in snapshot.commitments if c.deal == deal), None)
    if first is None:
        return Figure(ZERO)
    return Figure(first.amount, (first.entry,), _sourced(first.source_document))


def _amended(snapshot: Snapshot, deal: str, on: date) -> Figure:
    changes = [c for c in snapshot.commitments if c.deal == deal][1:]
    return _sum(
        Figure(c.amount, (c.entry,), _sourced(c.source_document))
        for c in changes
        if c.effective_on == on
    )


def _committed(snapshot: Snapshot, keys: set[str], on: date, by_deal: bool = False) -> Figure:
    return _sum(
        Figure(c.amount, (c.entry,), _sourced(c.source_document))
        for c in snapshot.commitments
        if (c.deal if by_deal else c.tranche) in keys and c.effective_on <= on
    )


def _events(
    snapshot: Snapshot,
    kind: str,
    on: date,
    *,
    envelope: str | None = None,
    tranche: str | None = None,
    purpose: str | None = None,
    exclude: str | None = None,
    reason: str = "",
) -> Figure:
    found = _sum(
        Figure(e.amount, (e.entry,), _sourced(e.source_document))
        for e in snapshot.budget_events
        if e.kind == kind
        and e.effective_on <= on
        and envelope in (None, e.envelope)
        and tranche in (None, e.tranche)
        and purpose in (None, e.purpose)
        and e.purpose != exclude
    )
    return Figure(found.amount, found.entries, found.sources, reason)


def _subtotal(snapshot: Snapshot, f: PublishedFigure) -> Figure:
    """A subtotal of a tranche's named tasks outside its DU deals: the departmental transfers
    and the allocations that share its tranche, each as the ledger has it."""
    prefix = f.key.split("-")[0] + "-"
    parts = [
        p
        for p in snapshot.published
        if p.kind in ("departmental_transfer", "allocation") and p.key.startswith(prefix)
    ]
    found = _sum(ledger_figure(snapshot, p) for p in parts)
    return Figure(found.amount, found.entries, found.sources, "sum_of_parts")


def _deal_of(snapshot: Snapshot, key: str) -> str:
    """The deal a component belongs to: the longest deal code its key starts with."""
    codes = [d.code for d in snapshot.deals if key.startswith(d.code + "-")]
    return max(codes, key=len) if codes else key


def _assumed(snapshot: Snapshot, f: PublishedFigure) -> bool:
    """The ledger's own figure holds a booking no source explains (an illustrative one)."""
    if f.kind not in TRANCHE_BUDGET:
        return False
    on = f.published_on if f.dated else snapshot.as_of
    return any(
        c.effective_on <= on and f.key == c.to_tranche and not _sourced(c.source_document)
        for c in snapshot.budget_changes
    )


def _sourced_changes(history: list[BudgetChange]) -> list[BudgetChange]:
    return [c for c in history if _sourced(c.source_document)]


def _sourced(source: str | None) -> tuple[str, ...]:
    return () if not source or source.startswith(ILLUSTRATIVE) else (source,)


def _sum(figures: Iterable[Figure]) -> Figure:
    result = Figure(ZERO)
    for figure in figures:
        result = result + figure
    return result


def _unique(values: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(values))
