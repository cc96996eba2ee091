"""Reading the Regio Deals objects back from their tables."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, bindparam, func, select

from ledger.db.regio_models import (
    BeschikkingEventRow,
    BeschikkingRow,
    DealRow,
    OrganisationRow,
    PledgeRow,
    ProgrammeLineRow,
    TrancheRow,
)
from ledger.db.rows import chunked
from ledger.errors import LedgerError
from ledger.money import Money
from ledger.regio.model import (
    Beschikking,
    Deal,
    Instrument,
    Organisation,
    OrganisationType,
    Pledge,
    PledgeKind,
)

organisation_table = OrganisationRow.__table__  # type: ignore[attr-defined]
tranche_table = TrancheRow.__table__  # type: ignore[attr-defined]
deal_table = DealRow.__table__  # type: ignore[attr-defined]
line_table = ProgrammeLineRow.__table__  # type: ignore[attr-defined]
pledge_table = PledgeRow.__table__  # type: ignore[attr-defined]
beschikking_table = BeschikkingRow.__table__  # type: ignore[attr-defined]
event_table = BeschikkingEventRow.__table__  # type: ignore[attr-defined]


def not_found(kind: str, code: str, kind_nl: str) -> LedgerError:
    return LedgerError.single(
        f"{kind}_not_found",
        f"No {kind} {code!r} is known.",
        f"Er is geen {kind_nl} {code!r} bekend.",
        identifier=code,
    )


def organisation(connection: Connection, code: str) -> Organisation | None:
    row = connection.execute(
        select(organisation_table).where(organisation_table.c.code == code)
    ).first()
    return Organisation(row.code, row.name, OrganisationType(row.type)) if row else None


def envelope_of_tranche(connection: Connection, tranche: str) -> str:
    found = connection.execute(
        select(tranche_table.c.envelope).where(tranche_table.c.code == tranche)
    ).scalar()
    if found is None:
        raise not_found("tranche", tranche, "tranche")
    return found


def deal_from_row(connection: Connection, row: Any) -> Deal:
    return deals_from_rows(connection, [row])[0]


def deals_from_rows(connection: Connection, rows: list[Any]) -> list[Deal]:
    """Deals with their programme lines and pledges: three queries however many deals."""
    codes = [row.code for row in rows]
    lines: dict[str, list[str]] = {code: [] for code in codes}
    pledges: dict[str, list[Pledge]] = {code: [] for code in codes}
    for part in chunked(codes):
        for line in connection.execute(
            select(line_table.c.deal, line_table.c.code)
            .where(line_table.c.deal.in_(part))
            .order_by(line_table.c.code)
        ):
            lines[line.deal].append(line.code)
        for p in connection.execute(
            select(pledge_table).where(pledge_table.c.deal.in_(part)).order_by(pledge_table.c.id)
        ):
            pledges[p.deal].append(
                Pledge(p.partner, PledgeKind(p.kind), Money.from_minor_units(p.amount))
            )
    return [
        Deal(
            code=row.code,
            name=row.name,
            tranche=row.tranche,
            rijksbijdrage=Money.from_minor_units(row.rijksbijdrage),
            signed_on=row.signed_on,
            ends_on=row.ends_on,
            reservation=row.reservation,
            programme_lines=tuple(lines[row.code]),
            pledges=tuple(pledges[row.code]),
            cofinancing_exception=row.cofinancing_exception,
        )
        for row in rows
    ]


def deal(connection: Connection, code: str) -> Deal:
    row = connection.execute(select(deal_table).where(deal_table.c.code == code)).first()
    if row is None:
        raise not_found("deal", code, "deal")
    return deal_from_row(connection, row)


def beschikking_from_row(row: Any) -> Beschikking:
    return Beschikking(
        nummer=row.nummer,
        deal=row.deal,
        instrument=Instrument(row.instrument),
        recipient=row.recipient,
        amount=Money.from_minor_units(row.amount, row.currency),
        decided_on=row.decided_on,
        spending_starts_on=row.spending_starts_on,
        spending_ends_on=row.spending_ends_on,
        eur_commitment=Money.from_minor_units(row.eur_commitment)
        if row.currency != "EUR"
        else None,
        usd_per_eur=Decimal(row.usd_per_eur) if row.usd_per_eur else None,
        converted_from=row.converted_from,
    )


@dataclass(frozen=True)
class BeschikkingState:
    """A beschikking with where it sits and what has happened to it."""

    beschikking: Beschikking
    envelope: str
    tranche: str
    spending_ends_on: date  # after any extensions (verlenging)
    settled: bool
    converted_to: str | None

    @property
    def nummer(self) -> str:
        return self.beschikking.nummer


def _state_query() -> Any:
    """One round trip for a beschikking's state: its row, where it sits, its latest extension,
    whether it is settled and what it was converted to. Built once; ``nummer`` is bound."""
    nummer = bindparam("nummer")
    events = event_table.c
    latest_end = (
        select(func.max(events.new_end_on))
        .where(events.beschikking == nummer, events.kind == "extension")
        .scalar_subquery()
    )
    settled = (
        select(func.count())
        .where(events.beschikking == nummer, events.kind == "settlement")
        .scalar_subquery()
    )
    successor = beschikking_table.alias("successor")
    converted_to = (
        select(successor.c.nummer).where(successor.c.converted_from == nummer).scalar_subquery()
    )
    return (
        select(
            beschikking_table,
            tranche_table.c.envelope,
            deal_table.c.tranche,
            latest_end.label("latest_end"),
            settled.label("settlements"),
            converted_to.label("converted_to"),
        )
        .join(deal_table, deal_table.c.code == beschikking_table.c.deal)
        .join(tranche_table, tranche_table.c.code == deal_table.c.tranche)
        .where(beschikking_table.c.nummer == nummer)
    )


STATE_QUERY = _state_query()


def beschikking_state(connection: Connection, nummer: str) -> BeschikkingState:
    row = connection.execute(STATE_QUERY, {"nummer": nummer}).first()
    if row is None:
        raise not_found("beschikking", nummer, "beschikking")
    beschikking = beschikking_from_row(row)
    ends_on = beschikking.spending_ends_on
    return BeschikkingState(
        beschikking=beschikking,
        envelope=row.envelope,
        tranche=row.tranche,
        spending_ends_on=max(row.latest_end, ends_on) if row.latest_end else ends_on,
        settled=bool(row.settlements),
        converted_to=row.converted_to,
    )
