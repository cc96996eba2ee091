"""SiSa status per recipient and year: for each SPUK or BU beschikking and each year of its
spending period up to the last full year, whether its spending is in (a statement, or spending
booked by an officer), the eindverantwoording is made, or the year is missing. DU is never accounted for in SiSa, so it is left out.

The rule is the pure functions here (``sisa_status``); ``status_rows`` reads the ledger for it:
the one composition the API, the dashboard and the portal share. A year's spending is in when a
statement that counts covers it or an officer booked spending for it; final years come from the
eindverantwoording."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import Connection

from ledger.clock import today
from ledger.money import Money
from ledger.regio import rules
from ledger.regio.db.history import counted_years, final_years
from ledger.regio.db.known import EVERYTHING, Known
from ledger.regio.db.scoped import Scope, load_scoped_snapshot
from ledger.regio.db.snapshot import load_snapshot, spending_ends
from ledger.regio.model import Beschikking, Deal, FundingSource, Instrument, SisaStatus
from ledger.regio.snapshot import Snapshot


@dataclass(frozen=True)
class Cofinancing:
    """A beschikking's regional money beside its Rijk money, under its tranche's rule: the
    deal's pledged ratio and what the spending so far realised."""

    pledged_ratio: Decimal | None  # counted pledges per Rijk euro of the deal
    realised_ratio: Decimal | None  # counted regional spending per Rijk euro spent (None: none)
    realised_shortfall: bool  # below the rule, and no exception recorded for the deal


def cofinancing(deal: Deal, spent: dict[FundingSource, Money], currency: str) -> Cofinancing:
    zero = Money.zero(currency)
    rijk = spent.get(FundingSource.RIJK, zero)
    counted = rules.counted_realised(
        deal.tranche,
        spent.get(FundingSource.COFINANCIERING_PUBLIEK, zero),
        spent.get(FundingSource.COFINANCIERING_PRIVAAT, zero),
        spent.get(FundingSource.IN_NATURA, zero),
    )
    pledged = (
        rules.counted_pledges(deal).amount / deal.rijksbijdrage.amount
        if deal.rijksbijdrage.is_positive()
        else None
    )
    return Cofinancing(
        pledged,
        None if rijk.is_zero() else counted.amount / rijk.amount,
        not deal.cofinancing_exception
        and rules.realised_cofinancing_short(deal.tranche, rijk, counted),
    )


@dataclass(frozen=True)
class StatusRow:
    recipient: str
    beschikking: Beschikking
    years: dict[int, str]  # year -> final | reported | missing | closed
    cofinancing: Cofinancing | None = None

    @property
    def missing(self) -> list[int]:
        return [y for y, s in self.years.items() if s == SisaStatus.MISSING]


def sisa_status(
    beschikkingen: list[Beschikking],
    ends: dict[str, date],
    statement_years: dict[str, set[int]],
    final_years: dict[str, int],
    today: date,
    deals: dict[str, Deal] | None = None,
    spent: dict[str, dict[FundingSource, Money]] | None = None,
) -> list[StatusRow]:
    """With ``deals`` and ``spent`` (per beschikking, its spending so far by source), each row
    also says how its regional money stands against the tranche's rule."""
    rows = []
    for b in beschikkingen:
        if b.instrument is Instrument.DU:
            continue
        last = min(ends.get(b.nummer, b.spending_ends_on).year, today.year - 1)
        final = final_years.get(b.nummer)
        reported = statement_years.get(b.nummer, set())
        years = {}
        for year in range(b.spending_starts_on.year, last + 1):
            if final is not None and year > final:
                years[year] = SisaStatus.CLOSED
            elif year == final:
                years[year] = SisaStatus.FINAL
            else:
                years[year] = SisaStatus.REPORTED if year in reported else SisaStatus.MISSING
        deal = (deals or {}).get(b.deal)
        money = (
            None
            if deal is None or spent is None
            else cofinancing(deal, spent.get(b.nummer, {}), b.amount.currency)
        )
        rows.append(StatusRow(b.recipient, b, years, money))
    return sorted(rows, key=lambda r: (r.recipient, r.beschikking.nummer))


def spent_by_source(snapshot: Snapshot) -> dict[str, dict[FundingSource, Money]]:
    """Per beschikking, its spending of every year by source."""
    found: dict[str, dict[FundingSource, Money]] = {}
    for b in snapshot.beschikkingen:
        sources: dict[FundingSource, Money] = {}
        for (_year, source), amount in snapshot.spent_by_year(b.nummer).items():
            key = FundingSource(source)
            sources[key] = sources[key] + amount if key in sources else amount
        found[b.nummer] = sources
    return found


def reported_years(snapshot: Snapshot, statement_years: dict[str, set[int]]) -> dict[str, set[int]]:
    """Per beschikking, the years whose spending is in: a statement that counts, or spending an
    officer booked without one."""
    reported = {nummer: set(years) for nummer, years in statement_years.items()}
    for b in snapshot.beschikkingen:
        spent = {
            year
            for (year, _source), amount in snapshot.spent_by_year(b.nummer).items()
            if not amount.is_zero()
        }
        reported[b.nummer] = reported.get(b.nummer, set()) | spent
    return reported


def status_rows(
    connection: Connection,
    as_of: date = date.max,
    known: Known = EVERYTHING,
    scope: Scope | None = None,
) -> list[StatusRow]:
    """Per beschikking (by recipient, then nummer) its years and their status, as of a date and
    as the books stood (``known``); years are due once they are over (never after ``as_of``).
    With a ``scope`` (one beschikking, a recipient's) only that part of the books is read."""
    snapshot = (
        load_snapshot(connection, as_of, known.at)
        if scope is None
        else load_scoped_snapshot(connection, scope, as_of, known.at)
    )
    shown = None if scope is None else [b.nummer for b in snapshot.beschikkingen]
    reported = reported_years(snapshot, counted_years(connection, known))
    return sisa_status(
        snapshot.beschikkingen,
        spending_ends(connection, as_of, known, shown),
        reported,
        final_years(connection, as_of, known),
        min(as_of, today()),
        {d.code: d for d in snapshot.deals},
        spent_by_source(snapshot),
    )
