"""Conversions between table rows and the core's objects, and loading of posted entries."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Connection, bindparam, select

from ledger.accounts import Account
from ledger.balances import Totals
from ledger.db.driver import Reader, account_of, posted_entry
from ledger.db.driver import stream_entries as stream_driver_entries
from ledger.db.models import AccountRow, JournalEntryRow, PostingRow, table_of
from ledger.errors import LedgerError
from ledger.posted import PostedEntry, PostedPosting
from ledger.said import said

account_table = table_of(AccountRow)
entry_table = table_of(JournalEntryRow)
posting_table = table_of(PostingRow)


def aware(moment: datetime) -> datetime:
    """SQLite hands back naive UTC timestamps; PostgreSQL aware ones."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def in_utc(moment: datetime) -> datetime:
    """Timestamps go into queries and rows in UTC; a naive one is refused, not guessed."""
    if moment.tzinfo is None:
        raise LedgerError.single(
            "naive_timestamp",
            said(
                "Timestamp {moment} has no time zone; give one (e.g. +00:00).",
                moment=moment.isoformat(),
            ),
        )
    return moment.astimezone(UTC)


def storage_values(dialect: str, effective_on: date, recorded_at: datetime) -> tuple[Any, Any]:
    """Dates and times as the column types store them, for rows written by the driver:
    SQLite keeps ISO text (UTC, no zone, as SQLAlchemy writes it); PostgreSQL typed values."""
    if dialect == "sqlite":
        return effective_on.isoformat(), in_utc(recorded_at).strftime("%Y-%m-%d %H:%M:%S.%f")
    return effective_on, recorded_at


def account_from_row(row: Any) -> Account:
    return account_of(
        row.code,
        row.name,
        row.kind,
        row.currency,
        (row.envelope, row.tranche, row.deal, row.beschikking, row.organisation, row.year),
        bool(row.non_negative),
        row.closed_at is not None,
    )


def account_values(account: Account, opened_at: datetime, opened_by: str) -> dict[str, Any]:
    dims = account.dimensions
    return {
        "code": account.code,
        "name": account.name,
        "kind": account.kind.value,
        "normal_side": account.normal_side.value,
        "currency": account.currency,
        "non_negative": account.non_negative,
        "envelope": dims.envelope,
        "tranche": dims.tranche,
        "deal": dims.deal,
        "beschikking": dims.beschikking,
        "organisation": dims.organisation,
        "year": dims.year,
        "debit_total": 0,
        "credit_total": 0,
        "opened_at": opened_at,
        "opened_by": opened_by,
    }


def totals_from_row(row: Any) -> Totals:
    return Totals(row.debit_total, row.credit_total)


_ENTRY_COLUMNS = (
    entry_table.c.id,
    entry_table.c.key,
    entry_table.c.effective_on,
    entry_table.c.recorded_at,
    entry_table.c.memo,
    entry_table.c.actor,
    entry_table.c.reason,
    entry_table.c.source_document,
    entry_table.c.content_digest,
    entry_table.c.prev_hash,
    entry_table.c.entry_hash,
)


def _build_entries_query() -> Any:
    reversed_entry = entry_table.alias("reversed_entry")
    return (
        select(*_ENTRY_COLUMNS, reversed_entry.c.key.label("reverses_key"))
        .select_from(
            entry_table.outerjoin(reversed_entry, entry_table.c.reverses_id == reversed_entry.c.id)
        )
        .order_by(entry_table.c.id)
    )


def _build_postings_query() -> Any:
    return (
        select(
            posting_table.c.entry_id,
            account_table.c.code,
            posting_table.c.side,
            posting_table.c.amount,
            posting_table.c.currency,
            posting_table.c.debit_total_after,
            posting_table.c.credit_total_after,
        )
        .select_from(
            posting_table.join(account_table, posting_table.c.account_id == account_table.c.id)
        )
        .order_by(posting_table.c.entry_id, posting_table.c.position)
    )


# Built once: constructing a select is costly next to running a cached one. The columns are
# those of ``ledger.db.driver.ENTRIES`` and ``POSTINGS``, in the same order, so one conversion
# (``posted_entry``) serves both readers.
ENTRIES_QUERY = _build_entries_query()
POSTINGS_QUERY = _build_postings_query()
# Built once with expanding parameters: building an IN clause per call costs more than the query.
ENTRIES_BY_KEY = ENTRIES_QUERY.where(entry_table.c.key.in_(bindparam("values", expanding=True)))
ENTRIES_BY_ID = ENTRIES_QUERY.where(entry_table.c.id.in_(bindparam("values", expanding=True)))
POSTINGS_OF = POSTINGS_QUERY.where(
    posting_table.c.entry_id.in_(bindparam("values", expanding=True))
)


#: Values per IN (...) list: far below SQLite's limit of 32,766 bound parameters.
IN_CHUNK = 1000


def chunked(values: Sequence[Any], size: int = IN_CHUNK) -> Iterator[Sequence[Any]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def load_entries(
    connection: Connection, *, keys: Iterable[str] = (), ids: Iterable[int] = ()
) -> list[PostedEntry]:
    """Posted entries by key or by sequence number, in journal order."""
    wanted_keys, wanted_ids = sorted(set(keys)), sorted(set(ids))
    entry_rows = []
    for part in chunked(wanted_keys):
        entry_rows += connection.execute(ENTRIES_BY_KEY, {"values": list(part)}).all()
    for part in chunked(wanted_ids):
        entry_rows += connection.execute(ENTRIES_BY_ID, {"values": list(part)}).all()
    if not entry_rows:
        return []
    entry_rows.sort(key=lambda row: row.id)
    found = [row.id for row in entry_rows]
    by_entry: dict[int, list[PostedPosting]] = {entry_id: [] for entry_id in found}
    for part in chunked(found):
        for row in connection.execute(POSTINGS_OF, {"values": list(part)}):
            by_entry[row.entry_id].append(PostedPosting(*row[1:]))
    return [posted_entry(row, by_entry[row.id]) for row in entry_rows]


def stream_entries(connection: Connection, chunk: int = 5000) -> Iterator[PostedEntry]:
    """Every posted entry in journal order, read in chunks through the driver so memory
    stays flat (``ledger.db.driver``)."""
    return stream_driver_entries(Reader.of(connection), chunk)
