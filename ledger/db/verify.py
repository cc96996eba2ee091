"""``regioledger verify``: recheck every stored invariant, independently of the triggers.

Replays the journal through the pure checker (``ledger.journal_check``) and then compares
what the database keeps derived (account totals, month balances) with the replay.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import Connection, case, func, select

from ledger.accounts import Side
from ledger.balances import Totals
from ledger.db.queries import month_table
from ledger.db.rows import account_from_row, account_table, posting_table, stream_entries
from ledger.errors import Problem
from ledger.journal_check import check_journal


@dataclass(frozen=True)
class VerifyReport:
    entries_checked: int
    accounts_checked: int
    last_hash: str
    problems: list[Problem]

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def first_problem(self) -> Problem | None:
        return self.problems[0] if self.problems else None


def verify_journal(connection: Connection) -> VerifyReport:
    rows = connection.execute(select(account_table).order_by(account_table.c.id)).all()
    accounts = {row.code: account_from_row(row) for row in rows}
    state = check_journal(accounts, stream_entries(connection))
    problems = list(state.problems)
    for row in rows:
        stored = Totals(row.debit_total, row.credit_total)
        replayed = state.totals.get(row.code, Totals())
        if stored != replayed:
            problems.append(
                Problem(
                    "account_totals_mismatch",
                    f"account {row.code}: stored totals {stored} differ from the postings {replayed}",
                    f"rekening {row.code}: opgeslagen totalen {stored} wijken af van de boekingen {replayed}",
                    account=row.code,
                )
            )
    problems += _check_month_balances(connection, {row.id: row.code for row in rows})
    return VerifyReport(state.entries_checked, len(rows), state.last_hash, problems)


def _check_month_balances(connection: Connection, codes: dict[int, str]) -> list[Problem]:
    if connection.dialect.name == "postgresql":
        month = func.extract("year", posting_table.c.effective_on) * 100 + func.extract(
            "month", posting_table.c.effective_on
        )
    else:
        month = func.cast(
            func.strftime("%Y%m", posting_table.c.effective_on), type_=month_table.c.month.type
        )
    debit = func.sum(
        case((posting_table.c.side == Side.DEBIT.value, posting_table.c.amount), else_=0)
    )
    credit = func.sum(
        case((posting_table.c.side == Side.CREDIT.value, posting_table.c.amount), else_=0)
    )
    recomputed: dict[tuple[int, int], Totals] = defaultdict(Totals)
    query = select(posting_table.c.account_id, month.label("month"), debit, credit).group_by(
        posting_table.c.account_id, month
    )
    for account_id, month_value, debit_total, credit_total in connection.execute(query):
        recomputed[(account_id, int(month_value))] = Totals(int(debit_total), int(credit_total))
    stored = {
        (row.account_id, row.month): Totals(row.debit_total, row.credit_total)
        for row in connection.execute(select(month_table))
    }
    problems = []
    for key in sorted(set(recomputed) | set(stored)):
        if recomputed.get(key, Totals()) != stored.get(key, Totals()):
            code = codes.get(key[0], str(key[0]))
            problems.append(
                Problem(
                    "month_balance_mismatch",
                    f"account {code}, month {key[1]}: stored month balance differs from the postings",
                    f"rekening {code}, maand {key[1]}: opgeslagen maandsaldo wijkt af van de boekingen",
                    account=code,
                )
            )
    return problems
