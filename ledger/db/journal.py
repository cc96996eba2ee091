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

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from types import SimpleNamespace

from sqlalchemy import Connection, String, bindparam, case, func, select, text, type_coerce

from ledger.accounts import Account, AccountKind, Side
from ledger.balances import Totals, check_limits, check_limits_over_time, net_change
from ledger.book import check_idempotency, check_reversal
from ledger.chain import GENESIS_HASH, content_digest
from ledger.clock import today
from ledger.dates import not_after_today
from ledger.db import driver
from ledger.db.errors import translate_database_error
from ledger.db.inserts import driver_cursor, write_batch
from ledger.db.queries import totals_as_of_date
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
from ledger.posted import PostedEntry, entry_content, record_entry
from ledger.said import said

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
    latest_on: date | None  # the effective date of its last posting, if any


def serialise_writers(connection: Connection) -> None:
    """Queue behind every other booker now, for operations that must look before they book
    (is this key booked already?). On PostgreSQL a transaction-scoped advisory lock, taken once
    per transaction (a second call in the same transaction costs no round trip); on SQLite the
    write transaction already holds the lock."""
    if connection.dialect.name != "postgresql":
        return
    if holds_journal_lock(connection):
        return  # this transaction queued already: once is enough (the lock lasts until its end)
    connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": JOURNAL_LOCK_KEY})
    note_journal_locked(connection)


def holds_journal_lock(connection: Connection) -> bool:
    """Whether this transaction took the journal lock already (through this module)."""
    held_in = connection.info.get(_SERIALISED)
    return held_in is not None and held_in is connection.get_transaction()


def note_journal_locked(connection: Connection) -> None:
    """After a statement that took the journal lock (``pg_advisory_xact_lock(JOURNAL_LOCK_KEY)``,
    perhaps inside a server-side function): the rest of this transaction holds it."""
    if not connection.connection.driver_connection.autocommit:  # else it ended with the statement
        connection.info[_SERIALISED] = connection.get_transaction()  # begun by now, if not before


#: Where a connection notes the transaction that holds the journal lock.
_SERIALISED = "regioledger.serialised_in"


@dataclass(frozen=True)
class JournalHead:
    """What a booker holds once it has the journal lock: the chain's last entry, how many of
    its keys are booked already, and the accounts it books on (locked)."""

    sequence: int
    entry_hash: str
    recorded_at: datetime | None
    known_keys: int
    accounts: dict[str, LockedAccount]


def lock_journal(connection: Connection, keys: Sequence[str], codes: Sequence[str]) -> JournalHead:
    """Serialise bookers, then read the head, count known keys and lock the accounts.

    PostgreSQL does all of it in one round trip (``regioledger_lock_journal``: an advisory
    transaction lock, then reads with a fresh snapshot, accounts locked in id order); on
    SQLite ``BEGIN IMMEDIATE`` already holds the write lock and reads are in-process.
    """
    if connection.dialect.name == "postgresql":
        row = connection.execute(
            text("SELECT * FROM regioledger_lock_journal(:lock_key, :keys, :codes)"),
            {"lock_key": JOURNAL_LOCK_KEY, "keys": list(keys), "codes": sorted(set(codes))},
        ).one()
        head_id, head_hash, head_time, known, account_rows = row
        accounts = [SimpleNamespace(**values) for values in account_rows]
    else:
        head = connection.execute(HEAD_QUERY).first()
        head_id, head_hash, head_time = head if head else (None, None, None)
        known = sum(
            connection.execute(KNOWN_KEYS_QUERY, {"keys": list(part)}).scalar() or 0
            for part in chunked(sorted(set(keys)))
        )
        accounts = [
            row
            for part in chunked(sorted(set(codes)))
            for row in connection.execute(ACCOUNTS_QUERY, {"codes": list(part)})
        ]
    locked = {
        row.code: LockedAccount(
            row.id, account_from_row(row), totals_from_row(row), driver.day(row.latest_on)
        )
        for row in accounts
    }
    if head_id is None:
        return JournalHead(0, GENESIS_HASH, None, known, locked)
    return JournalHead(head_id, head_hash, aware(head_time), known, locked)


#: The effective date of an account's last posting: one descent of ix_posting_account_effective.
LATEST_POSTING_ON = (
    select(func.max(posting_table.c.effective_on))
    .where(posting_table.c.account_id == account_table.c.id)
    .correlate(account_table)
    .scalar_subquery()
)
#: What booking needs of an account; ``closed_at`` as text spares parsing a timestamp per row.
ACCOUNT_COLUMNS = [
    *(
        c
        for c in account_table.c
        if c.name not in ("opened_at", "opened_by", "closed_at", "closed_by")
    ),
    type_coerce(account_table.c.closed_at, String).label("closed_at"),
    type_coerce(LATEST_POSTING_ON, String).label("latest_on"),
]

