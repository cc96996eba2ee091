"""The property behind "limits hold as of every date": random histories, each operation on a
random date, out of order (a payment before the one booked first, a shift into the past, a
correction), booked through the service on SQLite and PostgreSQL. Whatever is accepted and
whatever is refused, on every date that matters: every limited account is at or above zero,
every reconciliation control ties out, and ``verify`` agrees."""

from __future__ import annotations

import contextlib
from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from ledger.db.rows import account_table
from ledger.db.service import LedgerService
from ledger.db.unit_of_work import UnitOfWork
from ledger.errors import LedgerError
from ledger.regio.db.service import RegioService
from ledger.regio.db.tables import event_table
from ledger.regio.model import FundingSource
from tests.scenarios.flow import OFFICER, build_world, eur, zwolle_beschikking, zwolle_deal
from tests.scenarios.test_reconciliation import reconcile

KINDS = (
    "shift",
    "pay",
    "pay",
    "spend",
    "spend",
    "amend_deal",
    "withdraw_deal",
    "amend_grant",
    "correct_payment",
    "sign",
    "grant",
)
MILLIONS = st.integers(min_value=1, max_value=40)


def _start(
    kind: str, which: int, first: date, last: date, low: int, high: int
) -> st.SearchStrategy:
    return st.tuples(
        st.just(kind),
        st.integers(min_value=low, max_value=high),
        st.just(which),
        st.dates(min_value=first, max_value=last),
    )


#: Two deals signed and granted (in that order, on random days) so that the history has objects
#: to act on; then any operations, each on any day from before the envelope to after the period.
OPERATIONS = st.tuples(
    _start("sign", 0, date(2022, 1, 1), date(2023, 12, 31), 20, 30),
    _start("sign", 1, date(2022, 1, 1), date(2023, 12, 31), 20, 30),
    _start("grant", 0, date(2024, 1, 1), date(2025, 6, 30), 5, 20),
    _start("grant", 1, date(2024, 1, 1), date(2025, 6, 30), 5, 20),
).flatmap(
    lambda start: st.lists(
        st.tuples(
            st.sampled_from(KINDS),
            MILLIONS,
            st.integers(min_value=0, max_value=1),
            st.dates(min_value=date(2021, 6, 1), max_value=date(2029, 6, 30)),
        ),
        min_size=2,
        max_size=14,
    ).map(lambda rest: [*start, *rest])
)


def apply(
    regio: RegioService, number: int, operation: str, millions: int, which: int, on: date
) -> date:
    """Book one operation dated ``on`` (the dates of objects it creates follow ``on`` too)."""
    key = f"op{number}"
    # payments and spending in tenths of the unit, so that several fit in one grant
    amount = eur(f"{millions * (100000 if operation in ('pay', 'spend') else 1000000)}.00")
    deal, nummer = f"DEAL-{which}", f"B-{which}"
    if operation == "shift":
        regio.shift("T6", "T5", amount, on=on, key=key, who=OFFICER)
    elif operation == "sign":
        regio.sign_deal(
            zwolle_deal(code=deal, rijksbijdrage=amount, signed_on=on, ends_on=date(2029, 12, 31)),
            key=key,
            who=OFFICER,
        )
    elif operation == "grant":
        regio.grant(
            zwolle_beschikking(
                nummer=nummer,
                deal=deal,
                amount=amount,
                decided_on=on,
                spending_starts_on=on,
                spending_ends_on=date(2029, 12, 31),
            ),
            key=key,
            who=OFFICER,
        )
    elif operation == "pay":
        regio.pay(nummer, amount, on=on, key=key, who=OFFICER)
    elif operation == "spend":
        regio.record_spending(
            nummer, on.year, FundingSource.RIJK, amount, on=on, key=key, who=OFFICER
        )
    elif operation == "amend_deal":
        regio.amend_deal(deal, amount, on=on, key=key, who=OFFICER)
    elif operation == "withdraw_deal":
        regio.withdraw_deal(deal, on=on, key=key, who=OFFICER)
    elif operation == "amend_grant":
        regio.amend_beschikking(nummer, amount, on=on, key=key, who=OFFICER)
    else:
        with UnitOfWork(regio.engine) as uow:
            payment = uow.connection.execute(
                select(event_table.c.entry_id)
                .where(event_table.c.beschikking == nummer, event_table.c.kind == "payment")
                .order_by(event_table.c.id)
            ).scalar()
        if payment is not None:
            regio.correct_payment(nummer, payment, on=on, key=key, who=OFFICER)
    return on


def limited_accounts(ledger: LedgerService) -> set[str]:
    with UnitOfWork(ledger.engine) as uow:
        return set(
            uow.connection.execute(
                select(account_table.c.code).where(account_table.c.non_negative)
            ).scalars()
        )


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(operations=OPERATIONS)
def test_every_as_of_date_of_any_out_of_order_history_holds(database_factory, operations):
    ledger = LedgerService.from_url(database_factory())
    regio = RegioService(ledger.engine)
    try:
        build_world(regio, tranche_budget="60000000.00")
        days = {date(2022, 1, 1)}
        for number, (operation, millions, which, on) in enumerate(operations):
            with contextlib.suppress(LedgerError):  # a refusal changes nothing: checked below
                days.add(apply(regio, number, operation, millions, which, on))
        limited = limited_accounts(ledger)
        for day in sorted(days | {d - timedelta(days=1) for d in days}):
            below = [
                b
                for b in ledger.balances(as_of=day)
                if b.account in limited and b.balance.amount < 0
            ]
            assert below == [], (day, below)
            assert reconcile(ledger, day).ties_out, day
        assert ledger.verify().ok
        assert ledger.trial_balance().is_balanced
    finally:
        ledger.engine.dispose()
