"""Accountability: spending booked against a beschikking, eindverantwoording and its toelichting,
vaststelling (settlement) and the repayment of a terugvordering."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date

from sqlalchemy import Connection, func, select, update

from ledger.clock import today
from ledger.db.errors import translate_database_error
from ledger.db.rows import account_table, load_entries, posting_table
from ledger.errors import Problem, raise_if_any
from ledger.money import Money
from ledger.posted import PostedEntry
from ledger.regio import bookings, chart, rules
from ledger.regio.db import records
from ledger.regio.db import rows as regio_rows
from ledger.regio.db.rows import (
    BeschikkingState,
)
from ledger.regio.db.statements import submitted_through
from ledger.regio.db.writer import Amount, Writer, in_currency_of
from ledger.regio.model import (
    EventKind,
    FundingSource,
    Who,
)
from ledger.said import said


class AccountabilityOperations(Writer):
    """What a region accounts for, and how the Rijk settles it."""

    def record_spending(
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
        programme_line: str | None = None,
    ) -> PostedEntry:
        with self._write() as connection:
            state = regio_rows.beschikking_state(connection, nummer)
            entry = bookings.record_spending(key, who, on, state.beschikking, year, source, amount)
            if replay := records.replayed(connection, entry):
                return replay
            records.check_open(state)  # the state read above, not a second read
            problems = self._spending_problems(connection, state, on, year, source, amount, partner)
            if (final := records.final_year(connection, nummer)) is not None:
                problems += rules.check_not_final(nummer, [final])
            problems += rules.check_not_submitted(
                nummer, year, submitted_through(connection, nummer)
            )
            raise_if_any(problems)
            accounts = chart.spending_accounts(
                state.beschikking, state.envelope, state.tranche, year, source
            )
            posted = self._book(connection, entry, accounts, who)
            self._event(
                connection,
                key,
                nummer,
                EventKind.SPENDING,
                on,
                who,
                posted,
                amount=amount.minor_units,
                year=year,
                source=source.value,
                partner=partner,
                programme_line=programme_line,
            )
        return posted

    @staticmethod
    def _spending_problems(
        connection: Connection,
        state: BeschikkingState,
        on: date,
        year: int,
        source: FundingSource,
        amount: Money,
        partner: str | None,
    ) -> list[Problem]:
        problems = rules.check_spending(
            state.beschikking, state.spending_ends_on, on, year, source, amount
        )
        if source.is_regional:
            if partner is None:
                problems.append(
                    rules.problem(
                        "partner_missing",
                        said("Co-financing and in-kind spending name their partner."),
                    )
                )
            else:
                problems += rules.check_partner(
                    regio_rows.organisation(connection, partner), partner
                )
        return problems

    def settle(
        self,
        nummer: str,
        *,
        on: date,
        key: str,
        who: Who,
        ineligible: Amount | None = None,
        ambtshalve: str | None = None,
        cofinancing_exception: str | None = None,
    ) -> PostedEntry:
        """Vaststelling of a SPUK or BU: eligible spending is settled, overpayment becomes a
        terugvordering, the rest of the grant lapses, and the beschikking is closed. It follows
        the eindverantwoording, or is taken ambtshalve (``ambtshalve``: why) after the spending
        period. The Rijk settles at most what the realised co-financing carries under the
        tranche's rule, unless ``cofinancing_exception`` says why not (kept in the reason)."""
        with self._write() as connection:
            known = records.replay(connection, key, EventKind.SETTLEMENT, beschikking=nummer)
            if known is not None:
                return load_entries(connection, ids=[known.entry_id])[0]
            state = records.open_state(connection, nummer)
            stages = records.stage_balances(connection, nummer)
            currency = state.beschikking.amount.currency
            spent = stages.get("spent_rijk", Money.zero(currency))
            ineligible = in_currency_of(state, ineligible or Money.zero(currency))
            eligible = spent - ineligible
            problems = self._settlement_problems(
                connection, state, on, ineligible, stages, ambtshalve, cofinancing_exception
            )
            raise_if_any(problems)
            if cofinancing_exception:
                who = replace(
                    who, reason=f"{who.reason}; cofinancing_exception: {cofinancing_exception}"
                )
            entry = bookings.settle(
                key,
                who,
                on,
                state.beschikking,
                granted=stages["unpaid"] + stages["paid"],
                paid=stages["paid"],
                eligible=eligible,
                unspent=stages["unspent"],
            )
            posted = self._book(connection, entry, [], who)
            cents = eligible.minor_units
            self._event(
                connection, key, nummer, EventKind.SETTLEMENT, on, who, posted, amount=cents
            )
            self._close_after_settlement(connection, nummer, who)
        return posted

    def _settlement_problems(
        self,
        connection: Connection,
        state: BeschikkingState,
        on: date,
        ineligible: Money,
        stages: dict[str, Money],
        ambtshalve: str | None,
        exception: str | None,
    ) -> list[Problem]:
        """What stands in a vaststelling's way: its amounts, its date, and the co-financing
        (``stages``: the beschikking's balances, as ``_stage_balances`` reads them)."""
        b = state.beschikking
        spent = stages.get("spent_rijk", Money.zero(b.amount.currency))
        problems = rules.check_settlement(b, ineligible, spent)
        if not problems:
            problems = rules.check_settlement_dates(
                b,
                on,
                state.spending_ends_on,
                records.final_year(connection, b.nummer),
                regio_rows.last_movement_on(connection, b.nummer),
                ambtshalve,
            )
        if not problems:
            problems = _cofinancing_carries(state, spent - ineligible, stages, exception)
        return problems

    def _close_after_settlement(self, connection: Connection, nummer: str, who: Who) -> None:
        """After vaststelling nothing more is paid or spent: the database refuses it too."""
        with translate_database_error():
            connection.execute(
                update(account_table)
                .where(
                    account_table.c.code.in_(
                        [chart.beschikking_account(nummer, s) for s in ("unpaid", "unspent")]
                    )
                )
                .where(account_table.c.closed_at.is_(None))
                .values(closed_at=self.clock(), closed_by=who.actor)
            )

    def repay(self, nummer: str, amount: Amount, *, on: date, key: str, who: Who) -> PostedEntry:
        """A repayment of a terugvordering; a bare Decimal is in the beschikking's currency."""
        with self._write() as connection:
            state = regio_rows.beschikking_state(connection, nummer)
            amount = in_currency_of(state, amount)
            entry = bookings.repay(key, who, on, state.beschikking, amount)
            if replay := records.replayed(connection, entry):
                return replay
            reclaimed_on = state.settled_on or _first_reclaim(connection, nummer)
            raise_if_any(rules.check_repayment_date(state.beschikking, on, reclaimed_on))
            posted = self._book(connection, entry, [], who)
            cents = amount.minor_units
            self._event(connection, key, nummer, EventKind.REPAYMENT, on, who, posted, amount=cents)
        return posted

    def mark_final(
        self,
        nummer: str,
        year: int,
        *,
        key: str,
        who: Who,
        organisation: str | None = None,
        toelichting: str | None = None,
    ) -> None:
        """Eindverantwoording: ``year`` is the beschikking's last SiSa report. It locks the
        accountability: no statement replacement, no spending booked afterwards, but for the SiSa
        correction procedure. Refused without the toelichting the row then needs; a second
        eindverantwoording is refused (``already_final``)."""
        with self._write() as connection:
            if (
                records.replay(connection, key, EventKind.FINAL, beschikking=nummer, year=year)
                is not None
            ):
                return
            state = regio_rows.beschikking_state(connection, nummer)
            if organisation is not None and state.beschikking.recipient != organisation:
                raise regio_rows.not_found("beschikking", nummer)
            problems = rules.check_final(
                state.beschikking, year, records.final_year(connection, nummer), today()
            )
            if not problems:
                why = rules.toelichting_needed(
                    state.granted.minor_units,
                    regio_rows.spending_cents(connection, nummer),
                    year,
                    final=True,
                    currency=state.granted.currency,
                )
                given = toelichting or regio_rows.toelichting(connection, nummer, year)
                problems = rules.check_toelichting_given(nummer, year, why, given)
            raise_if_any(problems)
            self._event(
                connection, key, nummer, EventKind.FINAL, date(year, 12, 31), who, None, year=year
            )
            if toelichting:
                self._event(
                    connection,
                    f"{key}:toelichting",
                    nummer,
                    EventKind.TOELICHTING,
                    date(year, 12, 31),
                    Who(who.actor, toelichting),
                    None,
                    year=year,
                )

    def add_toelichting(
        self,
        nummer: str,
        year: int,
        text: str,
        *,
        key: str,
        who: Who,
        submitted: Callable[[Connection], bool],
        organisation: str | None = None,
    ) -> None:
        """A toelichting for a beschikking's SiSa row of ``year`` (the latest counts), until that
        row is submitted (``submitted`` answers that inside this transaction; SiSa owns the
        submissions, see ``sisa.service.add_toelichting``); after that it changes through the
        SiSa correction procedure."""
        with self._write() as connection:
            same = {"beschikking": nummer, "year": year, "reason": text}
            if records.replay(connection, key, EventKind.TOELICHTING, **same) is not None:
                return
            state = regio_rows.beschikking_state(connection, nummer)
            if organisation is not None and state.beschikking.recipient != organisation:
                raise regio_rows.not_found("beschikking", nummer)
            problems = rules.check_accountable(state.beschikking)
            if submitted(connection):
                problems.append(
                    rules.problem(
                        "already_submitted",
                        said(
                            "The {year} row of {nummer} was submitted; its toelichting no longer changes (use the SiSa correction procedure).",
                            year=year,
                            nummer=nummer,
                        ),
                    )
                )
            raise_if_any(problems)
            self._event(
                connection,
                key,
                nummer,
                EventKind.TOELICHTING,
                date(year, 12, 31),
                Who(who.actor, text),
                None,
                year=year,
            )


def _first_reclaim(connection: Connection, nummer: str) -> date | None:
    """When a terugvordering first arose before any vaststelling: a wijzigingsbeschikking that
    lowered the grant below what was paid (the day its entry moved money to ``recoverable``)."""
    return connection.execute(
        select(func.min(posting_table.c.effective_on))
        .join(account_table, account_table.c.id == posting_table.c.account_id)
        .where(account_table.c.code == chart.beschikking_account(nummer, "recoverable"))
    ).scalar()


def _cofinancing_carries(
    state: BeschikkingState, eligible: Money, stages: dict[str, Money], exception: str | None
) -> list[Problem]:
    """The Rijk settles at most what the realised co-financing carries, or says why not."""
    zero = Money.zero(state.beschikking.amount.currency)
    cap = rules.cofinancing_cap(
        state.tranche,
        stages.get(f"spent_{FundingSource.COFINANCIERING_PUBLIEK}", zero),
        stages.get(f"spent_{FundingSource.COFINANCIERING_PRIVAAT}", zero),
        stages.get(f"spent_{FundingSource.IN_NATURA}", zero),
    )
    return rules.check_cofinancing_at_settlement(
        state.beschikking.nummer, state.tranche, eligible, cap, exception
    )
