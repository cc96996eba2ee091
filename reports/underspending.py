"""Onderbesteding: the beschikkingen whose spending pace will not reach their grant by the end
of their spending period, and what would follow at the vaststelling if the pace held.

The pace is the Rijk money spent per day of the period that has passed, up to the end of the
last year the recipient accounted for (spending is reported per year). Held to the period's
end, it gives the projected spending; what falls short of the grant is the projected
underspending. Of that, what is paid already would be reclaimed (terugvordering); what is not
paid yet would lapse. Only beschikkingen that account for their spending (SPUK and BU) with a
full year behind them are judged; a DU or a departmental transfer has no spending to report.
Pure, on a ``Snapshot``; amounts in euros; a projection is rounded to the cent by
``ledger.rounding.convert`` (half away from zero)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from ledger.money import Money
from ledger.regio.model import Beschikking, FundingSource, Instrument
from ledger.regio.snapshot import Snapshot
from ledger.rounding import convert
from reports.reconciliation import grant_figures

ACCOUNTED = (Instrument.SPUK, Instrument.BU)
ZERO = Money.zero()


@dataclass(frozen=True)
class Underspending:
    beschikking: Beschikking
    deal: str
    granted: Money
    paid: Money
    spent: Money  # Rijk money spent so far
    measured_to: date  # the end of the last year accounted for
    period_ends: date
    elapsed: Decimal  # the share of the period passed by ``measured_to``
    projected: Money  # what the pace reaches by the period's end

    @property
    def shortfall(self) -> Money:
        return self.granted - self.projected

    @property
    def terugvordering(self) -> Money:
        """What would be reclaimed of the money paid already."""
        return max(self.paid - self.projected, ZERO)

    @property
    def lapses(self) -> Money:
        """What would not be paid at all."""
        return self.granted - max(self.paid, self.projected)


def underspending(snapshot: Snapshot, ends: dict[str, date] | None = None) -> list[Underspending]:
    """Every beschikking that is behind its pace, the largest shortfall first. ``ends``: the end
    of a spending period after its extensions, where there were any."""
    ends = ends or {}
    tranche_of = {d.code: d.tranche for d in snapshot.deals}
    found = []
    for b in snapshot.beschikkingen:
        if b.instrument not in ACCOUNTED or b.deal not in tranche_of:
            continue
        judged = _judge(snapshot, b, tranche_of[b.deal], ends.get(b.nummer, b.spending_ends_on))
        if judged is not None and judged.shortfall.is_positive():
            found.append(judged)
    return sorted(found, key=lambda u: (-u.shortfall.amount, u.beschikking.nummer))


def _judge(
    snapshot: Snapshot, b: Beschikking, tranche: str, period_ends: date
) -> Underspending | None:
    figures = grant_figures(snapshot, b, tranche)
    if figures.stages["settled"].is_positive() or figures.stages["recoverable"].is_positive():
        return None  # settled already: the vaststelling has spoken
    years = [year for (year, _source) in snapshot.spent_by_year(b.nummer)]
    last_year = max(years) if years else snapshot.as_of.year - 1
    measured_to = min(date(last_year, 12, 31), snapshot.as_of, period_ends)
    period = (period_ends - b.spending_starts_on).days
    passed = (measured_to - b.spending_starts_on).days
    if period <= 0 or passed < 365:
        return None  # not a full year behind it: too early to judge a pace
    elapsed = Decimal(passed) / Decimal(period)
    spent = figures.spent[FundingSource.RIJK]
    projected = min(convert(spent, Decimal(1) / elapsed, "EUR"), figures.granted)
    return Underspending(
        b,
        b.deal,
        figures.granted,
        figures.paid,
        spent,
        measured_to,
        period_ends,
        elapsed,
        projected,
    )
