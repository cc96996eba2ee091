from dataclasses import replace

from ledger.accounts import Account, AccountKind
from ledger.book import Book
from ledger.journal_check import check_journal
from tests.support import C, D, entry


def small_book() -> Book:
    book = Book()
    book.open_account(Account("source", "Source", AccountKind.BUDGET_SOURCE))
    book.open_account(Account("tranche", "Tranche", AccountKind.BUDGET, non_negative=True))
    book.post(entry("e1", ("source", D, "100.00"), ("tranche", C, "100.00")))
    book.post(entry("e2", ("tranche", D, "30.00"), ("source", C, "30.00")))
    book.post(entry("e3", ("tranche", D, "20.00"), ("source", C, "20.00")))
    return book


def test_a_sound_journal_has_no_problems():
    book = small_book()
    assert check_journal(book.accounts, book.journal).problems == []


def test_a_changed_amount_is_caught_at_its_entry():
    book = small_book()
    journal = list(book.journal)
    tampered = journal[1].postings[0]
    journal[1] = replace(
        journal[1], postings=(replace(tampered, minor_units=1), journal[1].postings[1])
    )
    problems = check_journal(book.accounts, journal).problems
    first = problems[0]
    assert (first.code, first.entry) == ("content_tampered", "e2")
    assert "unbalanced_entry" in {p.code for p in problems}


def test_a_removed_entry_breaks_the_chain_after_it():
    book = small_book()
    journal = [book.journal[0], book.journal[2]]
    codes = [(p.code, p.entry) for p in check_journal(book.accounts, journal).problems]
    assert ("sequence_gap", "e3") in codes
    assert ("chain_broken", "e3") in codes


def test_a_crossed_limit_is_reported():
    book = small_book()
    journal = list(book.journal)
    draw = journal[2]
    journal[2] = replace(
        draw,
        postings=tuple(replace(p, minor_units=9000) for p in draw.postings),
    )
    codes = {p.code for p in check_journal(book.accounts, journal).problems}
    assert "limit_exceeded" in codes
