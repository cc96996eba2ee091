"""Recheck a whole journal: the pure half of ``regioledger verify``.

``check_journal`` replays posted entries in sequence order and reports every broken
invariant: numbering, hash chain, content digests, balance per currency, account rules,
balance limits (now, and as of every effective date), running totals, and reversal links. Problems name the entry (its sequence
number and key) and the account.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

from ledger.accounts import Account, Side
from ledger.balances import Totals
from ledger.chain import GENESIS_HASH, chain_hash, content_digest
from ledger.entries import check_entry_accounts, is_mirror_image
from ledger.errors import LedgerError, Problem
from ledger.posted import PostedEntry
from ledger.said import Both, Said, said

#: The entry a reversal reverses, by its key, if it is booked before the given sequence number.
OriginalOf = Callable[[str, int], PostedEntry | None]


@dataclass
class JournalCheck:
    """State of a replay; ``problems`` in journal order, ``totals`` per account at the end.

    ``original_of``: where a reversal's original is looked up. Without it every entry is kept
    for that (a replay in memory); with it (``regioledger verify``, which asks the database)
    the replay keeps no entry, so its memory does not grow with the journal."""

    accounts: Mapping[str, Account]
    original_of: OriginalOf | None = None
    problems: list[Problem] = field(default_factory=list)
    totals: dict[str, Totals] = field(default_factory=dict)
    entries_checked: int = 0
    last_hash: str = GENESIS_HASH
    _entries_by_key: dict[str, PostedEntry] = field(default_factory=dict)
    _reversed: set[str] = field(default_factory=set)
    #: per limited account, its net change per effective date (balances as of every date)
    _daily: dict[str, dict[date, int]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(int))
    )

    def fail(
        self, posted: PostedEntry, code: str, text: Said | Both, account: str | None = None
    ) -> None:
        self.problems.append(
            Problem.of(
                code,
                said(
                    "entry {sequence} ({key}): {text}",
                    sequence=posted.sequence,
                    key=posted.key,
                    text=text,
                ),
                entry=posted.key,
                account=account,
                details={"sequence": posted.sequence},
            )
        )

    def check(self, posted: PostedEntry) -> None:
        expected_sequence = self.entries_checked + 1
        if posted.sequence != expected_sequence:
            self.fail(
                posted,
                "sequence_gap",
                said("expected sequence {expected}", expected=expected_sequence),
            )
        self._check_hashes(posted)
        self._check_rules(posted)
        self._replay_totals(posted)
        self._check_reversal(posted)
        if self.original_of is None:
            self._entries_by_key[posted.key] = posted
        self.entries_checked += 1
        self.last_hash = posted.entry_hash

    def _check_hashes(self, posted: PostedEntry) -> None:
        if posted.prev_hash != self.last_hash:
            self.fail(
                posted,
                "chain_broken",
                said("its previous-hash does not match the entry before it"),
            )
        digest = content_digest(posted.content())
        if digest != posted.content_digest:
            self.fail(
                posted,
                "content_tampered",
                said("its stored content no longer matches its digest"),
            )
        expected = chain_hash(
            posted.prev_hash, posted.sequence, posted.recorded_at, posted.content_digest
        )
        if expected != posted.entry_hash:
            self.fail(
                posted,
                "hash_mismatch",
                said("its chain hash does not match its stored digest, time and predecessor"),
            )

    def _check_rules(self, posted: PostedEntry) -> None:
        try:
            entry = posted.to_entry()
        except LedgerError as error:
            for problem in error.problems:
                self.fail(posted, problem.code, problem.said, problem.account)
            return
        for problem in check_entry_accounts(entry, self.accounts):
            if problem.code != "account_closed":  # closing later does not void earlier postings
                self.fail(posted, problem.code, problem.said, problem.account)

    def _replay_totals(self, posted: PostedEntry) -> None:
        touched = set()
        for posting in posted.postings:
            before = self.totals.get(posting.account) or Totals()
            after = before.add(Side(posting.side), posting.minor_units)
            self.totals[posting.account] = after
            touched.add(posting.account)
            if (after.debit_total, after.credit_total) != (
                posting.debit_total_after,
                posting.credit_total_after,
            ):
                self.fail(
                    posted,
                    "running_total_mismatch",
                    said("stored running totals differ from the replay"),
                    posting.account,
                )
        for code in sorted(touched):
            account = self.accounts.get(code)
            if (
                account
                and account.non_negative
                and self.totals[code].normal_balance(account.normal_side) < 0
            ):
                self.fail(
                    posted,
                    "limit_exceeded",
                    said("account {code} is below zero after it", code=code),
                    code,
                )
        for posting in posted.postings:
            account = self.accounts.get(posting.account)
            if account is not None and account.non_negative:
                grows = Side(posting.side) is account.normal_side
                self._daily[posting.account][posted.effective_on] += (
                    posting.minor_units if grows else -posting.minor_units
                )

    def check_every_date(self) -> None:
        """A limited account must not be below zero as of any effective date (a booking dated
        before later ones changes every balance after it)."""
        for code, changes in sorted(self._daily.items()):
            balance = 0
            for day in sorted(changes):
                balance += changes[day]
                if balance < 0:
                    self.problems.append(
                        Problem.of(
                            "limit_exceeded_as_of",
                            said(
                                "account {code} is below zero as of {day} ({value} minor units short)",
                                code=code,
                                day=day,
                                value=-balance,
                            ),
                            account=code,
                            details={"as_of": day},
                        )
                    )
                    break

    def _check_reversal(self, posted: PostedEntry) -> None:
        if posted.reverses is None:
            return
        original = (
            self._entries_by_key.get(posted.reverses)
            if self.original_of is None
            else self.original_of(posted.reverses, posted.sequence)
        )
        if original is None:
            self.fail(
                posted,
                "reversal_unlinked",
                said(
                    "it reverses {reverses}, which is not booked before it",
                    reverses=posted.reverses,
                ),
            )
            return
        if posted.reverses in self._reversed:
            self.fail(
                posted,
                "reversal_repeated",
                said("{reverses} was already reversed", reverses=posted.reverses),
            )
        self._reversed.add(posted.reverses)
        try:
            mirrored = is_mirror_image(original.to_entry(), posted.to_entry())
        except LedgerError:
            return  # already reported by _check_rules
        if not mirrored:
            self.fail(
                posted,
                "reversal_not_mirror",
                said("it is not the mirror image of {reverses}", reverses=posted.reverses),
            )


def check_journal(
    accounts: Mapping[str, Account],
    entries: Iterable[PostedEntry],
    original_of: OriginalOf | None = None,
) -> JournalCheck:
    state = JournalCheck(accounts, original_of)
    for posted in entries:
        state.check(posted)
    state.check_every_date()
    return state
