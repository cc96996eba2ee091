"""Deals (convenanten) and the organisations that are their partners and recipients."""

from __future__ import annotations

from sqlalchemy import Connection

from ledger.errors import LedgerError, raise_if_any
from ledger.posted import PostedEntry
from ledger.regio import bookings, chart, rules
from ledger.regio.db import records
from ledger.regio.db import rows as regio_rows
from ledger.regio.db.tables import deal_table, line_table, pledge_table
from ledger.regio.db.writer import Writer
from ledger.regio.model import (
    Deal,
    Organisation,
    Who,
)
from ledger.said import said


class DealOperations(Writer):
    """A deal commits tranche money on its signing date, after its tranche received its budget."""

    def add_organisation(self, organisation: Organisation) -> Organisation:
        raise_if_any(rules.check_codes(organisation=organisation.code))
        with self._write() as connection:
            existing = regio_rows.organisation(connection, organisation.code)
            if existing is None:
                records.write_row(
                    connection,
                    regio_rows.organisation_table,
                    code=organisation.code,
                    name=organisation.name,
                    type=organisation.type.value,
                )
            elif existing != organisation:
                raise LedgerError.single(
                    "organisation_exists",
                    said(
                        "Organisation {organisation} exists with other details.",
                        organisation=organisation.code,
                    ),
                )
        return organisation

    def sign_deal(self, deal: Deal, *, key: str, who: Who) -> PostedEntry:
        entry = bookings.sign_deal(key, who, deal)
        with self._write() as connection:
            if replay := records.replayed(connection, entry):
                return replay
            envelope = regio_rows.envelope_of_tranche(connection, deal.tranche)
            problems = rules.check_deal(deal)
            problems += rules.check_deal_dates(
                deal,
                regio_rows.envelope(connection, envelope),
                regio_rows.budget_since(connection, deal.tranche, deal.reservation),
            )
            if records.exists(connection, deal_table.c.code, deal.code):
                problems.append(
                    rules.problem(
                        "deal_exists",
                        said("Deal {deal} is already signed.", deal=deal.code),
                    )
                )
            for pledge in deal.pledges:
                problems += rules.check_partner(
                    regio_rows.organisation(connection, pledge.partner), pledge.partner
                )
            raise_if_any(problems)
            posted = self._book(connection, entry, chart.deal_accounts(deal, envelope), who)
            self._insert_deal(connection, deal, posted)
        return posted

    def _insert_deal(self, connection: Connection, deal: Deal, posted: PostedEntry) -> None:
        records.write_row(
            connection,
            deal_table,
            code=deal.code,
            name=deal.name,
            tranche=deal.tranche,
            reservation=deal.reservation,
            rijksbijdrage=deal.rijksbijdrage.minor_units,
            signed_on=deal.signed_on,
            ends_on=deal.ends_on,
            cofinancing_exception=deal.cofinancing_exception,
            entry_id=posted.sequence,
        )
        for line in deal.programme_lines:
            records.write_row(connection, line_table, deal=deal.code, code=line)
        for pledge in deal.pledges:
            records.write_row(
                connection,
                pledge_table,
                deal=deal.code,
                partner=pledge.partner,
                kind=pledge.kind.value,
                amount=pledge.amount.minor_units,
            )
