"""An in-memory ledger with the same rules as the database one.

``Book`` is the reference model: the property tests drive it with random operations, and
the persistent service (``ledger.db``) applies exactly these checks before it writes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime

from ledger.accounts import Account, Dimensions
from ledger.balances import (
    Balance,
    Totals,
    check_limits,
    check_limits_over_time,
    sum_totals,
    trial_balance,
)
from ledger.chain import GENESIS_HASH, content_digest
from ledger.entries import JournalEntry, check_entry_accounts, is_mirror_image
from ledger.errors import LedgerError, Problem, raise_if_any
from ledger.money import Money
from ledger.posted import PostedEntry, entry_content, record_entry
from ledger.said import said


def check_idempotency(entry: JournalEntry, existing: PostedEntry | None) -> PostedEntry | None:
    """The earlier booking under the same key if it is the same entry; refuse if it differs."""
    if existing is None:
        return None
    if existing.content_digest != content_digest(entry_content(entry)):
        raise LedgerError.single(
            "idempotency_conflict",
            said(
                "Key {entry} was already used for entry {sequence} with different content; use a new key for a new booking.",
                entry=entry.key,
                sequence=existing.sequence,
            ),
            entry=entry.key,
            sequence=existing.sequence,
        )
    return existing


def check_reversal(
    entry: JournalEntry, original: PostedEntry | None, already_reversed: bool
) -> list[Problem]:
    if entry.reverses is None:
        return []
    if original is None:
        return [
            Problem.of(
                "reversal_unlinked",
                said(
                    "Entry {entry} reverses {reverses}, which is not in the journal.",
                    entry=entry.key,
                    reverses=entry.reverses,
                ),
                entry=entry.key,
            )
        ]
    problems = []
    if already_reversed:
        problems.append(
            Problem.of(
                "already_reversed",
                said(
                    "Entry {reverses} has already been reversed; a second reversal would undo more than was booked.",
                    reverses=entry.reverses,
                ),
                entry=entry.key,
            )
        )
    if entry.effective_on < original.effective_on:
        problems.append(
            Problem.of(
                "reversal_before_entry",
                said(
                    "Entry {entry} is dated {effective_on}, before the entry it reverses ({reverses}, dated {effective_on2}); date it on or after that day.",
                    entry=entry.key,
                    effective_on=entry.effective_on,
                    reverses=entry.reverses,
                    effective_on2=original.effective_on,
                ),
                entry=entry.key,
                details={"effective_on": entry.effective_on, "original_on": original.effective_on},
            )
        )
    if not is_mirror_image(original.to_entry(), entry):
        problems.append(
            Problem.of(
                "reversal_not_mirror",
                said(
                    "Entry {entry} is not the exact mirror image of {reverses}.",
                    entry=entry.key,
                    reverses=entry.reverses,
                ),
                entry=entry.key,
            )
        )
    return problems


@dataclass
class Book:
    accounts: dict[str, Account] = field(default_factory=dict)
    journal: list[PostedEntry] = field(default_factory=list)
    totals: dict[str, Totals] = field(default_factory=dict)
    _by_key: dict[str, PostedEntry] = field(default_factory=dict)
    _reversed: set[str] = field(default_factory=set)

    def open_account(self, account: Account) -> Account:
        existing = self.accounts.get(account.code)
        if existing is not None and existing != account:
            raise LedgerError.single(
                "account_exists",
                said("Account {account} exists with other settings.", account=account.code),
                account=account.code,
            )
        self.accounts[account.code] = account
        return account

    def close_account(self, code: str) -> None:
        self.accounts[code] = replace(self.accounts[code], closed=True)

    def post(self, entry: JournalEntry, recorded_at: datetime | None = None) -> PostedEntry:
        earlier = check_idempotency(entry, self._by_key.get(entry.key))
        if earlier is not None:
            return earlier
        problems = check_entry_accounts(entry, self.accounts)
        problems += check_reversal(
            entry, self._by_key.get(entry.reverses or ""), entry.reverses in self._reversed
        )
        if not problems:
            problems += check_limits(entry, self.accounts, self.totals)
        if not problems:
            latest = {p.account: self._latest_on(p.account) for p in entry.postings}
            problems += check_limits_over_time(entry, self.accounts, latest, self._history)
        raise_if_any(problems)
        posted = record_entry(
            entry,
            sequence=len(self.journal) + 1,
            recorded_at=recorded_at or datetime.now(UTC),
            prev_hash=self.journal[-1].entry_hash if self.journal else GENESIS_HASH,
            totals_before=self.totals,
        )
        for posting in posted.postings:
            self.totals[posting.account] = Totals(
                posting.debit_total_after, posting.credit_total_after
            )
        if entry.reverses:
            self._reversed.add(entry.reverses)
        self.journal.append(posted)
        self._by_key[entry.key] = posted
        return posted

    def _postings_of(self, code: str) -> Iterable[tuple[date, int]]:
        account = self.accounts[code]
        for posted in self.journal:
            for p in posted.postings:
                if p.account == code:
                    yield (
                        posted.effective_on,
                        p.minor_units if p.side == account.normal_side else -p.minor_units,
                    )

    def _latest_on(self, code: str) -> date | None:
        return max((day for day, _ in self._postings_of(code)), default=None)

    def _history(self, code: str, on: date) -> tuple[int, list[tuple[date, int]]]:
        base, later = 0, defaultdict(int)
        for day, signed in self._postings_of(code):
            if day <= on:
                base += signed
            else:
                later[day] += signed
        return base, sorted(later.items())

    def entry(self, key: str) -> PostedEntry:
        return self._by_key[key]

    def balance(self, code: str, as_of: date | None = None) -> Balance:
        account = self.accounts[code]
        if as_of is None:
            return Balance.of(account, self.totals.get(code) or Totals())
        return Balance.of(account, self._totals_as_of(code, as_of))

    def _totals_as_of(self, code: str, as_of: date) -> Totals:
        totals = Totals()
        for posted in self.journal:
            if posted.effective_on <= as_of:
                for p in posted.postings:
                    if p.account == code:
                        totals = totals.add(p.side, p.minor_units)
        return totals

    def dimension_balance(self, wanted: Dimensions, currency: str = "EUR") -> Totals:
        codes = [
            c
            for c, a in self.accounts.items()
            if a.currency == currency and a.dimensions.matches(wanted)
        ]
        return sum_totals(self.totals.get(c) or Totals() for c in codes)

    def trial_balance(self) -> dict[str, tuple[Money, Money]]:
        return trial_balance(self.accounts, self.totals)
