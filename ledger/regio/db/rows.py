"""Reading the Regio Deals objects back from their tables."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, bindparam, func, select

from ledger.db.rows import account_table, chunked, posting_table
from ledger.errors import LedgerError
from ledger.money import Money
from ledger.regio.db.regeling_tables import (
    correction_deadline_table,
    regeling_table,
    tranche_regeling_table,
)
from ledger.regio.db.tables import (
    amendment_table,
    beschikking_table,
    budget_change_table,
    deal_table,
    envelope_table,
    event_table,
    line_table,
    organisation_table,
    pledge_table,
    tranche_table,
)
from ledger.regio.model import (
    AmendmentKind,
    Beschikking,
    BudgetChangeKind,
    Deal,
    Envelope,
    EventKind,
    Instrument,
    Organisation,
    OrganisationType,
    Pledge,
    PledgeKind,
)
from ledger.regio.regelingen import Regeling
from ledger.said import said


def correction_deadline(connection: Connection, year: int) -> date | None:
    """The last day a correction of SiSa year ``year`` is made on that year, if one is set."""
    return connection.execute(
        select(correction_deadline_table.c.until).where(correction_deadline_table.c.year == year)
    ).scalar()


def regeling(connection: Connection, code: str) -> Regeling:
    row = connection.execute(select(regeling_table).where(regeling_table.c.code == code)).first()
    if row is None:
        raise not_found("regeling", code)
    return Regeling(
        row.code,
        row.name,
        row.ministry,
        row.source,
        tuple(row.instruments.split(",")) if row.instruments else (),
        row.starts_on,
        row.ends_on,
        row.sisa_code,
    )


def regeling_of_tranche(connection: Connection, tranche: str) -> str | None:
    return connection.execute(
        select(tranche_regeling_table.c.regeling).where(tranche_regeling_table.c.tranche == tranche)
    ).scalar()


#: What is looked up by its code, as each language names it.
KINDS = {
    "beschikking": said("beschikking"),
    "deal": said("deal"),
    "envelope": said("envelope"),
    "regeling": said("regeling"),
    "tranche": said("tranche"),
}


def not_found(kind: str, code: str) -> LedgerError:
    return LedgerError.single(
        f"{kind}_not_found",
        said("No {kind} {code!r} is known.", kind=KINDS[kind], code=code),
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
        raise not_found("tranche", tranche)
    return found


def envelope(connection: Connection, code: str) -> Envelope:
    row = connection.execute(select(envelope_table).where(envelope_table.c.code == code)).first()
    if row is None:
        raise not_found("envelope", code)
    return Envelope(
        row.code, row.name, Money.from_minor_units(row.amount), row.starts_on, row.ends_on
    )


def budget_since(
    connection: Connection, tranche: str, reservation: str | None = None
) -> date | None:
    """The first day a tranche (or a reservation in it) had budget: its first allocation, money
    added, shift in or, for a reservation, the reservation itself."""
    c = budget_change_table.c
    condition = (
        (c.reservation == reservation) & (c.kind == BudgetChangeKind.RESERVE)
        if reservation
        else (c.to_tranche == tranche)
        & c.kind.in_([BudgetChangeKind.ALLOCATE, BudgetChangeKind.ADD, BudgetChangeKind.SHIFT])
    )
    return connection.execute(select(func.min(c.effective_on)).where(condition)).scalar()


def last_movement_on(connection: Connection, nummer: str) -> date | None:
    """The effective date of the last posting on any of a beschikking's accounts."""
    found = connection.execute(
        select(func.max(posting_table.c.effective_on))
        .join(account_table, account_table.c.id == posting_table.c.account_id)
        .where(account_table.c.beschikking == nummer)
    ).scalar()
    return date.fromisoformat(found) if isinstance(found, str) else found


