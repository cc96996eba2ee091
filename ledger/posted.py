"""Booked entries as the journal keeps them: sequence number, time, hashes and, per posting,
the account's running totals after it. A ``PostedEntry`` is plain data with no validation,
so that a verifier can load and judge whatever is stored."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

from ledger.accounts import Side
from ledger.balances import Totals
from ledger.chain import EntryContent, chain_hash, content_digest
from ledger.entries import JournalEntry, Posting
from ledger.money import Money


@dataclass(frozen=True, slots=True)
class PostedPosting:
    account: str
    side: str
    minor_units: int
    currency: str
    debit_total_after: int
    credit_total_after: int


@dataclass(frozen=True, slots=True)
class PostedEntry:
    sequence: int
    key: str
    effective_on: date
    recorded_at: datetime
    memo: str
    actor: str
    reason: str
    source_document: str | None
    reverses: str | None
    postings: tuple[PostedPosting, ...]
    content_digest: str
    prev_hash: str
    entry_hash: str

    def content(self) -> EntryContent:
        return EntryContent(
            self.key,
            self.effective_on,
            self.memo,
            self.actor,
            self.reason,
            self.source_document,
            self.reverses,
            tuple((p.account, p.side, p.minor_units, p.currency) for p in self.postings),
        )

    def to_entry(self) -> JournalEntry:
        """The entry as booked; raises LedgerError if the stored rows no longer make one."""
        return JournalEntry(
            key=self.key,
            effective_on=self.effective_on,
            memo=self.memo,
            actor=self.actor,
            reason=self.reason,
            source_document=self.source_document,
            reverses=self.reverses,
            postings=tuple(
                Posting(p.account, Side(p.side), Money.from_minor_units(p.minor_units, p.currency))
                for p in self.postings
            ),
        )

    def as_document(self) -> dict[str, object]:
        """The entry as plain data for a reader (JSON): dates in ISO form, amounts as exact
        decimal strings in their currency; the one shape the CLI and the API both show."""
        return {
            "sequence": self.sequence,
            "key": self.key,
            "effective_on": self.effective_on.isoformat(),
            "recorded_at": self.recorded_at.isoformat(),
            "memo": self.memo,
            "actor": self.actor,
            "reason": self.reason,
            "source_document": self.source_document,
            "reverses": self.reverses,
            "entry_hash": self.entry_hash,
            "postings": [
                {
                    "account": p.account,
                    "side": p.side,
                    "currency": p.currency,
                    "amount": str(Money.from_minor_units(p.minor_units, p.currency).amount),
                }
                for p in self.postings
            ],
        }


def entry_content(entry: JournalEntry) -> EntryContent:
    return EntryContent(
        entry.key,
        entry.effective_on,
        entry.memo,
        entry.actor,
        entry.reason,
        entry.source_document,
        entry.reverses,
        tuple(
            (p.account, p.side.value, p.amount.minor_units, p.amount.currency)
            for p in entry.postings
        ),
    )


def record_entry(
    entry: JournalEntry,
    *,
    sequence: int,
    recorded_at: datetime,
    prev_hash: str,
    totals_before: Mapping[str, Totals],
) -> PostedEntry:
    """Seal ``entry`` as journal entry number ``sequence``: running totals, digest, chain hash."""
    running: dict[str, Totals] = {}  # only the accounts this entry touches
    postings = []
    for posting in entry.postings:
        before = running.get(posting.account) or totals_before.get(posting.account) or Totals()
        after = before.add(posting.side, posting.amount.minor_units)
        running[posting.account] = after
        postings.append(
            PostedPosting(
                posting.account,
                posting.side.value,
                posting.amount.minor_units,
                posting.amount.currency,
                after.debit_total,
                after.credit_total,
            )
        )
    digest = content_digest(entry_content(entry))
    return PostedEntry(
        sequence=sequence,
        key=entry.key,
        effective_on=entry.effective_on,
        recorded_at=recorded_at,
        memo=entry.memo,
        actor=entry.actor,
        reason=entry.reason,
        source_document=entry.source_document,
        reverses=entry.reverses,
        postings=tuple(postings),
        content_digest=digest,
        prev_hash=prev_hash,
        entry_hash=chain_hash(prev_hash, sequence, recorded_at, digest),
    )