ACCOUNTS_QUERY = select(*ACCOUNT_COLUMNS).where(
    account_table.c.code.in_(bindparam("codes", expanding=True))
)
KNOWN_KEYS_QUERY = select(func.count()).where(
    entry_table.c.key.in_(bindparam("keys", expanding=True))
)
HEAD_QUERY = (
    select(entry_table.c.id, entry_table.c.entry_hash, entry_table.c.recorded_at)
    .order_by(entry_table.c.id.desc())
    .limit(1)
)


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

    connection: Connection
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
        self.latest_on = {code: locked.latest_on for code, locked in self.accounts.items()}
        self.pending: dict[str, list[tuple[date, int]]] = defaultdict(
            list
        )  # booked here, not yet written
        self.posted: list[PostedEntry] = []
        self.by_key: dict[str, PostedEntry] = {}

    def history(self, code: str, on: date) -> tuple[int, list[tuple[date, int]]]:
        """An account's balance as of ``on`` and its net change per later date: the stored
        postings (whole months from the month balances) and those of this batch."""
        base, later = stored_history(self.connection, self.accounts[code], on)
        merged = defaultdict(int, later)
        for day, signed in self.pending[code]:
            if day <= on:
                base += signed
            else:
                merged[day] += signed
        return base, sorted(merged.items())

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
        if not problems:
            problems += check_limits_over_time(entry, self.catalogue, self.latest_on, self.history)
        raise_if_any(problems)
        self._remember_dates(entry)
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

    def _remember_dates(self, entry: JournalEntry) -> None:
        for code in {p.account for p in entry.postings}:
            account = self.catalogue[code]
            if account.non_negative:
                self.pending[code].append((entry.effective_on, net_change(entry, account)))
            latest = self.latest_on.get(code)
            self.latest_on[code] = (
                entry.effective_on if latest is None else max(latest, entry.effective_on)
            )


def stored_history(
    connection: Connection, locked: LockedAccount, on: date
) -> tuple[int, list[tuple[date, int]]]:
    """From the database: an account's balance as of ``on`` on its normal side, and its net
    change per effective date after ``on``."""
    side = locked.account.normal_side
    totals = totals_as_of_date(connection, [locked.id], on).get(locked.id, Totals())
    grows = case(
        (posting_table.c.side == side.value, posting_table.c.amount), else_=-posting_table.c.amount
    )
    later = connection.execute(
        select(posting_table.c.effective_on, func.sum(grows))
        .where(posting_table.c.account_id == locked.id, posting_table.c.effective_on > on)
        .group_by(posting_table.c.effective_on)
        .order_by(posting_table.c.effective_on)
    )
    return totals.normal_balance(side), [(driver.day(day), int(change)) for day, change in later]


def book_entries(
    connection: Connection, entries: Sequence[JournalEntry], clock: Clock = utc_now
) -> list[PostedEntry]:
    """Book ``entries`` in order within the current transaction; all or nothing."""
    return [posted for posted, _ in book_entries_noting_new(connection, entries, clock)]


def book_entries_noting_new(
    connection: Connection, entries: Sequence[JournalEntry], clock: Clock = utc_now
) -> list[tuple[PostedEntry, bool]]:
    """Like ``book_entries``, and says of each entry whether it is new (False: an earlier
    booking with the same key and content, returned as it was)."""
    refuse_future(entries)
    one_call = connection.dialect.name == "postgresql" and len(entries) == 1
    if one_call and (posted := book_in_one_call(connection, entries[0], clock)) is not None:
        return [(posted, True)]
    keys = [e.key for e in entries]
    head = lock_journal(connection, keys, [p.account for e in entries for p in e.postings])
    existing = {p.key: p for p in load_entries(connection, keys=keys)} if head.known_keys else {}
    fresh = [e for e in entries if e.key not in existing]
    originals, reversed_keys = _reversal_targets(connection, fresh)
    now = clock()
    batch = _Batch(
        connection=connection,
        accounts=head.accounts,
        existing=existing,
        originals=originals,
        reversed_keys=reversed_keys,
        sequence=head.sequence,
        last_hash=head.entry_hash,
        recorded_at=max(now, head.recorded_at) if head.recorded_at else now,
    )
    results = [batch.add(entry) for entry in entries]
    write_batch(connection, batch.posted, batch.originals, batch.accounts)
    new_keys = {p.key for p in batch.posted}
    return [(posted, posted.key in new_keys) for posted in results]


#: The kinds of account that hold in-kind contributions, which no entry mixes with cash.
MEMORANDUM_KINDS = [kind.value for kind in AccountKind if kind.is_memorandum]


def refuse_future(entries: Sequence[JournalEntry]) -> None:
    """Nothing is booked in the future: every entry's effective date has come (today from the
    one clock, ``ledger.clock``)."""
    day = today()
    raise_if_any(
        [p for e in entries for p in not_after_today(f"Entry {e.key}", e.effective_on, day)]
    )


