"""Corrections of the accounting through the domain: a statement withdrawn, a final year's
spending corrected through the SiSa procedure, and the deadline for corrections of a year."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Connection

from ledger.clock import today
from ledger.db.journal import book_entries
from ledger.db.rows import load_entries
from ledger.entries import reverse_entry
from ledger.errors import LedgerError, raise_if_any
from ledger.money import Money
from ledger.posted import PostedEntry
from ledger.regio import bookings, chart, rules
from ledger.regio.db import records
from ledger.regio.db import rows as regio_rows
from ledger.regio.db.corrections import CorrectionBase
from ledger.regio.db.statements import submitted_through
from ledger.regio.db.tables import amendment_table
from ledger.regio.model import AmendmentKind, FundingSource, Who
from ledger.said import said


class AccountabilityCorrections(CorrectionBase):
    """Corrections of what was accounted for: a statement withdrawn, the SiSa correction
    procedure of a final year."""

    def withdraw_statement(
        self, nummer: str, statement: str, *, key: str, who: Who, organisation: str | None = None
    ) -> list[PostedEntry]:
        """Withdraw a booked statement (its public id): its bookings are reversed and its lines
        stop counting. A region withdraws only its own; a final year is corrected through the
        SiSa procedure instead."""
        from ledger.regio.db.statements import current_statement_row

        with self._write() as connection:
            if (
                done := records.replay(connection, key, AmendmentKind.STATEMENT_WITHDRAWAL)
            ) is not None:
                return load_entries(
                    connection, ids=[i for i in (done.entry_id, done.in_kind_entry_id) if i]
                )
            state = regio_rows.beschikking_state(connection, nummer)
            if organisation is not None and state.beschikking.recipient != organisation:
                raise regio_rows.not_found("beschikking", nummer)
            row = current_statement_row(connection, nummer, statement)
            raise_if_any(
                rules.check_statement_withdrawal(
                    nummer, statement, row, records.final_years(connection, nummer), state.settled
                )
            )
            raise_if_any(
                rules.check_not_submitted(nummer, row.year, submitted_through(connection, nummer))
            )
            reversals = [
                reverse_entry(
                    original.to_entry(),
                    key=f"{key}:{part}",
                    actor=who.actor,
                    reason=who.reason,
                    memo=f"Statement {statement} of {nummer} {row.year} withdrawn: {who.reason}",
                )
                for part, original in zip(
                    ("cash", "in-kind"), self._entries_of(connection, row), strict=True
                )
                if original is not None
            ]
            posted = {
                p.key.rsplit(":", 1)[-1]: p for p in book_entries(connection, reversals, self.clock)
            }
            records.write_row(
                connection,
                amendment_table,
                key=key,
                kind=AmendmentKind.STATEMENT_WITHDRAWAL,
                beschikking=nummer,
                statement_id=row.id,
                year=row.year,
                effective_on=reversals[0].effective_on,
                actor=who.actor,
                reason=who.reason,
                recorded_at=self.clock(),
                entry_id=posted["cash"].sequence if "cash" in posted else None,
                in_kind_entry_id=posted["in-kind"].sequence if "in-kind" in posted else None,
            )
        return list(posted.values())

    @staticmethod
    def _entries_of(connection: Connection, row: Any) -> list[PostedEntry | None]:
        found = {
            p.sequence: p
            for p in load_entries(
                connection, ids=[i for i in (row.entry_id, row.in_kind_entry_id) if i]
            )
        }
        return [found.get(row.entry_id), found.get(row.in_kind_entry_id)]

    def correct_final_year(
        self,
        nummer: str,
        year: int,
        source: FundingSource,
        amount: Money,
        *,
        on: date,
        key: str,
        who: Who,
        partner: str | None = None,
    ) -> PostedEntry:
        """The SiSa correction procedure: spending of a year up to the eindverantwoording is
        corrected by ``amount`` (negative: less), with its reason; the next submission lists the
        change as was/wordt with that reason."""
        with self._write() as connection:
            if (done := records.replay(connection, key, AmendmentKind.SISA_CORRECTION)) is not None:
                return load_entries(connection, ids=[done.entry_id])[0]
            state = regio_rows.beschikking_state(connection, nummer)
            closed = [records.final_year(connection, nummer), submitted_through(connection, nummer)]
            problems = rules.check_final_year_correction(
                state.beschikking,
                year,
                max((y for y in closed if y is not None), default=None),
                state.settled,
                amount,
                source,
                partner,
            )
            problems += rules.check_correction_deadline(  # when it is made, not its date
                year, regio_rows.correction_deadline(connection, year), max(on, today())
            )
            raise_if_any(problems)
            entry = bookings.record_spending(
                f"sisa-correction:{key}",
                who,
                on,
                state.beschikking,
                year,
                source,
                amount,
                memo=f"SiSa-correctie {year} {nummer} ({source.value}): {amount}; {who.reason}",
            )
            accounts = chart.spending_accounts(
                state.beschikking, state.envelope, state.tranche, year, source
            )
            posted = self._book(connection, entry, accounts, who)
            self._amendment(
                connection,
                key,
                AmendmentKind.SISA_CORRECTION,
                on,
                who,
                posted,
                beschikking=nummer,
                year=year,
                source=source.value,
                amount=amount.minor_units,
            )
        return posted

    def set_correction_deadline(self, year: int, until: date, *, who: Who) -> dict[str, object]:
        """The last day a correction of SiSa year ``year`` is made on that year, with the source
        that sets it; set once (the same again is a retry)."""
        raise_if_any(rules.check_correction_deadline_date(year, until))
        source = who.source_document or who.reason
        with self._write() as connection:
            known = regio_rows.correction_deadline(connection, year)
            if known is None:
                records.write_row(
                    connection,
                    regio_rows.correction_deadline_table,
                    year=year,
                    until=until,
                    source=source,
                    actor=who.actor,
                    recorded_at=self.clock(),
                )
            elif known != until:
                raise LedgerError.single(
                    "deadline_exists",
                    said(
                        "The corrections of {year} already close on {known}.",
                        year=year,
                        known=known,
                    ),
                )
        return {"year": year, "until": until.isoformat(), "source": source}
