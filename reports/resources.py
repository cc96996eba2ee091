"""The ledger's objects as documents a reader can drill into (pure, from a Snapshot and its
reconciliation): an envelope with its tranches, a tranche with its budget history, reservations
and deals, a deal with its pledges, programme lines, status and beschikkingen. Amounts are
strings of euros (or the grant's currency) with two decimals; formatting for people is the
reports' and pages' business, not this one's."""

from __future__ import annotations

from datetime import date
from typing import Any

from ledger.money import Money
from ledger.regio import chart
from ledger.regio.model import Deal
from ledger.regio.snapshot import BudgetChange, Snapshot
from reports.listings import BeschikkingRow, DealRow
from reports.reconciliation import EnvelopeFigures, Reconciliation, TrancheFigures
from reports.render import FIGURES, controls_json

RUNNING, ENDED, WITHDRAWN = "running", "ended", "withdrawn"


def _amount(money: Money) -> str:
    return str(money.amount)


def envelope_document(snapshot: Snapshot, figures: EnvelopeFigures) -> dict[str, Any]:
    envelope = next(e for e in snapshot.envelopes if e.code == figures.code)
    return {
        "code": figures.code,
        "name": figures.name,
        "amount": _amount(figures.amount),
        "starts_on": envelope.starts_on.isoformat(),
        "ends_on": envelope.ends_on.isoformat(),
        "allocated": _amount(figures.allocated),
        "unallocated": _amount(figures.unallocated),
        "tranches": [t.code for t in figures.tranches],
        "history": [
            change_document(c) for c in snapshot.budget_changes if c.envelope == figures.code
        ],
        "controls": controls_json(figures.controls),
    }


def change_document(change: BudgetChange) -> dict[str, Any]:
    return {
        "effective_on": change.effective_on.isoformat(),
        "kind": change.kind,
        "from_tranche": change.from_tranche,
        "to_tranche": change.to_tranche,
        "reservation": change.reservation,
        "amount": _amount(change.amount),
        "entry": change.entry,
        "memo": change.memo,
        "reason": change.reason,
        "source_document": change.source_document,
    }


def tranche_document(snapshot: Snapshot, figures: TrancheFigures) -> dict[str, Any]:
    """A tranche's figures, every budget change with its source (shifts among them), each
    reservation with what it holds, what deals used and what is free, and its deals."""
    return {
        "code": figures.code,
        "name": figures.name,
        "envelope": figures.envelope,
        **{name: _amount(getattr(figures, name)) for name in FIGURES},
        "available": _amount(figures.available),
        "history": [change_document(c) for c in figures.history],
        "reservations": _reservations(snapshot, figures.code),
        "deals": sorted(d.code for d in snapshot.deals if d.tranche == figures.code),
        "controls": controls_json(figures.controls),
    }


def _reservations(snapshot: Snapshot, tranche: str) -> list[dict[str, str]]:
    found = []
    for r in (r for r in snapshot.reservations if r.tranche == tranche):
        reserved = sum(
            (c.amount for c in snapshot.budget_changes if c.reservation == r.code),
            Money.zero(),
        )
        free = snapshot.balance(chart.reservation_available(r.code))
        found.append(
            {
                "code": r.code,
                "name": r.name,
                "reserved": _amount(reserved),
                "used": _amount(reserved - free),
                "free": _amount(free),
            }
        )
    return found


def tranches_of(reconciliation: Reconciliation) -> list[TrancheFigures]:
    return sorted((t for e in reconciliation.envelopes for t in e.tranches), key=lambda t: t.code)


def deal_status(deal: Deal, on: date) -> str:
    if deal.withdrawn_on is not None and deal.withdrawn_on <= on:
        return WITHDRAWN
    return ENDED if deal.ends_on < on else RUNNING


def deal_document(row: DealRow, beschikkingen: list[str], on: date) -> dict[str, Any]:
    """A deal as it stands on ``on``: its figures, status, programme lines, pledges and the
    beschikkingen that pay it out."""
    d = row.deal
    return {
        **row.as_dict(),
        "status": deal_status(d, on),
        "withdrawn_on": d.withdrawn_on.isoformat() if d.withdrawn_on else None,
        "programme_lines": list(d.programme_lines),
        "pledges": [
            {"partner": p.partner, "kind": p.kind.value, "amount": _amount(p.amount)}
            for p in d.pledges
        ],
        "cofinancing_exception": d.cofinancing_exception,
        "beschikkingen": beschikkingen,
    }


def beschikking_summary(row: BeschikkingRow, tranche: str) -> dict[str, Any]:
    return {
        **row.as_dict(),
        "tranche": tranche,
        "decided_on": row.beschikking.decided_on.isoformat(),
    }


def tranche_of_deal(snapshot: Snapshot) -> dict[str, str]:
    return {d.code: d.tranche for d in snapshot.deals}
