"""Lists of deals and beschikkingen with where their money stands (pure, from a Snapshot)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ledger.money import Money
from ledger.regio import chart
from ledger.regio.model import Beschikking, Deal, FundingSource
from ledger.regio.snapshot import Snapshot
from reports.reconciliation import deal_figures, total_native


@dataclass(frozen=True)
class BeschikkingRow:
    """A beschikking with its grant as it stands (after wijzigingsbeschikkingen, and after what
    a conversion gave back to the deal) and the beschikking it was converted from or into."""

    beschikking: Beschikking
    spending_ends_on: date
    granted: Money  # in the grant's currency
    granted_eur: Money
    paid: Money
    spent_rijk: Money
    converted_to: str | None

    def as_dict(self) -> dict[str, str | None]:
        b = self.beschikking
        return {
            "nummer": b.nummer,
            "deal": b.deal,
            "instrument": b.instrument.value,
            "recipient": b.recipient,
            "amount": str(self.granted.amount),
            "decided_amount": str(b.amount.amount),
            "currency": b.amount.currency,
            "eur_commitment": str(self.granted_eur.amount),
            "usd_per_eur": str(b.usd_per_eur) if b.usd_per_eur else None,
            "spending_starts_on": b.spending_starts_on.isoformat(),
            "spending_ends_on": self.spending_ends_on.isoformat(),
            "paid": str(self.paid.amount),
            "spent_rijk": str(self.spent_rijk.amount),
            "converted_from": b.converted_from,
            "converted_to": self.converted_to,
        }


def beschikking_rows(snapshot: Snapshot, spending_ends: dict[str, date]) -> list[BeschikkingRow]:
    successors = {b.converted_from: b.nummer for b in snapshot.beschikkingen if b.converted_from}
    rows = []
    for b in snapshot.beschikkingen:
        currency = b.amount.currency
        paid = Money.zero(currency)
        for stage in ("paid", "settled", "recoverable", "recovered"):
            paid += snapshot.balance(chart.beschikking_account(b.nummer, stage), currency)
        spent = total_native(snapshot, b.nummer, FundingSource.RIJK, currency)
        granted, granted_eur = snapshot.granted(b)
        rows.append(
            BeschikkingRow(
                b,
                spending_ends.get(b.nummer, b.spending_ends_on),
                granted,
                granted_eur,
                paid,
                spent,
                successors.get(b.nummer),
            )
        )
    return rows


@dataclass(frozen=True)
class DealRow:
    deal: Deal
    granted: Money
    paid: Money
    spent_rijk: Money

    def as_dict(self) -> dict[str, str | None]:
        d = self.deal
        return {
            "code": d.code,
            "name": d.name,
            "tranche": d.tranche,
            "reservation": d.reservation,
            "rijksbijdrage": str(d.rijksbijdrage.amount),
            "signed_on": d.signed_on.isoformat(),
            "ends_on": d.ends_on.isoformat(),
            "granted": str(self.granted.amount),
            "paid": str(self.paid.amount),
            "spent_rijk": str(self.spent_rijk.amount),
        }


def deal_rows(snapshot: Snapshot) -> list[DealRow]:
    return [DealRow(r.deal, r.granted, r.paid, r.spent_rijk) for r in deal_figures(snapshot)]