def spending_cents(connection: Connection, nummer: str) -> dict[tuple[int, str], int]:
    """A beschikking's spending by (year, source), in cents, from its spent accounts."""
    found: dict[tuple[int, str], int] = {}
    query = select(
        account_table.c.code,
        account_table.c.year,
        account_table.c.debit_total,
        account_table.c.credit_total,
        account_table.c.normal_side,
    ).where(account_table.c.beschikking == nummer, account_table.c.year.is_not(None))
    for code, year, debit, credit, side in connection.execute(query):
        source = code.rsplit(":", 1)[-1]
        found[(year, source)] = found.get((year, source), 0) + (
            credit - debit if side == "credit" else debit - credit
        )
    return found


def toelichting(connection: Connection, nummer: str, year: int) -> str | None:
    """The latest toelichting of a beschikking's SiSa row of ``year``, if any."""
    return connection.execute(
        select(event_table.c.reason)
        .where(
            event_table.c.beschikking == nummer,
            event_table.c.kind == EventKind.TOELICHTING,
            event_table.c.year == year,
        )
        .order_by(event_table.c.id.desc())
        .limit(1)
    ).scalar()


def deal_from_row(connection: Connection, row: Any) -> Deal:
    return deals_from_rows(connection, [row])[0]


@dataclass(frozen=True)
class DealChanges:
    """What amendments did to a deal up to a date: its Rijksbijdrage changed by ``change``
    (cents), withdrawn on ``withdrawn_on``, looptijd extended to ``ends_on``."""

    change: int = 0
    withdrawn_on: date | None = None
    ends_on: date | None = None


def deal_changes(
    connection: Connection, codes: list[str], as_of: date = date.max, known: Any = None
) -> dict[str, DealChanges]:
    """Per deal, its amendments, withdrawal and extensions up to ``as_of`` (and, with ``known``,
    those the books held then: see ``known.Known``)."""
    a = amendment_table.c
    found: dict[str, DealChanges] = {}
    for part in chunked(codes):
        query = (
            select(a.deal, a.kind, a.amount, a.new_ends_on, a.effective_on)
            .where(a.deal.in_(part), a.kind.like("deal_%"), a.effective_on <= as_of)
            .where(*([] if known is None else [known.records(a.recorded_at)]))
            .order_by(a.id)
        )
        for row in connection.execute(query):
            now = found.get(row.deal, DealChanges())
            if row.kind == AmendmentKind.DEAL_EXTENSION:
                ends = _day(row.new_ends_on)
                now = DealChanges(
                    now.change, now.withdrawn_on, max(now.ends_on, ends) if now.ends_on else ends
                )
            else:
                withdrawn = (
                    _day(row.effective_on)
                    if row.kind == AmendmentKind.DEAL_WITHDRAWAL
                    else now.withdrawn_on
                )
                now = DealChanges(now.change + row.amount, withdrawn, now.ends_on)
            found[row.deal] = now
    return found


def deals_from_rows(
    connection: Connection, rows: list[Any], as_of: date = date.max, known: Any = None
) -> list[Deal]:
    """Deals with their programme lines and pledges, as amended up to ``as_of``: four queries
    however many deals."""
    codes = [row.code for row in rows]
    changes = deal_changes(connection, codes, as_of, known)
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
            select(pledge_table, organisation_table.c.type.label("partner_type"))
            .join(organisation_table, organisation_table.c.code == pledge_table.c.partner)
            .where(pledge_table.c.deal.in_(part))
            .order_by(pledge_table.c.id)
        ):
            pledges[p.deal].append(
                Pledge(
                    p.partner,
                    PledgeKind(p.kind),
                    Money.from_minor_units(p.amount),
                    private=p.partner_type == OrganisationType.PRIVAAT.value,
                )
            )
    return [
        _deal(row, lines[row.code], pledges[row.code], changes.get(row.code, DealChanges()))
        for row in rows
    ]


def _deal(row: Any, lines: list[str], pledges: list[Pledge], changes: DealChanges) -> Deal:
    return Deal(
        code=row.code,
        name=row.name,
        tranche=row.tranche,
        rijksbijdrage=Money.from_minor_units(row.rijksbijdrage + changes.change),
        signed_on=_day(row.signed_on),
        ends_on=max(_day(row.ends_on), changes.ends_on) if changes.ends_on else _day(row.ends_on),
        reservation=row.reservation,
        programme_lines=tuple(lines),
        pledges=tuple(pledges),
        cofinancing_exception=row.cofinancing_exception,
        withdrawn_on=changes.withdrawn_on,
    )


