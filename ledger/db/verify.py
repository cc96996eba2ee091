"""``regioledger verify``: recheck every stored invariant, independently of the triggers.

Replays the journal through the pure checker (``ledger.journal_check``) and then compares
what the database keeps derived (account totals, month balances) with the replay. It reads
through the plain driver (``ledger.db.driver``), so the command starts without SQLAlchemy.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from ledger.balances import Totals
from ledger.db.driver import Reader, entry_before, stored_accounts, stream_entries
from ledger.errors import Problem
from ledger.journal_check import check_journal
from ledger.said import said


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


def verify_journal(reader: Reader) -> VerifyReport:
    """Every invariant of the journal read through ``reader`` (``Reader.of(connection)``
    inside a unit of work, or ``open_reader(url)`` on its own)."""
    stored = stored_accounts(reader)
    accounts = {s.account.code: s.account for s in stored}
    # entries stream past in chunks and are not kept: a reversal's original is asked for
    state = check_journal(accounts, stream_entries(reader), partial(entry_before, reader))
    problems = list(state.problems)
    for account in stored:
        kept = Totals(account.debit_total, account.credit_total)
        replayed = state.totals.get(account.account.code, Totals())
        if kept != replayed:
            code = account.account.code
            problems.append(
                Problem.of(
                    "account_totals_mismatch",
                    said(
                        "account {code}: stored totals {kept} differ from the postings {replayed}",
                        code=code,
                        kept=kept,
                        replayed=replayed,
                    ),
                    account=code,
                )
            )
    problems += _check_month_balances(reader, {s.id: s.account.code for s in stored})
    return VerifyReport(state.entries_checked, len(stored), state.last_hash, problems)


#: The month (YYYYMM) of a posting's effective date, per dialect.
MONTH_OF = {
    "sqlite": "CAST(strftime('%Y%m', effective_on) AS INTEGER)",
    "postgresql": "CAST(extract(year FROM effective_on) * 100 + extract(month FROM effective_on) AS INTEGER)",
}


def _check_month_balances(reader: Reader, codes: dict[int, str]) -> list[Problem]:
    month = MONTH_OF[reader.dialect]
    recomputed = {
        (account_id, int(month_value)): Totals(int(debit), int(credit))
        for account_id, month_value, debit, credit in reader.rows(
            f"SELECT account_id, {month}, "
            "sum(CASE WHEN side = 'debit' THEN amount ELSE 0 END), "
            "sum(CASE WHEN side = 'credit' THEN amount ELSE 0 END) "
            f"FROM posting GROUP BY account_id, {month}"
        )
    }
    stored = {
        (account_id, month_value): Totals(debit, credit)
        for account_id, month_value, debit, credit in reader.rows(
            "SELECT account_id, month, debit_total, credit_total FROM account_month_balance"
        )
    }
    problems = []
    for key in sorted(set(recomputed) | set(stored)):
        if recomputed.get(key, Totals()) != stored.get(key, Totals()):
            code = codes.get(key[0], str(key[0]))
            problems.append(
                Problem.of(
                    "month_balance_mismatch",
                    said(
                        "account {code}, month {key}: stored month balance differs from the postings",
                        code=code,
                        key=key[1],
                    ),
                    account=code,
                )
            )
    return problems