def book_in_one_call(
    connection: Connection, entry: JournalEntry, clock: Clock = utc_now
) -> PostedEntry | None:
    """PostgreSQL: one new entry booked by one server-side call (``regioledger_book_entry``):
    the journal lock, the account locks, the checks, the chain and the rows in one round
    trip, every trigger still judging the rows. Inside the caller's transaction, or, on a
    connection in autocommit mode, as the booking's whole transaction (its commit in the same
    round trip). None when nothing was written because something is out of the ordinary (a
    reversal, a known key, an account that does not take the entry, a limit, a back-dated
    draw): the usual path then books it or says exactly what is wrong. The ledger seals the
    entry again from where the server put it: the two must agree, or the transaction is not
    committed; after an autocommitted call the error says the entry was booked, and
    ``regioledger verify`` will show it (the tests compare the two seals)."""
    sealed = _call_book_entry(connection, entry, clock)
    if sealed is None:
        return None
    committed = connection.connection.driver_connection.autocommit
    return _sealed_by_the_server(entry, *sealed, committed=committed)


#: The one call that books a new entry on PostgreSQL, its arguments from ``book_entry_arguments``.
BOOK_ENTRY_CALL = (
    "SELECT * FROM regioledger_book_entry(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
)


def book_entry_arguments(entry: JournalEntry, booked_at: datetime) -> tuple:
    """What ``BOOK_ENTRY_CALL`` is given for ``entry``, booked at ``booked_at``: the journal's
    lock, the entry's fields and digest, its postings as arrays in posting order."""
    postings = entry.postings
    return (
        JOURNAL_LOCK_KEY,
        entry.key,
        entry.effective_on,
        booked_at,
        entry.memo,
        entry.actor,
        entry.reason,
        entry.source_document,
        content_digest(entry_content(entry)),
        [p.account for p in postings],
        [p.side.value for p in postings],
        [p.amount.minor_units for p in postings],
        [p.amount.currency for p in postings],
        MEMORANDUM_KINDS,
    )


def _call_book_entry(connection: Connection, entry: JournalEntry, clock: Clock) -> tuple | None:
    """What ``regioledger_book_entry`` answers for a new entry (where the server put it), or
    None: a reversal, or the server wrote nothing."""
    if entry.reverses:
        return None
    with translate_database_error(), driver_cursor(connection) as cursor:
        cursor.execute(BOOK_ENTRY_CALL, book_entry_arguments(entry, clock()))
        booked, *sealed = cursor.fetchone()
    return tuple(sealed) if booked else None


def _sealed_by_the_server(
    entry: JournalEntry,
    sequence: int,
    recorded_at: datetime,
    prev_hash: str,
    server_hash: str,
    debit_totals: list[int],
    credit_totals: list[int],
    *,
    committed: bool,
) -> PostedEntry:
    """The entry as the ledger seals it (``record_entry``) from where the server put it; the
    server's running totals and hash must be the ledger's own. ``committed``: whether the
    server's transaction has already committed the entry (the error then says so)."""
    before: dict[str, Totals] = {}
    for posting, debit, credit in zip(entry.postings, debit_totals, credit_totals, strict=True):
        if posting.account not in before:  # its first posting here: the account's totals before
            amount = posting.amount.minor_units
            debited = posting.side is Side.DEBIT
            before[posting.account] = Totals(
                debit - amount if debited else debit, credit if debited else credit - amount
            )
    posted = record_entry(
        entry, sequence=sequence, recorded_at=recorded_at, prev_hash=prev_hash, totals_before=before
    )
    totals = [(p.debit_total_after, p.credit_total_after) for p in posted.postings]
    server_totals = list(zip(debit_totals, credit_totals, strict=True))
    if posted.entry_hash != server_hash or totals != server_totals:
        outcome = (
            said(
                "it was booked as entry {sequence}: run regioledger verify and report this",
                sequence=sequence,
            )
            if committed
            else said("nothing was booked")  # the transaction keeps nothing
        )
        raise LedgerError.single(
            "chain_broken",
            said(
                "Entry {entry}: the database sealed hash {server_hash} and running totals "
                "{server_totals}, the ledger computes {entry_hash} and {totals}; {outcome}.",
                entry=entry.key,
                server_hash=server_hash,
                server_totals=server_totals,
                entry_hash=posted.entry_hash,
                totals=totals,
                outcome=outcome,
            ),
        )
    return posted


def entry_by_key(connection: Connection, key: str) -> PostedEntry:
    found = load_entries(connection, keys=[key])
    if not found:
        raise LedgerError.single(
            "entry_not_found",
            said("No entry with key {key!r} is in the journal.", key=key),
            entry=key,
        )
    return found[0]
