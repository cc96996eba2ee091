from dataclasses import replace
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ledger.accounts import Account, AccountKind
from ledger.book import Book
from ledger.entries import JournalEntry, Posting, check_entry_accounts, reverse_entry
from ledger.errors import LedgerError
from ledger.money import Money
from tests.support import BUDGET_ACCOUNTS, C, D, entry

ACCOUNTS = {a.code: a for a in BUDGET_ACCOUNTS}
amounts = st.integers(min_value=1, max_value=10**13)


def codes_of(error: LedgerError) -> set[str]:
    return {p.code for p in error.problems}


@given(st.lists(amounts, min_size=1, max_size=6))
def test_any_balanced_entry_is_accepted(debit_amounts):
    total = sum(debit_amounts)
    postings = [Posting("bank", D, Money.from_minor_units(a)) for a in debit_amounts]
    postings.append(Posting("rijksbegroting", C, Money.from_minor_units(total)))
    built = JournalEntry.create(
        ACCOUNTS,
        key="k",
        effective_on=date(2024, 1, 1),
        memo="m",
        actor="a",
        reason="r",
        postings=postings,
    )
    assert built.totals_by_currency()["EUR"][0] == built.totals_by_currency()["EUR"][1]


@given(
    st.lists(amounts, min_size=1, max_size=6),
    st.integers(min_value=-(10**6), max_value=10**6).filter(bool),
)
def test_any_unbalanced_entry_is_refused(debit_amounts, difference):
    total = sum(debit_amounts) + difference
    if total <= 0:
        total = sum(debit_amounts) + abs(difference)
    postings = [Posting("bank", D, Money.from_minor_units(a)) for a in debit_amounts]
    postings.append(Posting("rijksbegroting", C, Money.from_minor_units(total)))
    with pytest.raises(LedgerError) as refused:
        JournalEntry(
            key="k",
            effective_on=date(2024, 1, 1),
            memo="m",
            actor="a",
            reason="r",
            postings=postings,
        )
    assert "unbalanced_entry" in codes_of(refused.value)


def test_one_posting_is_too_few():
    with pytest.raises(LedgerError) as refused:
        entry("k", ("bank", D, "10.00"))
    assert codes_of(refused.value) >= {"too_few_postings", "unbalanced_entry"}


def test_zero_amount_is_refused():
    with pytest.raises(LedgerError) as refused:
        entry("k", ("bank", D, "0.00"), ("rijksbegroting", C, "0.00"))
    assert codes_of(refused.value) == {"non_positive_amount"}


def test_entry_needs_actor_and_reason():
    with pytest.raises(LedgerError) as refused:
        entry("k", ("bank", D, "1.00"), ("rijksbegroting", C, "1.00"), actor=" ", reason="")
    assert codes_of(refused.value) == {"missing_actor", "missing_reason"}


def test_balance_is_per_currency():
    with pytest.raises(LedgerError) as refused:
        entry("k", ("bank", D, "10.00"), ("usd-source", C, "10.00", "USD"))
    assert {p.details["currency"] for p in refused.value.problems} == {"EUR", "USD"}


def test_closed_account_and_currency_mismatch_are_refused_against_the_accounts():
    accounts = dict(ACCOUNTS, bank=replace(ACCOUNTS["bank"], closed=True))
    wrong = entry("k", ("bank", D, "10.00"), ("rijksbegroting", C, "10.00"))
    assert {p.code for p in check_entry_accounts(wrong, accounts)} == {"account_closed"}
    usd_on_eur = entry("k2", ("usd-bank", D, "5.00", "EUR"), ("rijksbegroting", C, "5.00"))
    problems = check_entry_accounts(usd_on_eur, ACCOUNTS)
    assert [(p.code, p.account) for p in problems] == [("currency_mismatch", "usd-bank")]


def test_memorandum_accounts_do_not_mix_with_cash():
    mixed = entry("k", ("in-kind", D, "10.00"), ("rijksbegroting", C, "10.00"))
    assert [p.code for p in check_entry_accounts(mixed, ACCOUNTS)] == ["memorandum_mixed"]
    in_kind = entry("k", ("in-kind", D, "10.00"), ("in-kind-contra", C, "10.00"))
    assert check_entry_accounts(in_kind, ACCOUNTS) == []


def test_unknown_account_is_named():
    problems = check_entry_accounts(entry("k", ("nope", D, "1.00"), ("bank", C, "1.00")), ACCOUNTS)
    assert [(p.code, p.account) for p in problems] == [("unknown_account", "nope")]


def test_create_refuses_what_the_accounts_refuse():
    with pytest.raises(LedgerError) as refused:
        JournalEntry.create(
            {},
            key="k",
            effective_on=date(2024, 1, 1),
            memo="m",
            actor="a",
            reason="r",
            postings=(Posting("a", D, Money.of("1")), Posting("b", C, Money.of("1"))),
        )
    assert refused.value.code == "unknown_account"


def test_reversal_is_the_mirror_image_and_links_to_the_original():
    original = entry("k", ("bank", D, "10.00"), ("rijksbegroting", C, "10.00"))
    reversal = reverse_entry(original, key="k-rev", actor="a", reason="wrong amount")
    assert reversal.reverses == "k"
    assert [(p.account, p.side) for p in reversal.postings] == [("bank", C), ("rijksbegroting", D)]


def test_a_non_mirror_reversal_is_refused():
    book = Book()
    for account in BUDGET_ACCOUNTS:
        book.open_account(account)
    book.post(entry("k", ("bank", D, "10.00"), ("rijksbegroting", C, "10.00")))
    with pytest.raises(LedgerError) as refused:
        book.post(entry("bad", ("bank", C, "9.00"), ("rijksbegroting", D, "9.00"), reverses="k"))
    assert refused.value.code == "reversal_not_mirror"


def test_account_code_must_be_clean():
    with pytest.raises(LedgerError) as refused:
        Account(" x", "X", AccountKind.ASSET)
    assert refused.value.code == "invalid_account_code"
