"""Beschikkingen and their payments: granting under a signed deal, paying between decision and
settlement, extending the spending period, and converting a DU into a SPUK."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Connection, select

from ledger.db.journal import book_entries_noting_new
from ledger.db.rows import load_entries
from ledger.db.service import open_accounts
from ledger.errors import LedgerError, raise_if_any
from ledger.money import Money
from ledger.posted import PostedEntry
from ledger.regio import bookings, chart, rules
from ledger.regio.db import records
from ledger.regio.db import rows as regio_rows
from ledger.regio.db.regeling_tables import beschikking_regeling_table
from ledger.regio.db.tables import beschikking_table
from ledger.regio.db.writer import Amount, Writer, in_currency_of
from ledger.regio.model import (
    Beschikking,
    Deal,
    EventKind,
    SpukTerms,
    Who,
)
from ledger.regio.regelingen import Regeling, check_decided_under
from ledger.said import said


class BeschikkingOperations(Writer):
    """What is decided and paid out on a beschikking."""

    def grant(self, beschikking: Beschikking, *, key: str, who: Who) -> PostedEntry:
        with self._write() as connection:
            return self._grant(connection, beschikking, key, who)

    def _grant(
        self, connection: Connection, beschikking: Beschikking, key: str, who: Who
    ) -> PostedEntry:
        raise_if_any(rules.check_beschikking(beschikking))
        entry = bookings.grant(key, who, beschikking)
        if replay := records.replayed(connection, entry):
            return replay
        if records.exists(connection, beschikking_table.c.nummer, beschikking.nummer):
            raise LedgerError.single(
                "beschikking_exists",
                said("Beschikking {beschikking} already exists.", beschikking=beschikking.nummer),
            )
        deal = regio_rows.deal(connection, beschikking.deal)
        envelope = regio_rows.envelope_of_tranche(connection, deal.tranche)
        problems = rules.check_recipient(
            regio_rows.organisation(connection, beschikking.recipient),
            beschikking.nummer,
            beschikking.instrument,
        )
        problems += rules.check_grant_dates(
            beschikking, deal, regio_rows.envelope(connection, envelope)
        )
        if deal.withdrawn_on is not None:
            problems += rules.check_deal_open(deal, beschikking.decided_on)
        if (decided_under := self._regeling_of(connection, beschikking, deal)) is not None:
            problems += check_decided_under(decided_under, beschikking)
        raise_if_any(problems)
        regeling = decided_under.code if decided_under is not None else None
        posted = self._book(
            connection, entry, chart.beschikking_accounts(beschikking, envelope, deal.tranche), who
        )
        b = beschikking
        records.write_row(
            connection,
            beschikking_table,
            nummer=b.nummer,
            deal=b.deal,
            instrument=b.instrument.value,
            recipient=b.recipient,
            currency=b.amount.currency,
            amount=b.amount.minor_units,
            eur_commitment=b.eur_amount.minor_units,
            usd_per_eur=str(b.usd_per_eur) if b.usd_per_eur else None,
            decided_on=b.decided_on,
            spending_starts_on=b.spending_starts_on,
            spending_ends_on=b.spending_ends_on,
            converted_from=b.converted_from,
            entry_id=posted.sequence,
        )
        if regeling is not None:
            records.write_row(
                connection,
                beschikking_regeling_table,
                nummer=b.nummer,
                regeling=regeling,
                actor=who.actor,
                recorded_at=self.clock(),
            )
        return posted

    @staticmethod
    def _regeling_of(
        connection: Connection, beschikking: Beschikking, deal: Deal
    ) -> Regeling | None:
        """The regeling a beschikking is decided under, read once: the one it names, else its
        tranche's where that covers its instrument (a DU is paid through the Gemeentefonds, a
        BU under the Wet FinBES: not under a SPUK regeling)."""
        if beschikking.regeling is not None:
            return regio_rows.regeling(connection, beschikking.regeling)
        code = regio_rows.regeling_of_tranche(connection, deal.tranche)
        if code is None:
            return None
        found = regio_rows.regeling(connection, code)
        covered = found.instruments
        return found if not covered or beschikking.instrument.value in covered else None

    def pay(
        self,
        nummer: str,
        amount: Amount,
        *,
        on: date,
        key: str,
        who: Who,
        eur_paid: Money | None = None,
    ) -> PostedEntry:
        """A payment (voorschot); a bare Decimal is in the beschikking's own currency. For a
        foreign-currency grant, ``eur_paid`` is what it really cost in euros on its date (with
        its source): the difference with the grant's rate is an exchange difference."""
        with self._write() as connection:
            state = regio_rows.beschikking_state(connection, nummer)
            amount = in_currency_of(state, amount)
            if eur_paid is not None:
                raise_if_any(rules.check_eur_paid(state.beschikking, amount, eur_paid, who))
                open_accounts(
                    connection,
                    chart.fx_difference_accounts(state.beschikking, state.envelope, state.tranche),
                    actor=who.actor,
                    opened_at=self.clock(),
                )
            entry = bookings.pay(key, who, on, state.beschikking, amount, eur_paid)
            if state.settled or state.converted_to is not None:  # closed: only a retry passes
                if replay := records.replayed(connection, entry):
                    return replay
                records.check_open(state)
            raise_if_any(rules.check_payment_date(state.beschikking, on))
            [(posted, new)] = book_entries_noting_new(connection, [entry], self.clock)
            if new:  # a retry found its first booking: that booking has its event already
                self._event(
                    connection,
                    key,
                    nummer,
                    EventKind.PAYMENT,
                    on,
                    who,
                    posted,
                    amount=amount.minor_units,
                )
        return posted

    def extend(self, nummer: str, new_end: date, *, on: date, key: str, who: Who) -> date:
        """Verlenging: the spending period ends later; no money moves."""
        with self._write() as connection:
            same = {"beschikking": nummer, "new_end_on": new_end}
            if records.replay(connection, key, EventKind.EXTENSION, **same) is not None:
                return new_end
            state = records.open_state(connection, nummer)
            deal = regio_rows.deal(connection, state.beschikking.deal)
            raise_if_any(
                rules.check_not_extended_after_final(
                    nummer, records.final_years(connection, nummer)
                )
                + rules.check_extension(nummer, state.spending_ends_on, new_end)
                + rules.check_extension_dates(state.beschikking, on, new_end, deal.ends_on)
            )
            self._event(
                connection, key, nummer, EventKind.EXTENSION, on, who, None, new_end_on=new_end
            )
        return new_end

    def convert_du_to_spuk(
        self, du_nummer: str, spuk: Beschikking, *, on: date, key: str, who: Who
    ) -> PostedEntry:
        """The DU's unpaid remainder goes back to the deal and is granted again as a new, linked
        SPUK; the DU keeps what it was paid. Both histories stay in the journal."""
        with self._write() as connection:
            if (
                replay := connection.execute(
                    select(beschikking_table.c.nummer).where(
                        beschikking_table.c.converted_from == du_nummer
                    )
                ).scalar()
            ) is not None:
                raise_if_any(rules.check_converted_once(du_nummer, replay, spuk.nummer))
                return load_entries(connection, keys=[f"{key}:grant"])[0]
            state = records.open_state(connection, du_nummer)
            remaining = records.stage_balances(connection, du_nummer)["unpaid"]
            raise_if_any(rules.check_du_conversion(state.beschikking, spuk, remaining))
            release = bookings.release_grant(
                f"{key}:release", who, on, state.beschikking, remaining, remaining
            )
            released = self._book(connection, release, [], who)
            self._event(
                connection,
                f"{key}:release",
                du_nummer,
                EventKind.RELEASE,
                on,
                who,
                released,
                amount=remaining.minor_units,
            )
            return self._grant(connection, spuk, f"{key}:grant", who)

    def unpaid_of(self, connection: Connection, nummer: str) -> Money:
        """What of a beschikking's grant is not paid yet (what a DU→SPUK conversion takes over)."""
        return records.stage_balances(connection, nummer)["unpaid"]

    def convert_remainder(
        self, du_nummer: str, terms: SpukTerms, *, on: date, key: str, who: Who
    ) -> PostedEntry:
        """``convert_du_to_spuk`` for a caller who names only the SPUK's own terms: the DU gives
        its deal, recipient and unpaid remainder (read first, checked again as it is booked)."""
        with self._write() as connection:
            du = regio_rows.beschikking_state(connection, du_nummer).beschikking
            remaining = records.stage_balances(connection, du_nummer)["unpaid"]
        return self.convert_du_to_spuk(du_nummer, terms.of(du, remaining), on=on, key=key, who=who)
