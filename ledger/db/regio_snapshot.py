"""Load a ``Snapshot`` of the Regio Deals as of a date: objects that existed then, and the
balances of their accounts then."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Connection, func, select

from ledger.db import queries, regio_rows
from ledger.db.regio import budget_change_table, envelope_table, figure_table, reservation_table
from ledger.db.regio_rows import beschikking_table, deal_table, event_table, tranche_table
from ledger.db.rows import entry_table
from ledger.money import Money
from ledger.regio.model import Envelope, Reservation, Tranche
from ledger.regio.snapshot import BudgetChange, PublishedFigure, Snapshot, SpendingLine


def load_snapshot(connection: Connection, as_of: date) -> Snapshot:
    envelopes = [
        Envelope(r.code, r.name, Money.from_minor_units(r.amount), r.starts_on, r.ends_on)
        for r in connection.execute(select(envelope_table).order_by(envelope_table.c.code))
    ]
    tranches = [
        Tranche(r.code, r.envelope, r.name)
        for r in connection.execute(select(tranche_table).order_by(tranche_table.c.code))
    ]
    reservations = [
        Reservation(r.code, r.tranche, r.name)
        for r in connection.execute(select(reservation_table).order_by(reservation_table.c.code))
    ]
    deals = regio_rows.deals_from_rows(
        connection,
        connection.execute(
            select(deal_table).where(deal_table.c.signed_on <= as_of).order_by(deal_table.c.code)
        ).all(),
    )
    beschikkingen = [
        regio_rows.beschikking_from_row(r)
        for r in connection.execute(
            select(beschikking_table)
            .where(beschikking_table.c.decided_on <= as_of)
            .order_by(beschikking_table.c.nummer)
        )
    ]
    balances = {b.account: b for b in queries.balances(connection, as_of=as_of)}
    return Snapshot(
        as_of=as_of,
        envelopes=envelopes,
        tranches=tranches,
        reservations=reservations,
        deals=deals,
        beschikkingen=beschikkingen,
        budget_changes=_budget_changes(connection, as_of),
        released=_released(connection, as_of),
        balances=balances,
        spending=_spending(connection, as_of),
        published=_published(connection),
        illustrative=connection.execute(
            select(entry_table.c.id)
            .where(entry_table.c.source_document.like("illustratief%"))
            .limit(1)
        ).first()
        is not None,
    )


def _budget_changes(connection: Connection, as_of: date) -> list[BudgetChange]:
    c = budget_change_table.c
    query = (
        select(
            budget_change_table,
            entry_table.c.memo,
            entry_table.c.reason,
            entry_table.c.source_document,
        )
        .join(entry_table, entry_table.c.id == c.entry_id)
        .where(c.effective_on <= as_of)
        .order_by(c.effective_on, c.entry_id)
    )
    return [
        BudgetChange(
            r.kind,
            r.envelope,
            r.from_tranche,
            r.to_tranche,
            r.reservation,
            Money.from_minor_units(r.amount),
            r.effective_on,
            r.entry_id,
            r.memo,
            r.reason,
            r.source_document,
        )  # fmt: skip
        for r in connection.execute(query)
    ]


def _released(connection: Connection, as_of: date) -> dict[str, Money]:
    c = event_table.c
    released: dict[str, Money] = {}
    query = (
        select(c.beschikking, c.amount, beschikking_table.c.currency)
        .join(beschikking_table, beschikking_table.c.nummer == c.beschikking)
        .where(c.kind == "release", c.effective_on <= as_of)
    )
    for nummer, amount, currency in connection.execute(query):
        released[nummer] = released.get(nummer, Money.zero(currency)) + Money.from_minor_units(
            amount, currency
        )
    return released


def _spending(connection: Connection, as_of: date) -> list[SpendingLine]:
    c = event_table.c
    query = (
        select(c.beschikking, c.year, c.source, c.amount, c.partner, beschikking_table.c.currency)
        .join(beschikking_table, beschikking_table.c.nummer == c.beschikking)
        .where(c.kind == "spending", c.effective_on <= as_of)
        .order_by(c.id)
    )
    return [
        SpendingLine(
            r.beschikking, r.year, r.source, Money.from_minor_units(r.amount, r.currency), r.partner
        )
        for r in connection.execute(query)
    ]


def _published(connection: Connection) -> list[PublishedFigure]:
    return [
        PublishedFigure(
            r.kind, r.key, r.name, Money.from_minor_units(r.amount), r.published_on, r.source
        )
        for r in connection.execute(
            select(figure_table).order_by(figure_table.c.published_on, figure_table.c.id)
        )
    ]


def spending_ends(connection: Connection) -> dict[str, date]:
    """Per beschikking, the end of its spending period after extensions."""
    c = event_table.c
    query = (
        select(c.beschikking, func.max(c.new_end_on))
        .where(c.kind == "extension")
        .group_by(c.beschikking)
    )
    return {nummer: end for nummer, end in connection.execute(query)}


#: Every table a snapshot is read from. All are append-only (triggers refuse UPDATE and
#: DELETE), so together they name the state a snapshot comes from: for a table with a numeric
#: key its highest key (one index lookup, however long the journal), for the small tables keyed
#: by a code their row count.
GROWING_BY_ID = (
    "budget_change",
    "pledge",
    "beschikking_event",
    "published_figure",
    "account",
    "journal_entry",
)
COUNTED = (
    "organisation",
    "envelope",
    "tranche",
    "reservation",
    "deal",
    "programme_line",
    "beschikking",
)
_VERSION_QUERY = "SELECT " + ", ".join(
    [f"(SELECT coalesce(max(id), 0) FROM {table})" for table in GROWING_BY_ID]
    + [f"(SELECT count(*) FROM {table})" for table in COUNTED]
)


def ledger_version(connection: Connection) -> tuple[int, ...]:
    """A cheap fingerprint of everything a snapshot reads: equal versions, equal snapshots
    (for the same date). One query; what is derived from a snapshot may be kept under it."""
    return tuple(connection.exec_driver_sql(_VERSION_QUERY).one())
