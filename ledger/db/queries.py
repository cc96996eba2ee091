"""Balances from the database: of one account, of a dimension, and the trial balance, each
now, as of an effective date, or as of a recorded time.

How they stay fast at a million postings:
- *now*: the account row carries its running debit and credit totals (kept by a trigger);
- *as of a recorded time*: every posting carries its account's totals after it, so the
  answer is the last posting of each account up to that time, one index probe per account;
- *as of an effective date*: whole months come from ``account_month_balance`` (kept by a
  trigger), only the last, partial month is summed from postings.
Both at once (effective date as known at a recorded time) sums postings: correct, slower.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, and_, case, func, literal, select, union_all

from ledger.accounts import Account, Dimensions
from ledger.balances import Balance, Totals
from ledger.db import revision
from ledger.db.models import AccountMonthBalanceRow, table_of
from ledger.db.rows import account_from_row, account_table, entry_table, in_utc, posting_table
from ledger.errors import LedgerError
from ledger.money import Money
from ledger.said import said

month_table = table_of(AccountMonthBalanceRow)


@dataclass(frozen=True)
class TrialBalance:
    balances: list[Balance]
    debit_totals: dict[str, Money]
    credit_totals: dict[str, Money]

    @property
    def is_balanced(self) -> bool:
        return all(self.debit_totals[c] == self.credit_totals[c] for c in self.debit_totals)


def month_key(day: date) -> int:
    return day.year * 100 + day.month


def _account_filter(
    code: str | None,
    dimensions: Dimensions | None,
    currency: str | None,
    beschikkingen: Collection[str] | None = None,
) -> list[Any]:
    conditions = []
    if beschikkingen is not None:
        conditions.append(account_table.c.beschikking.in_(sorted(beschikkingen)))
    if code is not None:
        conditions.append(account_table.c.code == code)
    if dimensions is not None:
        for name in ("envelope", "tranche", "deal", "beschikking", "organisation", "year"):
            value = getattr(dimensions, name)
            if value is not None:
                conditions.append(account_table.c[name] == value)
    if currency is not None:
        conditions.append(account_table.c.currency == currency)
    return conditions


def last_entry_id(connection: Connection, recorded_as_of: datetime) -> int:
    found = connection.execute(
        select(entry_table.c.id)
        .where(entry_table.c.recorded_at <= in_utc(recorded_as_of))
        .order_by(entry_table.c.recorded_at.desc(), entry_table.c.id.desc())
        .limit(1)
    ).scalar()
    return found or 0


def _signed(side_column: Any, amount: Any, wanted: str) -> Any:
    return case((side_column == wanted, amount), else_=0)


def totals_as_of_date(connection: Connection, account_ids: Any, as_of: date) -> dict[int, Totals]:
    month_start = as_of.replace(day=1)
    whole_months = select(
        month_table.c.account_id.label("account_id"),
        month_table.c.debit_total.label("debit"),
        month_table.c.credit_total.label("credit"),
    ).where(month_table.c.month < month_key(as_of), month_table.c.account_id.in_(account_ids))
    partial_month = select(
        posting_table.c.account_id.label("account_id"),
        _signed(posting_table.c.side, posting_table.c.amount, "debit").label("debit"),
        _signed(posting_table.c.side, posting_table.c.amount, "credit").label("credit"),
    ).where(
        posting_table.c.effective_on >= month_start,
        posting_table.c.effective_on <= as_of,
        posting_table.c.account_id.in_(account_ids),
    )
    parts = union_all(whole_months, partial_month).subquery()
    query = select(parts.c.account_id, func.sum(parts.c.debit), func.sum(parts.c.credit)).group_by(
        parts.c.account_id
    )
    return {row[0]: Totals(int(row[1]), int(row[2])) for row in connection.execute(query)}


def _totals_as_recorded(connection: Connection, account_ids: Any, upto: int) -> dict[int, Totals]:
    """Per account, the running totals on its last posting up to entry ``upto``:
    one descent of ``ix_posting_account_entry`` per account."""
    latest = (
        select(posting_table.c.id)
        .where(
            posting_table.c.account_id == account_table.c.id,
            posting_table.c.entry_id <= upto,
        )
        .order_by(posting_table.c.entry_id.desc(), posting_table.c.position.desc())
        .limit(1)
        .correlate(account_table)
        .scalar_subquery()
    )
    query = (
        select(
            posting_table.c.account_id,
            posting_table.c.debit_total_after,
            posting_table.c.credit_total_after,
        )
        .select_from(account_table.join(posting_table, posting_table.c.id == latest))
        .where(account_table.c.id.in_(account_ids))
    )
    return {row[0]: Totals(row[1], row[2]) for row in connection.execute(query)}


def _totals_bitemporal(
    connection: Connection, account_ids: Any, as_of: date, upto: int
) -> dict[int, Totals]:
    query = (
        select(
            posting_table.c.account_id,
            func.sum(_signed(posting_table.c.side, posting_table.c.amount, "debit")),
            func.sum(_signed(posting_table.c.side, posting_table.c.amount, "credit")),
        )
        .where(
            posting_table.c.account_id.in_(account_ids),
            posting_table.c.effective_on <= as_of,
            posting_table.c.entry_id <= upto,
        )
        .group_by(posting_table.c.account_id)
    )
    return {row[0]: Totals(int(row[1]), int(row[2])) for row in connection.execute(query)}


def balances(
    connection: Connection,
    *,
    code: str | None = None,
    dimensions: Dimensions | None = None,
    currency: str | None = None,
    beschikkingen: Collection[str] | None = None,
    as_of: date | None = None,
    recorded_as_of: datetime | None = None,
) -> list[Balance]:
    """Balances of the accounts that match (``beschikkingen``: the accounts of any of these), in
    account code order."""
    conditions = _account_filter(code, dimensions, currency, beschikkingen)
    rows = connection.execute(
        select(account_table).where(and_(literal(True), *conditions)).order_by(account_table.c.code)
    ).all()
    accounts: dict[int, Account] = {row.id: account_from_row(row) for row in rows}
    if as_of is None and recorded_as_of is None:
        totals = {row.id: Totals(row.debit_total, row.credit_total) for row in rows}
    else:
        ids = select(account_table.c.id).where(and_(literal(True), *conditions)).scalar_subquery()
        if recorded_as_of is None:
            totals = totals_as_of_date(connection, ids, as_of)  # type: ignore[arg-type]
        elif as_of is None:
            totals = _totals_as_recorded(connection, ids, last_entry_id(connection, recorded_as_of))
        else:
            totals = _totals_bitemporal(
                connection, ids, as_of, last_entry_id(connection, recorded_as_of)
            )
    return [
        Balance.of(account, totals.get(account_id, Totals()))
        for account_id, account in accounts.items()
    ]


def account_balance(connection: Connection, code: str, **as_of: Any) -> Balance:
    found = balances(connection, code=code, **as_of)
    if not found:
        raise LedgerError.single(
            "unknown_account",
            said("Account {code} does not exist.", code=code),
            account=code,
        )
    return found[0]


def trial_balance(connection: Connection, **as_of: Any) -> TrialBalance:
    rows = balances(connection, **as_of)
    debit: dict[str, Money] = {}
    credit: dict[str, Money] = {}
    for balance in rows:
        currency = balance.debit_total.currency
        debit[currency] = debit.get(currency, Money.zero(currency)) + balance.debit_total
        credit[currency] = credit.get(currency, Money.zero(currency)) + balance.credit_total
    return TrialBalance(rows, debit, credit)


@dataclass(frozen=True)
class JournalFilter:
    """Which entries a reader asks for: on an account or the accounts of a deal, beschikking or
    tranche; by an actor; effective in a period; recorded by a moment; after a sequence number."""

    code: str | None = None
    dimensions: Dimensions | None = None
    actor: str | None = None
    effective_from: date | None = None
    effective_to: date | None = None
    recorded_to: datetime | None = None
    after: int = 0

    def conditions(self) -> list[Any]:
        e = entry_table.c
        found: list[Any] = [e.id > self.after]
        accounts = _account_filter(self.code, self.dimensions, None)
        if accounts:
            found.append(
                e.id.in_(
                    select(posting_table.c.entry_id)
                    .join(account_table, account_table.c.id == posting_table.c.account_id)
                    .where(*accounts)
                )
            )
        if self.actor is not None:
            found.append(e.actor == self.actor)
        if self.effective_from is not None:
            found.append(e.effective_on >= self.effective_from)
        if self.effective_to is not None:
            found.append(e.effective_on <= self.effective_to)
        if self.recorded_to is not None:
            found.append(e.recorded_at <= in_utc(self.recorded_to))
        return found


def entry_ids_for(
    connection: Connection,
    *,
    code: str | None = None,
    dimensions: Dimensions | None = None,
    limit: int = 1000,
    where: JournalFilter | None = None,
) -> list[int]:
    """Journal entries that match, oldest first: the bookings behind a balance (those that post
    on the matching accounts), or any ``JournalFilter``."""
    wanted = where or JournalFilter(code, dimensions)
    query = (
        select(entry_table.c.id).where(*wanted.conditions()).order_by(entry_table.c.id).limit(limit)
    )
    return list(connection.execute(query).scalars())


def account_kinds(connection: Connection) -> list[tuple[str, str, str, str]]:
    """Every account's code, name, kind and currency, by code (what an export declares)."""
    c = account_table.c
    return [
        (r.code, r.name, r.kind, r.currency)
        for r in connection.execute(select(c.code, c.name, c.kind, c.currency).order_by(c.code))
    ]


def schema_revision(connection: Connection) -> str | None:
    """The schema revision the database is migrated to (Alembic's ``alembic_version``); an error
    of the database (no such table: never migrated) is the caller's to say."""
    return connection.exec_driver_sql(revision.STORED).scalar()


def database_answers(connection: Connection) -> None:
    """The database answers a trivial question (or raises the driver's error)."""
    connection.exec_driver_sql("SELECT 1")