def deal(connection: Connection, code: str) -> Deal:
    """A deal as it stands: its Rijksbijdrage and looptijd after every amendment."""
    row = connection.execute(select(deal_table).where(deal_table.c.code == code)).first()
    if row is None:
        raise not_found("deal", code)
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
    settled_on: date | None  # the date of its vaststelling, if it is settled
    converted_to: str | None
    change: int = 0  # how wijzigingsbeschikkingen and releases changed the grant (its currency)
    eur_change: int = 0  # and what that commits in euros

    @property
    def granted(self) -> Money:
        """The grant as it stands: the beschikking's amount, changed since."""
        b = self.beschikking
        return Money.from_minor_units(b.amount.minor_units + self.change, b.amount.currency)

    @property
    def granted_eur(self) -> Money:
        return Money.from_minor_units(self.beschikking.eur_amount.minor_units + self.eur_change)

    @property
    def nummer(self) -> str:
        return self.beschikking.nummer

    @property
    def settled(self) -> bool:
        return self.settled_on is not None


def _state_query() -> Any:
    """One round trip for a beschikking's state: its row, where it sits, its latest extension,
    whether it is settled and what it was converted to. Built once; ``nummer`` is bound."""
    nummer = bindparam("nummer")
    events = event_table.c
    latest_end = (
        select(func.max(events.new_end_on))
        .where(events.beschikking == nummer, events.kind == EventKind.EXTENSION)
        .scalar_subquery()
    )
    settled = (
        select(func.min(events.effective_on))
        .where(events.beschikking == nummer, events.kind == EventKind.SETTLEMENT)
        .scalar_subquery()
    )
    successor = beschikking_table.alias("successor")
    converted_to = (
        select(successor.c.nummer).where(successor.c.converted_from == nummer).scalar_subquery()
    )
    a = amendment_table.c
    amended = select(func.coalesce(func.sum(a.amount), 0)).where(
        a.beschikking == nummer, a.kind == AmendmentKind.BESCHIKKING_AMENDMENT
    )
    amended_eur = select(func.coalesce(func.sum(func.coalesce(a.eur_amount, a.amount)), 0)).where(
        a.beschikking == nummer, a.kind == AmendmentKind.BESCHIKKING_AMENDMENT
    )
    released = select(func.coalesce(func.sum(events.amount), 0)).where(
        events.beschikking == nummer, events.kind == EventKind.RELEASE
    )
    return (
        select(
            beschikking_table,
            tranche_table.c.envelope,
            deal_table.c.tranche,
            latest_end.label("latest_end"),
            settled.label("settlements"),
            converted_to.label("converted_to"),
            amended.scalar_subquery().label("amended"),
            amended_eur.scalar_subquery().label("amended_eur"),
            released.scalar_subquery().label("released"),
        )
        .join(deal_table, deal_table.c.code == beschikking_table.c.deal)
        .join(tranche_table, tranche_table.c.code == deal_table.c.tranche)
        .where(beschikking_table.c.nummer == nummer)
    )


STATE_QUERY = _state_query()


def _day(value: Any) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) else value


def beschikking_state(connection: Connection, nummer: str) -> BeschikkingState:
    row = connection.execute(STATE_QUERY, {"nummer": nummer}).first()
    if row is None:
        raise not_found("beschikking", nummer)
    beschikking = beschikking_from_row(row)
    ends_on = beschikking.spending_ends_on
    return BeschikkingState(
        beschikking=beschikking,
        envelope=row.envelope,
        tranche=row.tranche,
        spending_ends_on=max(_day(row.latest_end), ends_on) if row.latest_end else ends_on,
        settled_on=_day(row.settlements),
        converted_to=row.converted_to,
        change=int(row.amended) - int(row.released),
        eur_change=int(row.amended_eur) - int(row.released),
    )
