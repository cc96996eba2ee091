"""A beschikking's payment schedule (kasritme): set, and set again, only by a dated, sourced
event that replaces the schedule before it from its date; booked once per key. The rules are
``ledger.regio.kasritme``; what follows from a schedule is read by ``begroting_reads``."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import Connection, insert, select

from ledger.clock import today
from ledger.dates import not_after_today
from ledger.errors import LedgerError, raise_if_any
from ledger.money import Money
from ledger.regio.db import rows as regio_rows
from ledger.regio.db.begroting_tables import advance_table, schedule_table
from ledger.regio.db.writer import Writer
from ledger.regio.kasritme import Advance, check_schedule
from ledger.regio.model import Who
from ledger.said import said
from ledger.words import Day


class ScheduleOperations(Writer):
    """Payment schedules of beschikkingen."""

    def set_payment_schedule(
        self, nummer: str, advances: Sequence[Advance], *, on: date, key: str, who: Who
    ) -> str:
        """The advances ``nummer`` plans from ``on``: they replace its schedule from that day.
        Not before the beschikking's decision, not after today, not once it is settled; at
        most the grant as it stands on that day."""
        raise_if_any(not_after_today("The payment schedule", on, today()))
        ordered = tuple(sorted(advances, key=lambda a: a.due_on))
        with self._write() as connection:
            if _replayed(connection, key, nummer, on, ordered):
                return key
            state = regio_rows.beschikking_state(connection, nummer)
            b = state.beschikking
            if on < b.decided_on or (state.settled_on is not None and on >= state.settled_on):
                raise LedgerError.single(
                    "schedule_outside_life",
                    said(
                        "A payment schedule of {nummer} is set from its decision ({decided}) "
                        "until its vaststelling; {on} is outside that.",
                        nummer=nummer,
                        decided=Day(b.decided_on),
                        on=Day(on),
                    ),
                )
            raise_if_any(
                check_schedule(nummer, ordered, state.granted, b.decided_on, state.spending_ends_on)
            )
            schedule_id = connection.execute(
                insert(schedule_table)
                .values(
                    key=key,
                    nummer=nummer,
                    effective_on=on,
                    actor=who.actor,
                    reason=who.reason,
                    source=who.source_document,
                    recorded_at=self.clock(),
                )
                .returning(schedule_table.c.id)
            ).scalar_one()
            connection.execute(
                insert(advance_table),
                [
                    {"schedule_id": schedule_id, "due_on": a.due_on, "amount": a.amount.minor_units}
                    for a in ordered
                ],
            )
        return key


def _replayed(
    connection: Connection, key: str, nummer: str, on: date, advances: tuple[Advance, ...]
) -> bool:
    """Whether ``key`` set this very schedule before (a retry); another one under it is refused."""
    row = connection.execute(select(schedule_table).where(schedule_table.c.key == key)).first()
    if row is None:
        return False
    kept = connection.execute(
        select(advance_table.c.due_on, advance_table.c.amount)
        .where(advance_table.c.schedule_id == row.id)
        .order_by(advance_table.c.due_on)
    ).all()
    same = (row.nummer, row.effective_on) == (nummer, on) and [tuple(k) for k in kept] == [
        (a.due_on, a.amount.minor_units) for a in advances
    ]
    if same:
        return True
    raise LedgerError.single(
        "idempotency_conflict",
        said("The key {key} was used for another payment schedule.", key=key),
    )


def schedules_as_of(connection: Connection, as_of: date, known: object) -> dict[str, tuple]:
    """Each beschikking's schedule in force on ``as_of`` (the latest set by then), as the books
    held it (``known``): its advances in the grant's currency."""
    rows = connection.execute(
        select(
            schedule_table.c.id,
            schedule_table.c.nummer,
            regio_rows.beschikking_table.c.currency,
        )
        .join(
            regio_rows.beschikking_table,
            regio_rows.beschikking_table.c.nummer == schedule_table.c.nummer,
        )
        .where(
            schedule_table.c.effective_on <= as_of,
            known.records(schedule_table.c.recorded_at),  # type: ignore[attr-defined]
        )
        .order_by(schedule_table.c.effective_on, schedule_table.c.id)
    ).all()
    latest = {nummer: (schedule_id, currency) for schedule_id, nummer, currency in rows}
    if not latest:
        return {}
    wanted = {schedule_id: nummer for nummer, (schedule_id, _) in latest.items()}
    found: dict[str, list[Advance]] = {nummer: [] for nummer in latest}
    for schedule_id, due_on, amount in connection.execute(
        select(advance_table.c.schedule_id, advance_table.c.due_on, advance_table.c.amount)
        .where(advance_table.c.schedule_id.in_(sorted(wanted)))
        .order_by(advance_table.c.due_on)
    ):
        nummer = wanted[schedule_id]
        found[nummer].append(Advance(due_on, Money.from_minor_units(amount, latest[nummer][1])))
    return {nummer: tuple(a) for nummer, a in found.items()}
