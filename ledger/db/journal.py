"""Booking entries inside the caller's transaction: the persistent twin of ``ledger.book``.

``book_entries`` runs every check of the core (accounts, idempotency, reversal links,
balance limits) against rows it has locked, seals the entries into the hash chain and
writes them with one multi-row insert per table. It never commits: the unit of work does.

Concurrency: on PostgreSQL a transaction-scoped advisory lock serialises bookers (the hash
chain needs one order anyway) and the touched accounts are locked in id order; on SQLite
the write transaction is ``BEGIN IMMEDIATE``. Either way the database's own CHECK on the
account totals is the last line: a limit cannot be crossed even by a buggy caller.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, insert, select, text

from ledger.accounts import Account
from ledger.balances import Totals, check_limits
from ledger.book import check_idempotency, check_reversal
from ledger.chain import GENESIS_HASH
from ledger.db.errors import translate_database_error
from ledger.db.rows import (
    account_from_row,
    account_table,
    aware,
    chunked,
    entry_table,
    load_entries,
    posting_table,
    totals_from_row,
)
from ledger.entries import JournalEntry, check_entry_accounts
from ledger.errors import LedgerError, raise_if_any
from ledger.posted import PostedEntry, record_entry

#: The advisory lock key that serialises bookers on PostgreSQL ("regioledger" in ASCII).
JOURNAL_LOCK_KEY = 0x7265_6769_6F6C

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class LockedAccount:
    id: int
    account: Account
    totals: Totals


def lock_journal(connection: Connection) -> None:
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": JOURNAL_LOCK_KEY})


def journal_head(connection: Connection) -> tuple[int, str, datetime | None]:
    row = connection.execute(
        select(entry_table.c.id, entry_table.c.entry_hash, entry_table.c.recorded_at)
        .order_by(entry_table.c.id.desc())
        .limit(1)
    ).first()
    if row is None:
        return 0, GENESIS_HASH, None
    return row.id, row.entry_hash, aware(row.recorded_at)


def lock_accounts(connection: Connection, codes: Sequence[str]) -> dict[str, LockedAccount]:
    """The accounts with these codes, row-locked in id order on PostgreSQL."""
    rows = []
    for part in chunked(sorted(set(codes))):
        query = (
            select(account_table).where(account_table.c.code.in_(part)).order_by(account_table.c.id)
        )
        if connection.dialect.name == "postgresql":
            query = query.with_for_update()
        rows += connection.execute(query).all()
    return {
        row.code: LockedAccount(row.id, account_from_row(row), totals_from_row(row)) for row in rows
    }


def _reversal_targets(
    connection: Connection, entries: Sequence[JournalEntry]
) -> tuple[dict[str, PostedEntry], set[str]]:
    keys = {e.reverses for e in entries if e.reverses}
    if not keys:
        return {}, set()
    originals = {p.key: p for p in load_entries(connection, keys=keys)}
    ids = [p.sequence for p in originals.values()]
    reversed_ids = set()
    for part in chunked(ids):
        query = select(entry_table.c.reverses_id).where(entry_table.c.reverses_id.in_(part))
        reversed_ids.update(connection.execute(query).scalars())
    reversed_keys = {p.key for p in originals.values() if p.sequence in reversed_ids}
    return originals, reversed_keys


@dataclass
class _Batch:
    """What one call books, built up entry by entry before anything is written."""

    accounts: dict[str, LockedAccount]
    existing: dict[str, PostedEntry]
    originals: dict[str, PostedEntry]
    reversed_keys: set[str]
    sequence: int
    last_hash: str
    recorded_at: datetime

    def __post_init__(self) -> None:
        self.totals = {code: locked.totals for code, locked in self.accounts.items()}
        self.catalogue = {code: locked.account for code, locked in self.accounts.items()}
        self.posted: list[PostedEntry] = []
        self.by_key: dict[str, PostedEntry] = {}

    def add(self, entry: JournalEntry) -> PostedEntry:
        earlier = check_idempotency(
            entry, self.by_key.get(entry.key) or self.existing.get(entry.key)
        )
        if earlier is not None:
            return earlier
        problems = check_entry_accounts(entry, self.catalogue)
        original = self.by_key.get(entry.reverses or "") or self.originals.get(entry.reverses or "")
        problems += check_reversal(entry, original, entry.reverses in self.reversed_keys)
        if not problems:
            problems += check_limits(entry, self.catalogue, self.totals)
        raise_if_any(problems)
        self.sequence += 1
        posted = record_entry(
            entry,
            sequence=self.sequence,
            recorded_at=self.recorded_at,
            prev_hash=self.last_hash,
            totals_before=self.totals,
        )
        for posting in posted.postings:
            self.totals[posting.account] = Totals(
                posting.debit_total_after, posting.credit_total_after
            )
        if entry.reverses:
            self.reversed_keys.add(entry.reverses)
        self.last_hash = posted.entry_hash
        self.posted.append(posted)
        self.by_key[entry.key] = posted
        return posted


def book_entries(
    connection: Connection, entries: Sequence[JournalEntry], clock: Clock = utc_now
) -> list[PostedEntry]:
    """Book ``entries`` in order within the current transaction; all or nothing."""
    lock_journal(connection)
    existing = {p.key: p for p in load_entries(connection, keys=[e.key for e in entries])}
    fresh = [e for e in entries if e.key not in existing]
    codes = [p.account for e in fresh for p in e.postings]
    originals, reversed_keys = _reversal_targets(connection, fresh)
    sequence, last_hash, last_recorded_at = journal_head(connection)
    now = clock()
    batch = _Batch(
        accounts=lock_accounts(connection, codes),
        existing=existing,
        originals=originals,
        reversed_keys=reversed_keys,
        sequence=sequence,
        last_hash=last_hash,
        recorded_at=max(now, last_recorded_at) if last_recorded_at else now,
    )
    results = [batch.add(entry) for entry in entries]
    _write(connection, batch)
    return results


def _write(connection: Connection, batch: _Batch) -> None:
    if not batch.posted:
        return
    ids_by_key = {p.key: p.sequence for p in batch.posted}
    ids_by_key.update({p.key: p.sequence for p in batch.originals.values()})
    entry_rows = [_entry_row(p, ids_by_key) for p in batch.posted]
    posting_rows = [
        _posting_row(p, position, posting, batch.accounts[posting.account].id)
        for p in batch.posted
        for position, posting in enumerate(p.postings)
    ]
    with translate_database_error():
        connection.execute(insert(entry_table), entry_rows)
        connection.execute(insert(posting_table), posting_rows)


def _entry_row(posted: PostedEntry, ids_by_key: dict[str, int]) -> dict[str, Any]:
    return {
        "id": posted.sequence,
        "key": posted.key,
        "effective_on": posted.effective_on,
        "recorded_at": posted.recorded_at,
        "memo": posted.memo,
        "actor": posted.actor,
        "reason": posted.reason,
        "source_document": posted.source_document,
        "reverses_id": ids_by_key[posted.reverses] if posted.reverses else None,
        "content_digest": posted.content_digest,
        "prev_hash": posted.prev_hash,
        "entry_hash": posted.entry_hash,
    }


def _posting_row(
    posted: PostedEntry, position: int, posting: Any, account_id: int
) -> dict[str, Any]:
    return {
        "entry_id": posted.sequence,
        "position": position,
        "account_id": account_id,
        "currency": posting.currency,
        "side": posting.side,
        "amount": posting.minor_units,
        "effective_on": posted.effective_on,
        "debit_total_after": posting.debit_total_after,
        "credit_total_after": posting.credit_total_after,
    }


def entry_by_key(connection: Connection, key: str) -> PostedEntry:
    found = load_entries(connection, keys=[key])
    if not found:
        raise LedgerError.single(
            "entry_not_found",
            f"No entry with key {key!r} is in the journal.",
            f"Er staat geen boeking met sleutel {key!r} in het journaal.",
            entry=key,
        )
    return found[0]
