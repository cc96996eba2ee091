"""Properties of the core, driven by random sequences of operations on the in-memory Book."""

from dataclasses import replace
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from ledger.accounts import Account, AccountKind
from ledger.balances import Totals
from ledger.book import Book
from ledger.errors import LedgerError
from ledger.journal_check import check_journal
from tests.support import C, D, entry

CODES = ["source", "tranche", "deal-a", "deal-b", "bank"]


def fresh_book() -> Book:
    book = Book()
    book.open_account(Account("source", "Source", AccountKind.BUDGET_SOURCE))
    book.open_account(Account("tranche", "Tranche", AccountKind.BUDGET, non_negative=True))
    book.open_account(Account("deal-a", "Deal A", AccountKind.BUDGET, non_negative=True))
    book.open_account(Account("deal-b", "Deal B", AccountKind.BUDGET, non_negative=True))
    book.open_account(Account("bank", "Bank", AccountKind.ASSET))
    return book


operation = st.tuples(
    st.sampled_from(CODES),
    st.sampled_from(CODES),
    st.integers(min_value=1, max_value=10**9),
    st.integers(min_value=0, max_value=800),
    st.booleans(),
)


def run(book: Book, operations) -> list[str]:
    """Apply operations; refused ones must leave the book as it was. Returns booked keys."""
    booked = []
    for number, (debit, credit, cents, day, reverse_last) in enumerate(operations):
        if debit == credit:
            continue
        before = (len(book.journal), dict(book.totals))
        if reverse_last and booked:
            target = booked.pop()
            original = book.entry(target).to_entry()
            postings = tuple(p.mirrored() for p in original.postings)
            candidate = replace(
                original, key=f"rev-{number}", postings=postings, reverses=target, reason="undo"
            )
        else:
            amount = f"{cents // 100}.{cents % 100:02d}"
            candidate = entry(
                f"e{number}",
                (debit, D, amount),
                (credit, C, amount),
                on=date(2023, 1, 1) + timedelta(days=day),
            )
        try:
            book.post(candidate)
            if not candidate.reverses:
                booked.append(candidate.key)
        except LedgerError as refused:
            assert refused.code in {"limit_exceeded", "limit_exceeded_as_of", "already_reversed"}
            assert (len(book.journal), dict(book.totals)) == before
    return booked


@settings(max_examples=150)
@given(st.lists(operation, max_size=40))
def test_trial_balance_always_sums_to_zero_and_limits_hold(operations):
    book = fresh_book()
    run(book, operations)
    for debit, credit in book.trial_balance().values():
        assert debit == credit
    for code, account in book.accounts.items():
        if account.non_negative:
            assert (book.totals.get(code) or Totals()).normal_balance(account.normal_side) >= 0
            for day in {posted.effective_on for posted in book.journal}:  # and as of every date
                assert book.balance(code, as_of=day).balance.amount >= 0, (code, day)


@settings(max_examples=100)
@given(st.lists(operation, min_size=1, max_size=30))
def test_an_entry_plus_its_reversal_nets_every_account_to_zero(operations):
    book = fresh_book()
    booked = run(book, [op[:4] + (False,) for op in operations])
    before = {code: book.balance(code).balance for code in CODES}
    for number, key in enumerate(reversed(booked)):
        original = book.entry(key).to_entry()
        book.post(
            replace(
                original,
                key=f"undo-{number}",
                postings=tuple(p.mirrored() for p in original.postings),
                reverses=key,
                reason="undo",
            )
        )
    for code in CODES:
        assert book.balance(code).balance.is_zero(), (code, before[code])


@settings(max_examples=100)
@given(st.lists(operation, max_size=30))
def test_the_journal_check_finds_nothing_wrong_in_any_valid_book(operations):
    book = fresh_book()
    run(book, operations)
    state = check_journal(book.accounts, book.journal)
    assert state.problems == []
    assert state.totals == {
        code: totals for code, totals in book.totals.items() if totals != Totals()
    }
