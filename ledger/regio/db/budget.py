"""The budget: envelopes and their tranches, allocations, shifts between tranches, money from
outside, reservations; the regeling a tranche follows; published figures to compare with."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from sqlalchemy import Connection, select

from ledger.db.service import open_accounts
from ledger.entries import JournalEntry
from ledger.errors import LedgerError, raise_if_any
from ledger.money import Money
from ledger.posted import PostedEntry
from ledger.regio import bookings, chart, rules
from ledger.regio.db import records
from ledger.regio.db import rows as regio_rows
from ledger.regio.db.regeling_tables import regeling_table, tranche_regeling_table
from ledger.regio.db.tables import (
    budget_change_table,
    envelope_table,
    figure_table,
    reservation_table,
)
from ledger.regio.db.writer import Writer
from ledger.regio.model import (
    BudgetChangeKind,
    Envelope,
    Reservation,
    Tranche,
    Who,
)
from ledger.regio.regelingen import Regeling, check_instruments, check_regeling_period
from ledger.said import Said, said


class BudgetOperations(Writer):
    """Each budget change is dated, sourced and inside its envelope's period."""

    def open_envelope(self, envelope: Envelope, *, key: str, who: Who) -> PostedEntry:
        raise_if_any(rules.check_envelope(envelope))
        entry = bookings.fund_envelope(key, who, envelope)
        with self._write() as connection:
            if replay := records.replayed(connection, entry):
                return replay
            if records.exists(connection, envelope_table.c.code, envelope.code):
                raise LedgerError.single(
                    "envelope_exists",
                    said("Envelope {envelope} already exists.", envelope=envelope.code),
                )
            records.write_row(
                connection,
                envelope_table,
                code=envelope.code,
                name=envelope.name,
                amount=envelope.amount.minor_units,
                starts_on=envelope.starts_on,
                ends_on=envelope.ends_on,
                source_document=who.source_document,
            )
            posted = self._book(connection, entry, chart.envelope_accounts(envelope), who)
            self._budget_change(
                connection,
                key,
                BudgetChangeKind.FUND,
                envelope.code,
                envelope.amount,
                envelope.starts_on,
                posted,
            )
        return posted

    def open_tranche(self, tranche: Tranche) -> Tranche:
        raise_if_any(rules.check_codes(tranche=tranche.code, envelope=tranche.envelope))
        with self._write() as connection:
            known = connection.execute(
                select(regio_rows.tranche_table).where(
                    regio_rows.tranche_table.c.code == tranche.code
                )
            ).first()
            if known is None:
                records.write_row(
                    connection,
                    regio_rows.tranche_table,
                    code=tranche.code,
                    envelope=tranche.envelope,
                    name=tranche.name,
                )
                open_accounts(
                    connection,
                    chart.tranche_accounts(tranche),
                    actor="system",
                    opened_at=self.clock(),
                )
            elif (known.envelope, known.name) != (tranche.envelope, tranche.name):
                raise LedgerError.single(
                    "tranche_exists",
                    said("Tranche {tranche} exists with other details.", tranche=tranche.code),
                )
        return tranche

    def _budget_change(
        self,
        connection: Connection,
        key: str,
        kind: str,
        envelope: str,
        amount: Money,
        on: date,
        posted: PostedEntry,
        **where: str | None,
    ) -> None:
        records.write_row(
            connection,
            budget_change_table,
            key=key,
            kind=kind,
            envelope=envelope,
            amount=amount.minor_units,
            effective_on=on,
            entry_id=posted.sequence,
            **where,
        )

    def _move_budget(
        self,
        kind: str,
        what: Said,
        tranche: str,
        amount: Money,
        on: date,
        key: str,
        who: Who,
        build: Callable[[str], JournalEntry],
        *,
        to_tranche: str | None = None,
        reservation: Reservation | None = None,
    ) -> PostedEntry:
        """A dated, sourced change of a tranche's budget, inside its envelope's period; ``build``
        makes the entry from the envelope's code. A shift stays inside one envelope."""
        with self._write() as connection:
            envelope = regio_rows.envelope_of_tranche(connection, tranche)
            entry = build(envelope)
            if replay := records.replayed(connection, entry):
                return replay
            problems = rules.check_in_envelope(what, on, regio_rows.envelope(connection, envelope))
            if kind == BudgetChangeKind.SHIFT and to_tranche is not None:
                problems += rules.check_same_envelope(
                    tranche,
                    envelope,
                    to_tranche,
                    regio_rows.envelope_of_tranche(connection, to_tranche),
                )
            raise_if_any(problems)
            accounts = []
            if reservation is not None:
                self._keep_reservation(connection, reservation)
                accounts = chart.reservation_accounts(reservation, envelope)
            posted = self._book(connection, entry, accounts, who)
            where = (
                {"to_tranche": to_tranche}
                if kind != BudgetChangeKind.RESERVE
                else {"reservation": reservation.code}
            )  # type: ignore[union-attr]
            if kind in (BudgetChangeKind.SHIFT, BudgetChangeKind.RESERVE):
                where["from_tranche"] = tranche
            self._budget_change(connection, key, kind, envelope, amount, on, posted, **where)
        return posted

    def allocate(self, tranche: str, amount: Money, *, on: date, key: str, who: Who) -> PostedEntry:
        return self._move_budget(
            BudgetChangeKind.ALLOCATE,
            said("The allocation to tranche {tranche}", tranche=tranche),
            tranche,
            amount,
            on,
            key,
            who,
            lambda envelope: bookings.allocate_tranche(key, who, on, envelope, tranche, amount),
            to_tranche=tranche,
        )

    def shift(
        self, from_tranche: str, to_tranche: str, amount: Money, *, on: date, key: str, who: Who
    ) -> PostedEntry:
        return self._move_budget(
            BudgetChangeKind.SHIFT,
            (
                said(
                    "The shift from {from_tranche} to {to_tranche}",
                    from_tranche=from_tranche,
                    to_tranche=to_tranche,
                ),
            ),
            from_tranche,
            amount,
            on,
            key,
            who,
            lambda _: bookings.shift_between_tranches(
                key, who, on, from_tranche, to_tranche, amount
            ),
            to_tranche=to_tranche,
        )

    def add_from_outside(
        self, tranche: str, amount: Money, *, on: date, key: str, who: Who
    ) -> PostedEntry:
        return self._move_budget(
            BudgetChangeKind.ADD,
            said("Money added to tranche {tranche}", tranche=tranche),
            tranche,
            amount,
            on,
            key,
            who,
            lambda envelope: bookings.add_to_envelope(key, who, on, envelope, tranche, amount),
            to_tranche=tranche,
        )

    def reserve(
        self, reservation: Reservation, amount: Money, *, on: date, key: str, who: Who
    ) -> PostedEntry:
        raise_if_any(rules.check_codes(reservation=reservation.code, tranche=reservation.tranche))
        return self._move_budget(
            BudgetChangeKind.RESERVE,
            said("The reservation {reservation}", reservation=reservation.code),
            reservation.tranche,
            amount,
            on,
            key,
            who,
            lambda _: bookings.reserve(key, who, on, reservation.tranche, reservation.code, amount),
            reservation=reservation,
        )

    def _keep_reservation(self, connection: Connection, reservation: Reservation) -> None:
        if not records.exists(connection, reservation_table.c.code, reservation.code):
            records.write_row(
                connection,
                reservation_table,
                code=reservation.code,
                tranche=reservation.tranche,
                name=reservation.name,
            )

    def add_regeling(self, regeling: Regeling, *, who: Who) -> dict[str, object]:
        """A regeling as published: the grant regulation beschikkingen are decided under and the
        SiSa block they are accounted for in. The same details again are a retry."""
        code = regeling.code
        raise_if_any(
            rules.check_codes(regeling=code)
            + check_regeling_period(regeling.starts_on, regeling.ends_on)
            + check_instruments(regeling.instruments)
        )
        values = {
            "code": code,
            "name": regeling.name,
            "ministry": regeling.ministry,
            "source": regeling.source,
            "instruments": ",".join(regeling.instruments) or None,
            "starts_on": regeling.starts_on,
            "ends_on": regeling.ends_on,
            "sisa_code": regeling.sisa_code,
        }
        with self._write() as connection:
            known = connection.execute(
                select(regeling_table).where(regeling_table.c.code == code)
            ).first()
            if known is None:
                records.write_row(
                    connection, regeling_table, **values, actor=who.actor, recorded_at=self.clock()
                )
            elif {k: getattr(known, k) for k in values} != values:
                raise LedgerError.single(
                    "regeling_exists",
                    said("Regeling {code} exists with other details.", code=code),
                )
        return regeling.as_dict()

    def assign_regeling(self, tranche: str, regeling: str, *, who: Who) -> dict[str, str]:
        """Which regeling a tranche's beschikkingen follow; set once (its SiSa rows depend on it)."""
        with self._write() as connection:
            regio_rows.envelope_of_tranche(connection, tranche)
            if not records.exists(connection, regeling_table.c.code, regeling):
                raise regio_rows.not_found("regeling", regeling)
            known = connection.execute(
                select(tranche_regeling_table.c.regeling).where(
                    tranche_regeling_table.c.tranche == tranche
                )
            ).scalar()
            raise_if_any(rules.check_regeling_assignment(tranche, known, regeling))
            if known is None:
                records.write_row(
                    connection,
                    tranche_regeling_table,
                    tranche=tranche,
                    regeling=regeling,
                    actor=who.actor,
                    reason=who.reason,
                    recorded_at=self.clock(),
                )
        return {"tranche": tranche, "regeling": regeling}

    def add_published_figure(
        self,
        kind: str,
        key: str,
        name: str,
        amount: Money,
        published_on: date,
        source: str,
        dated: bool = True,
    ) -> None:
        with self._write() as connection:
            exists = connection.execute(
                select(figure_table.c.id).where(
                    figure_table.c.kind == kind,
                    figure_table.c.key == key,
                    figure_table.c.published_on == published_on,
                )
            ).first()
            if exists is None:
                records.write_row(
                    connection,
                    figure_table,
                    kind=kind,
                    key=key,
                    name=name,
                    amount=amount.minor_units,
                    published_on=published_on,
                    source=source,
                    dated=dated,
                )
