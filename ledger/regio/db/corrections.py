"""Corrections through the domain: each is one operation in one transaction that books one
entry (or two: cash and in kind never share one) and writes its ``amendment`` row, so that object
rows, statements, SiSa figures and drill-down lines stay consistent. A posted entry is never
changed; the generic reversal refuses any entry a domain operation owns (``owner_of``) and names
the operation to use instead.

- ``amend_deal`` / ``withdraw_deal`` / ``extend_deal``: a convenant's Rijksbijdrage changed, the
  convenant withdrawn before anything was granted, its looptijd extended;
- ``amend_beschikking``: a wijzigingsbeschikking lowers (money back to the deal) or raises the grant;
- ``correct_payment``: a payment booked wrongly is reversed; the right one is booked anew;
- ``withdraw_statement``: a spending statement withdrawn (by its region or finance): its lines
  stop counting, and the same file may be handed in again;
- ``correct_final_year``: after eindverantwoording, the SiSa correction procedure (was/wordt
  with a reason in the next submission) is the one way to change a final year's spending.

An officer's correction of spending that is not final is ``RegioService.record_spending`` with a
negative amount.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Connection, select

from ledger.clock import today
from ledger.dates import not_after_today
from ledger.db.journal import book_entries
from ledger.db.rows import load_entries
from ledger.entries import reverse_entry
from ledger.errors import LedgerError, Problem, raise_if_any
from ledger.money import Money
from ledger.posted import PostedEntry
from ledger.regio import bookings, rules
from ledger.regio.db import records
from ledger.regio.db import rows as regio_rows
from ledger.regio.db.statements import statement_table
from ledger.regio.db.tables import amendment_table, beschikking_table, event_table
from ledger.regio.db.writer import Writer
from ledger.regio.model import AmendmentKind, EventKind, Who
from ledger.said import said


@dataclass(frozen=True)
class Owner:
    """The domain object an entry belongs to, and the operation that corrects it."""

    what: str
    correct_with: str


#: What changes a convenant: each dated on or after the ones before it.
DEAL_AMENDMENTS = (
    AmendmentKind.DEAL_AMENDMENT,
    AmendmentKind.DEAL_WITHDRAWAL,
    AmendmentKind.DEAL_EXTENSION,
)


class CorrectionBase(Writer):
    """What the corrections share: the amendment row each writes and the replay of a key.
    Every correction runs in a write transaction of its own (or the caller's)."""

    def _amendment(
        self,
        connection: Connection,
        key: str,
        kind: str,
        on: date,
        who: Who,
        posted: PostedEntry | None = None,
        **values: Any,
    ) -> None:
        raise_if_any(not_after_today(f"The {kind.replace('_', ' ')}", on, today()))
        records.write_row(
            connection,
            amendment_table,
            key=key,
            kind=kind,
            effective_on=on,
            actor=who.actor,
            reason=who.reason,
            recorded_at=self.clock(),
            entry_id=posted.sequence if posted else None,
            **values,
        )

    @staticmethod
    def _in_recorded_order(connection: Connection, on: date, **target: str) -> None:
        """An amendment of a deal or beschikking is dated on or after every earlier amendment
        of it: an as-of view then never shows a figure no document had."""
        [(field, value)] = target.items()
        kinds = (
            (AmendmentKind.BESCHIKKING_AMENDMENT,) if field == "beschikking" else DEAL_AMENDMENTS
        )
        latest = connection.execute(
            select(amendment_table.c.key, amendment_table.c.effective_on)
            .where(amendment_table.c[field] == value, amendment_table.c.kind.in_(kinds))
            .order_by(amendment_table.c.effective_on.desc(), amendment_table.c.id.desc())
            .limit(1)
        ).first()
        raise_if_any(rules.check_amendment_order(on, latest))

    # --- convenanten -------------------------------------------------------------------------


class CorrectionOperations(CorrectionBase):
    """Corrections of what was committed and paid: a convenant amended, withdrawn or extended,
    a wijzigingsbeschikking, a payment corrected."""

    def amend_deal(
        self, code: str, rijksbijdrage: Money, *, on: date, key: str, who: Who
    ) -> PostedEntry:
        """The convenant's Rijksbijdrage becomes ``rijksbijdrage``; never below what is granted."""
        with self._write() as connection:
            if (done := records.replay(connection, key, AmendmentKind.DEAL_AMENDMENT)) is not None:
                return load_entries(connection, ids=[done.entry_id])[0]
            deal = self._open_deal(connection, code, on)
            self._in_recorded_order(connection, on, deal=code)
            change = rijksbijdrage - deal.rijksbijdrage
            granted = self._granted_to(connection, code)
            raise_if_any(rules.check_deal_amendment(deal, rijksbijdrage, granted))
            posted = self._book(
                connection, bookings.change_deal(key, who, on, deal, change), [], who
            )
            self._amendment(
                connection,
                key,
                AmendmentKind.DEAL_AMENDMENT,
                on,
                who,
                posted,
                deal=code,
                amount=change.minor_units,
            )
        return posted

    def withdraw_deal(self, code: str, *, on: date, key: str, who: Who) -> PostedEntry:
        """A convenant withdrawn before anything was granted: all of it back to its tranche."""
        with self._write() as connection:
            if (done := records.replay(connection, key, AmendmentKind.DEAL_WITHDRAWAL)) is not None:
                return load_entries(connection, ids=[done.entry_id])[0]
            deal = self._open_deal(connection, code, on)
            self._in_recorded_order(connection, on, deal=code)
            raise_if_any(rules.check_deal_withdrawal(deal, self._granted_to(connection, code)))
            change = -deal.rijksbijdrage
            posted = self._book(
                connection, bookings.change_deal(key, who, on, deal, change), [], who
            )
            self._amendment(
                connection,
                key,
                AmendmentKind.DEAL_WITHDRAWAL,
                on,
                who,
                posted,
                deal=code,
                amount=change.minor_units,
            )
        return posted

    def extend_deal(self, code: str, new_end: date, *, on: date, key: str, who: Who) -> date:
        """The convenant's looptijd extended to ``new_end``; no money moves."""
        with self._write() as connection:
            if records.replay(connection, key, AmendmentKind.DEAL_EXTENSION) is not None:
                return new_end
            deal = self._open_deal(connection, code, on)
            self._in_recorded_order(connection, on, deal=code)
            raise_if_any(rules.check_deal_extension(deal, new_end))
            self._amendment(
                connection,
                key,
                AmendmentKind.DEAL_EXTENSION,
                on,
                who,
                deal=code,
                new_ends_on=new_end,
            )
        return new_end

    def _open_deal(self, connection: Connection, code: str, on: date):  # noqa: ANN202 - a Deal
        deal = regio_rows.deal(connection, code)
        raise_if_any(rules.check_deal_open(deal, on))
        return deal

    @staticmethod
    def _granted_to(connection: Connection, code: str) -> Money:
        """What the deal's beschikkingen take from it now, in euros."""
        nummers = connection.execute(
            select(beschikking_table.c.nummer).where(beschikking_table.c.deal == code)
        ).scalars()
        return sum(
            (regio_rows.beschikking_state(connection, n).granted_eur for n in nummers), Money.zero()
        )

    # --- beschikkingen ---------------------------------------------------------------------------

    def amend_beschikking(
        self,
        nummer: str,
        amount: Money,
        *,
        on: date,
        key: str,
        who: Who,
        eur_amount: Money | None = None,
    ) -> PostedEntry:
        """A wijzigingsbeschikking: the grant becomes ``amount`` (for a BU in dollars, with the
        euros it then commits, ``eur_amount``); never below what was paid or spent."""
        with self._write() as connection:
            if (
                done := records.replay(connection, key, AmendmentKind.BESCHIKKING_AMENDMENT)
            ) is not None:
                return load_entries(connection, ids=[done.entry_id])[0]
            state = records.open_state(connection, nummer)
            self._in_recorded_order(connection, on, beschikking=nummer)
            change, eur_change = rules.grant_change(
                state.beschikking, state.granted, state.granted_eur, amount, eur_amount, on
            )
            stages = records.stage_balances(connection, nummer)
            zero = Money.zero(amount.currency)
            raise_if_any(
                rules.check_grant_floor(
                    state.beschikking,
                    amount,
                    stages.get("paid", zero),
                    stages.get("spent_rijk", zero),
                )
            )
            b, paid = state.beschikking, stages.get("paid", zero)
            if change.is_positive():
                entry = bookings.increase_grant(key, who, on, b, change, eur_change)
            elif amount < paid:  # the excess advance becomes a terugvordering
                entry = bookings.lower_grant_below_paid(
                    key, who, on, b, granted=state.granted, paid=paid, amount=amount
                )
            else:
                entry = bookings.release_grant(key, who, on, b, -change, -eur_change)
            posted = self._book(connection, entry, [], who)
            self._amendment(
                connection,
                key,
                AmendmentKind.BESCHIKKING_AMENDMENT,
                on,
                who,
                posted,
                beschikking=nummer,
                amount=change.minor_units,
                eur_amount=eur_change.minor_units,
            )
        return posted

    def correct_payment(
        self, nummer: str, entry: int, *, on: date, key: str, who: Who
    ) -> PostedEntry:
        """Reverse a payment that was booked wrongly (entry ``entry``); book the right one anew."""
        with self._write() as connection:
            if (
                done := records.replay(connection, key, AmendmentKind.PAYMENT_CORRECTION)
            ) is not None:
                return load_entries(connection, ids=[done.entry_id])[0]
            state = records.open_state(connection, nummer)
            payment = connection.execute(
                select(event_table).where(
                    event_table.c.beschikking == nummer,
                    event_table.c.kind == EventKind.PAYMENT,
                    event_table.c.entry_id == entry,
                )
            ).first()
            corrected = (
                payment is not None
                and connection.execute(
                    select(amendment_table.c.id).where(
                        amendment_table.c.corrects_event_id == payment.id
                    )
                ).first()
            )
            raise_if_any(
                rules.check_payment_correction(
                    state.beschikking,
                    entry,
                    payment.effective_on if payment is not None else None,
                    bool(corrected),
                    on,
                )
            )
            original = load_entries(connection, ids=[entry])[0].to_entry()
            reversal = reverse_entry(
                original,
                key=key,
                actor=who.actor,
                reason=who.reason,
                effective_on=on,
                memo=f"Correction of payment {entry} on {nummer}: {who.reason}",
            )
            [posted] = book_entries(connection, [reversal], self.clock)
            self._amendment(
                connection,
                key,
                AmendmentKind.PAYMENT_CORRECTION,
                on,
                who,
                posted,
                beschikking=nummer,
                corrects_event_id=payment.id,
                amount=-payment.amount,
            )
        return posted

    # --- statements and final years ----------------------------------------------------------------


#: Each column that names the entries a domain object owns, with what corrects them.
OWNING_COLUMNS: list[tuple[Any, str, Owner]] = [
    (
        regio_rows.budget_change_table,
        "entry_id",
        Owner("a change of a budget", "a new budget change (a shift, an allocation)"),
    ),
    (
        regio_rows.deal_table,
        "entry_id",
        Owner(
            "the signing of a convenant",
            "amend or withdraw the deal (POST /api/v1/deals/{code}/amendments or /withdrawal)",
        ),
    ),
    (
        beschikking_table,
        "entry_id",
        Owner(
            "a beschikking's grant",
            "a wijzigingsbeschikking (POST /api/v1/beschikkingen/{nummer}/amendments)",
        ),
    ),
    (
        event_table,
        "entry_id",
        Owner(
            "a payment, spending, vaststelling or repayment of a beschikking",
            "its own correction (a payment: POST /api/v1/beschikkingen/{nummer}/payments/{entry}/correction; spending: a correcting spending booking)",
        ),
    ),
    (
        statement_table,
        "entry_id",
        Owner(
            "a spending statement",
            "withdraw the statement (POST /api/v1/beschikkingen/{nummer}/statements/{id}/withdrawal)",
        ),
    ),
    (
        statement_table,
        "in_kind_entry_id",
        Owner(
            "a spending statement",
            "withdraw the statement (POST /api/v1/beschikkingen/{nummer}/statements/{id}/withdrawal)",
        ),
    ),
    (
        statement_table,
        "reversal_entry_id",
        Owner("the replacement of a spending statement", "hand in a new statement"),
    ),
    (
        amendment_table,
        "entry_id",
        Owner("a correction", "a new correction through the same operation"),
    ),
    (
        amendment_table,
        "in_kind_entry_id",
        Owner("a correction", "a new correction through the same operation"),
    ),
]


def owner_of(connection: Connection, entry: int) -> Owner | None:
    """Which domain object an entry belongs to, or None for an entry of the ledger alone."""
    for table, column, owner in OWNING_COLUMNS:
        if (
            connection.execute(
                select(table.c[column]).where(table.c[column] == entry).limit(1)
            ).first()
            is not None
        ):
            return owner
    return _owner_by_key(connection, entry)


def _owner_by_key(connection: Connection, entry: int) -> Owner | None:
    """Entries that no row names, but whose key says who made them (statement reversals)."""
    found = load_entries(connection, ids=[entry])
    if found and found[0].key.startswith(("statement-reversal:", "statement:")):
        return Owner("a spending statement", "withdraw or replace the statement")
    return None


def refuse_owned(connection: Connection, entry: int) -> None:
    """The generic reversal is for entries of the ledger alone; a domain object's entry is
    corrected through its own operation, which keeps every record consistent."""
    owner = owner_of(connection, entry)
    if owner is not None:
        raise LedgerError(
            [
                Problem.of(
                    "correct_through_domain",
                    said(
                        "Entry {entry} is {what}: reversing it alone would leave its records contradicting the books. Correct it with {correct_with}.",
                        entry=entry,
                        what=owner.what,
                        correct_with=owner.correct_with,
                    ),
                    details={"entry": entry, "operation": owner.correct_with},
                )
            ]
        )
