"""Reads scoped to what they show: one beschikking's, one deal's, one recipient's or one
tranche's part of the books costs what that part costs, however large the ledger around it.

``load_scoped_snapshot`` reads the beschikkingen asked for (``Scope``: by nummer, deal, recipient,
the deals a recipient receives for, or tranche) and the SPUKs they were converted into, their
deals (a deal's or a tranche's even without grants) and what they commit, their grant changes
and recorded spending, the names of their recipients and partners, and the balances of their own accounts only (an account's ``beschikking`` dimension;
totals summed in SQL as of the date and as recorded by the moment).
Every other part of the ``Snapshot`` it answers is empty: what reads the whole books (the
overview, the tranche reconciliation) reads ``load_snapshot``.
``tests/scenarios/test_history.py`` holds that for every beschikking, deal and recipient of the
demo, at several dates and as the books stood halfway, the scoped read says what the whole
snapshot says."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, or_, select

from ledger.db import queries
from ledger.regio.db import rows as regio_rows
from ledger.regio.db.known import Known
from ledger.regio.db.snapshot import commitments, grant_changes, illustrative, recorded_spending
from ledger.regio.db.tables import beschikking_table, deal_table, organisation_table
from ledger.regio.snapshot import Snapshot


@dataclass(frozen=True)
class Scope:
    """Which part of the books a read shows; every part given narrows it."""

    nummer: str | None = None
    deal: str | None = None
    recipient: str | None = None  # its own beschikkingen
    receiving: str | None = None  # every beschikking of the deals this organisation receives for
    tranche: str | None = None

    def beschikkingen(self) -> Any:
        """The nummers of the beschikkingen in scope, as a subquery."""
        b, d = beschikking_table.c, deal_table.c
        chosen = select(b.nummer)
        for column, wanted in (
            (b.nummer, self.nummer),
            (b.deal, self.deal),
            (b.recipient, self.recipient),
        ):
            if wanted is not None:
                chosen = chosen.where(column == wanted)
        if self.receiving is not None:
            chosen = chosen.where(
                b.deal.in_(select(b.deal).where(b.recipient == self.receiving).distinct())
            )
        if self.tranche is not None:
            chosen = chosen.where(b.deal.in_(select(d.code).where(d.tranche == self.tranche)))
        return chosen.scalar_subquery()

    def deals(self) -> Any:
        """The deals in scope by themselves, with or without grants (a deal's or a tranche's,
        when nothing narrows the scope to beschikkingen)."""
        d = deal_table.c
        if self.nummer or self.recipient or self.receiving or not (self.deal or self.tranche):
            return None
        chosen = select(d.code)
        if self.deal is not None:
            chosen = chosen.where(d.code == self.deal)
        if self.tranche is not None:
            chosen = chosen.where(d.tranche == self.tranche)
        return chosen.scalar_subquery()


def load_scoped_snapshot(
    connection: Connection, scope: Scope, as_of: date, recorded_as_of: datetime | None = None
) -> Snapshot:
    """The books as a read of ``scope`` needs them (see the module's text)."""
    known = Known.at_moment(connection, recorded_as_of)
    b = beschikking_table.c
    chosen = scope.beschikkingen()
    beschikkingen = [
        regio_rows.beschikking_from_row(row)
        for row in connection.execute(
            select(beschikking_table)
            .where(
                or_(b.nummer.in_(chosen), b.converted_from.in_(chosen)),
                b.decided_on <= as_of,
                known.entries(b.entry_id),
            )
            .order_by(b.nummer)
        )
    ]
    nummers = [found.nummer for found in beschikkingen]
    d = deal_table.c
    of_grants = d.code.in_(sorted({found.deal for found in beschikkingen}))
    own_deals = scope.deals()
    deals = regio_rows.deals_from_rows(
        connection,
        connection.execute(
            select(deal_table)
            .where(
                of_grants if own_deals is None else or_(of_grants, d.code.in_(own_deals)),
                d.signed_on <= as_of,
                known.entries(d.entry_id),
            )
            .order_by(d.code)
        ).all(),
        as_of,
        known,
    )
    balances = queries.balances(
        connection, beschikkingen=nummers, as_of=as_of, recorded_as_of=recorded_as_of
    )
    named = sorted(
        {found.recipient for found in beschikkingen}
        | {pledge.partner for deal in deals for pledge in deal.pledges}
    )
    return Snapshot(
        as_of=as_of,
        envelopes=[],
        tranches=[],
        reservations=[],
        deals=deals,
        beschikkingen=beschikkingen,
        budget_changes=[],
        grant_changes=grant_changes(connection, as_of, known, nummers=nummers),
        commitments=commitments(connection, deals, as_of, known),
        spending=recorded_spending(connection, as_of, known, nummers),
        illustrative=illustrative(connection, known),
        balances={found.account: found for found in balances},
        organisations=_names(connection, named),
    )


def _names(connection: Connection, codes: list[str]) -> dict[str, str]:
    o = organisation_table.c
    return dict(connection.execute(select(o.code, o.name).where(o.code.in_(codes))).all())


def load_beschikking_snapshot(
    connection: Connection, nummer: str, as_of: date, recorded_as_of: datetime | None = None
) -> Snapshot:
    """One beschikking's part of the books (and the SPUK it was converted into)."""
    return load_scoped_snapshot(connection, Scope(nummer=nummer), as_of, recorded_as_of)
