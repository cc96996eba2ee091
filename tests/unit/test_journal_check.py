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


def reversed_book() -> Book:
    from ledger.entries import reverse_entry

    book = small_book()
    original = book.journal[1].to_entry()
    book.post(reverse_entry(original, key="r2", actor="fo", reason="geboekt op de verkeerde dag"))
    return book


def looked_up(journal: list, asked: list):  # noqa: ANN201 - a lookup like verify's database
    def original_of(key: str, before: int):  # noqa: ANN202
        asked.append((key, before))
        return next((p for p in journal if p.key == key and p.sequence < before), None)

    return original_of


def test_a_replay_that_looks_originals_up_keeps_no_entry_and_finds_the_same():
    book = reversed_book()
    journal = list(book.journal)
    asked: list = []
    streamed = check_journal(book.accounts, iter(journal), looked_up(journal, asked))
    assert streamed.problems == [] == check_journal(book.accounts, journal).problems
    assert streamed._entries_by_key == {}  # nothing kept: memory does not grow with the journal
    assert asked == [("e2", 4)]  # asked once, for the reversal's original before it
    assert streamed.totals == check_journal(book.accounts, journal).totals


def test_a_reversal_whose_original_is_not_booked_before_it_is_unlinked_when_looked_up_too():
    book = reversed_book()
    journal = list(book.journal)
    journal[3] = replace(journal[3], reverses="e4")  # no such entry before it
    in_memory = {(p.code, p.entry) for p in check_journal(book.accounts, journal).problems}
    streamed = check_journal(book.accounts, journal, looked_up(journal, []))
    assert ("reversal_unlinked", "r2") in in_memory
    assert {(p.code, p.entry) for p in streamed.problems} == in_memory
