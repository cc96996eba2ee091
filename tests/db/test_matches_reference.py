"""The database ledger and the in-memory reference Book agree on every random history."""

from dataclasses import replace
from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ledger.accounts import Account, AccountKind, Dimensions
from ledger.book import Book
from ledger.db.service import LedgerService
from ledger.errors import LedgerError
from tests.support import C, D, entry

ACCOUNTS = [
    Account("source", "Source", AccountKind.BUDGET_SOURCE, dimensions=Dimensions(envelope="RE")),
    Account(
        "t5",
        "Tranche 5",
        AccountKind.BUDGET,
        non_negative=True,
        dimensions=Dimensions(tranche="T5"),
    ),
    Account(
        "t6",
        "Tranche 6",
        AccountKind.BUDGET,
        non_negative=True,
        dimensions=Dimensions(tranche="T6"),
    ),
    Account(
        "deal", "Deal", AccountKind.BUDGET, non_negative=True, dimensions=Dimensions(tranche="T5")
    ),
]
CODES = [a.code for a in ACCOUNTS]

operations = st.lists(
    st.tuples(
        st.sampled_from(CODES),
        st.sampled_from(CODES),
        st.integers(min_value=1, max_value=5_000_000),
        st.integers(min_value=0, max_value=700),
        st.booleans(),
    ),
    min_size=1,
    max_size=25,
)


def apply(target, operation_list):
    """Run the same operations on a Book or a LedgerService; return the outcome of each."""
    outcomes, booked = [], []
    for number, (debit, credit, cents, day, undo) in enumerate(operation_list):
        if debit == credit:
            continue
        if undo and booked:
            original = target.entry(booked.pop())
            mirrored = replace(
                original.to_entry(),
                key=f"undo-{number}",
                reason="undo",
                reverses=original.key,
                postings=tuple(p.mirrored() for p in original.to_entry().postings),
            )
            candidate = mirrored
        else:
            amount = f"{cents // 100}.{cents % 100:02d}"
            candidate = entry(
                f"e{number}",
                (debit, D, amount),
                (credit, C, amount),
                on=date(2023, 1, 1) + timedelta(days=day),
            )
        try:
            posted = target.post(candidate)
            outcomes.append(("ok", posted.sequence, posted.entry_hash[:0]))
            if not candidate.reverses:
                booked.append(candidate.key)
        except LedgerError as error:
            outcomes.append((error.code, None, ""))
    return outcomes


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(operation_list=operations, as_of_day=st.integers(min_value=0, max_value=700))
def test_database_and_reference_agree(database_factory, operation_list, as_of_day):
    book = Book()
    for account in ACCOUNTS:
        book.open_account(account)
    ledger = LedgerService.from_url(database_factory())
    try:
        ledger.open_accounts(ACCOUNTS, actor="test")
        assert apply(ledger, operation_list) == apply(book, operation_list)
        as_of = date(2023, 1, 1) + timedelta(days=as_of_day)
        for code in CODES:
            assert ledger.balance(code) == book.balance(code)
            assert ledger.balance(code, as_of=as_of) == book.balance(code, as_of=as_of)
        tranche_5 = ledger.balances(dimensions=Dimensions(tranche="T5"))
        totals = book.dimension_balance(Dimensions(tranche="T5"))
        assert sum(b.debit_total.minor_units for b in tranche_5) == totals.debit_total
        assert sum(b.credit_total.minor_units for b in tranche_5) == totals.credit_total
        assert ledger.trial_balance().is_balanced
        report = ledger.verify()
        assert report.ok, report.problems
        assert report.entries_checked == len(book.journal)
        assert report.last_hash != "" and len(report.last_hash) == 64
    finally:
        ledger.engine.dispose()
