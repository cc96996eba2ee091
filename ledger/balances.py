"""Running totals per account, balance limits, and the trial balance.

Totals are kept as integer minor units (exact, and fast to add over a million postings);
``Money`` is what leaves this module.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from ledger.accounts import Account, Side
from ledger.entries import JournalEntry
from ledger.errors import Problem
from ledger.money import Money
from ledger.said import said


class Totals(NamedTuple):
    """Debit and credit totals of one account, in minor units (a tuple: cheap to make on the
    posting path, where a batch makes one per posting)."""

    debit_total: int = 0
    credit_total: int = 0

    def add(self, side: Side | str, minor_units: int) -> Totals:
        if side == Side.DEBIT:
            return Totals(self.debit_total + minor_units, self.credit_total)
        return Totals(self.debit_total, self.credit_total + minor_units)

    def normal_balance(self, normal_side: Side) -> int:
        """The balance on the account's normal side: positive when it holds money."""
        if normal_side is Side.DEBIT:
            return self.debit_total - self.credit_total
        return self.credit_total - self.debit_total


@dataclass(frozen=True, slots=True)
class Balance:
    account: str
    normal_side: Side
    debit_total: Money
    credit_total: Money

    @property
    def balance(self) -> Money:
        if self.normal_side is Side.DEBIT:
            return self.debit_total - self.credit_total
        return self.credit_total - self.debit_total

    @classmethod
    def of(cls, account: Account, totals: Totals) -> Balance:
        return cls(
            account.code,
            account.normal_side,
            Money.from_minor_units(totals.debit_total, account.currency),
            Money.from_minor_units(totals.credit_total, account.currency),
        )


def apply_entry(totals: Mapping[str, Totals], entry: JournalEntry) -> dict[str, Totals]:
    """The totals of the accounts ``entry`` touches, after it."""
    after: dict[str, Totals] = {}
    for posting in entry.postings:
        current = after.get(posting.account) or totals.get(posting.account) or Totals()
        after[posting.account] = current.add(posting.side, posting.amount.minor_units)
    return after


def check_limits(
    entry: JournalEntry, accounts: Mapping[str, Account], totals: Mapping[str, Totals]
) -> list[Problem]:
    """Refuse an entry that would take a ``non_negative`` account below zero."""
    if not any(getattr(accounts.get(p.account), "non_negative", False) for p in entry.postings):
        return []
    problems = []
    for code, after in apply_entry(totals, entry).items():
        account = accounts.get(code)
        if account is None or not account.non_negative:
            continue
        balance_after = after.normal_balance(account.normal_side)
        if balance_after < 0:
            before = (totals.get(code) or Totals()).normal_balance(account.normal_side)
            available = Money.from_minor_units(before, account.currency)
            shortfall = Money.from_minor_units(-balance_after, account.currency)
            problems.append(
                Problem.of(
                    "limit_exceeded",
                    said(
                        "Entry {entry} would take account {code} below zero: {available} available, {shortfall} short.",
                        entry=entry.key,
                        code=code,
                        available=available,
                        shortfall=shortfall,
                    ),
                    entry=entry.key,
                    account=code,
                    details={
                        "available": available.amount,
                        "shortfall": shortfall.amount,
                        "currency": account.currency,
                    },
                )
            )
    return problems


#: What a limit check needs of an account's history for an entry dated ``on``: its balance (on
#: its normal side, in minor units) as of ``on``, and the net change of every later date, in
#: date order.
History = Callable[[str, date], tuple[int, Sequence[tuple[date, int]]]]


def net_change(entry: JournalEntry, account: Account) -> int:
    """What ``entry`` does to ``account``'s balance on its normal side, in minor units."""
    change = 0
    for posting in entry.postings:
        if posting.account == account.code:
            grows = posting.side == account.normal_side
            change += posting.amount.minor_units if grows else -posting.amount.minor_units
    return change


def check_limits_over_time(
    entry: JournalEntry,
    accounts: Mapping[str, Account],
    latest_on: Mapping[str, date | None],
    history: History,
) -> list[Problem]:
    """Refuse an entry that would take a ``non_negative`` account below zero as of *any* date:
    a booking dated before the account's last posting changes every balance from its date on,
    and each of them must hold. Only back-dated draws need ``history`` at all."""
    problems = []
    for code in dict.fromkeys(p.account for p in entry.postings):
        account = accounts.get(code)
        if account is None or not account.non_negative:
            continue
        change = net_change(entry, account)
        latest = latest_on.get(code)
        if change >= 0 or latest is None or entry.effective_on >= latest:
            continue  # no draw, or nothing dated after it: the check on the totals suffices
        base, later = history(code, entry.effective_on)
        balance, day = base + change, entry.effective_on
        for next_day, delta in ((entry.effective_on, 0), *later):
            balance, day = balance + delta, next_day
            if balance < 0:
                problems.append(_dip(entry, account, day, balance))
                break
    return problems


def _dip(entry: JournalEntry, account: Account, day: date, balance: int) -> Problem:
    shortfall = Money.from_minor_units(-balance, account.currency)
    return Problem.of(
        "limit_exceeded_as_of",
        said(
            "Entry {entry}, dated {effective_on}, would take account {account} below zero as of {day}: {shortfall} short on that date.",
            entry=entry.key,
            effective_on=entry.effective_on,
            account=account.code,
            day=day,
            shortfall=shortfall,
        ),
        entry=entry.key,
        account=account.code,
        details={
            "effective_on": entry.effective_on,
            "as_of": day,
            "shortfall": shortfall.amount,
            "currency": account.currency,
        },
    )


def trial_balance(
    accounts: Mapping[str, Account], totals: Mapping[str, Totals]
) -> dict[str, tuple[Money, Money]]:
    """Debit and credit sums per currency over all accounts; in a sound ledger they are equal."""
    debit: dict[str, int] = defaultdict(int)
    credit: dict[str, int] = defaultdict(int)
    for code, account_totals in totals.items():
        currency = accounts[code].currency
        debit[currency] += account_totals.debit_total
        credit[currency] += account_totals.credit_total
    return {
        currency: (
            Money.from_minor_units(debit[currency], currency),
            Money.from_minor_units(credit[currency], currency),
        )
        for currency in sorted(set(debit) | set(credit))
    }


def sum_totals(items: Iterable[Totals]) -> Totals:
    debit = credit = 0
    for item in items:
        debit += item.debit_total
        credit += item.credit_total
    return Totals(debit, credit)
