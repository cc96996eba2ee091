"""Budget events that are no tranche budget: envelope money set aside for a purpose that is no
deal, a transfer between budget articles that moves no envelope money, and the rest of a
reservation back to its tranche. Each is dated inside its envelope, sourced, booked once and
recorded in ``budget_event``; the database keeps every balance from going below zero."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from ledger.accounts import Account
from ledger.entries import JournalEntry
from ledger.errors import LedgerError, raise_if_any
from ledger.money import Money
from ledger.posted import PostedEntry
from ledger.regio import bookings, chart, rules
from ledger.regio.db import records
from ledger.regio.db import rows as regio_rows
from ledger.regio.db.tables import budget_event_table, reservation_table
from ledger.regio.db.writer import Writer
from ledger.regio.model import BudgetEventKind, Who
from ledger.said import said


class BudgetEventOperations(Writer):
    """What moves a budget without being a tranche's budget."""

    def set_aside(
        self,
        envelope: str,
        purpose: str,
        name: str,
        amount: Money,
        *,
        on: date,
        key: str,
        who: Who,
    ) -> PostedEntry:
        """Envelope money for a purpose that is no deal (no tranche, no beschikking): it leaves
        the envelope's unallocated money, which the database keeps from going below zero."""
        raise_if_any(rules.check_codes(envelope=envelope, purpose=purpose))
        entry = bookings.set_aside(key, who, on, envelope, purpose, name, amount)
        return self._budget_event(
            BudgetEventKind.SET_ASIDE,
            envelope,
            None,
            purpose,
            name,
            amount,
            on,
            key,
            who,
            entry,
            chart.set_aside_accounts(envelope, purpose, name),
        )

    def record_article_transfer(
        self, tranche: str, name: str, amount: Money, *, on: date, key: str, who: Who
    ) -> PostedEntry:
        """A transfer between budget articles for a tranche (the money moves on the Rijksbegroting,
        from the aanvullende post to a ministry's article): recorded, dated and sourced, on its
        own pair of accounts, so the published figure is reproduced; no envelope money moves."""
        with self._write() as connection:
            envelope = regio_rows.envelope_of_tranche(connection, tranche)
        entry = bookings.article_transfer(key, who, on, envelope, tranche, name, amount)
        return self._budget_event(
            BudgetEventKind.ARTICLE_TRANSFER,
            envelope,
            tranche,
            tranche,
            name,
            amount,
            on,
            key,
            who,
            entry,
            chart.budget_article_accounts(envelope, tranche),
        )

    def release_reservation(
        self, reservation: str, amount: Money, *, on: date, key: str, who: Who
    ) -> PostedEntry:
        """What a reservation will not be used for goes back to its tranche's free money; the
        database keeps the reservation from going below zero on any date."""
        with self._write() as connection:
            row = connection.execute(
                select(reservation_table).where(reservation_table.c.code == reservation)
            ).first()
            if row is None:
                raise LedgerError.single(
                    "reservation_not_found",
                    said("There is no reservation {reservation}.", reservation=reservation),
                )
            envelope = regio_rows.envelope_of_tranche(connection, row.tranche)
        entry = bookings.release_reservation(key, who, on, row.tranche, reservation, amount)
        return self._budget_event(
            BudgetEventKind.RESERVE_RELEASE,
            envelope,
            row.tranche,
            reservation,
            row.name,
            amount,
            on,
            key,
            who,
            entry,
            [],
        )

    def _budget_event(
        self,
        kind: str,
        envelope: str,
        tranche: str | None,
        purpose: str,
        name: str,
        amount: Money,
        on: date,
        key: str,
        who: Who,
        entry: JournalEntry,
        accounts: list[Account],
    ) -> PostedEntry:
        with self._write() as connection:
            if replay := records.replayed(connection, entry):
                return replay
            what = said("The budget event {name}", name=name)
            raise_if_any(
                rules.check_in_envelope(what, on, regio_rows.envelope(connection, envelope))
            )
            posted = self._book(connection, entry, accounts, who)
            records.write_row(
                connection,
                budget_event_table,
                key=key,
                kind=kind,
                envelope=envelope,
                tranche=tranche,
                purpose=purpose,
                name=name,
                amount=amount.minor_units,
                effective_on=on,
                entry_id=posted.sequence,
            )
        return posted
