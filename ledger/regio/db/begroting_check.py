"""The budget view checked against the journal, for ``verify``: two independent reads of the
same books must agree.

- Each budget cell summed from its postings equals the balance its account row keeps (the
  running totals the database maintains by trigger).
- Each beschikking's realisation summed over every year equals what its accounts hold now:
  commitments the committed stages (in euros, at the grant's rate for a foreign grant, plus its
  exchange differences), cash the paid stages, receipts ``recovered``.
- Each budget mutation's entry books only the accounts of its own article(s).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Connection, select

from ledger.db.rows import account_table, load_entries
from ledger.errors import Problem
from ledger.money import Money
from ledger.regio import chart
from ledger.regio.begroting import (
    BUDGET_LIKE,
    COMMITTED_STAGES,
    FX_DIFFERENCE,
    PAID_STAGES,
    Realised,
    in_euros,
    parse_budget_account,
    realise_each,
)
from ledger.regio.db.begroting_reads import budget_cells, flows, grants
from ledger.regio.db.begroting_tables import mutation_table
from ledger.regio.db.known import EVERYTHING
from ledger.said import said

LAST_DAY = date(9999, 12, 31)


def budget_view_problems(connection: Connection) -> list[Problem]:
    return _cells(connection) + _realisation(connection) + _mutations(connection)


def _balances(connection: Connection, like: str) -> dict[str, Money]:
    rows = connection.execute(
        select(
            account_table.c.code,
            account_table.c.currency,
            account_table.c.debit_total,
            account_table.c.credit_total,
        ).where(account_table.c.code.like(like))
    )
    return {
        code: Money.from_minor_units(credit - debit, currency)
        for code, currency, debit, credit in rows
    }


def _disagree(what: str, read: Money, kept: Money) -> Problem:
    return Problem.of(
        "budget_view_disagrees",
        said(
            "The budget view and the journal disagree on {what}: {read} read from the postings, "
            "{kept} kept on the accounts.",
            what=what,
            read=str(read),
            kept=str(kept),
        ),
    )


def _cells(connection: Connection) -> list[Problem]:
    read = budget_cells(connection, LAST_DAY, EVERYTHING)
    kept = {
        cell: balance
        for code, balance in _balances(connection, BUDGET_LIKE).items()
        if (cell := parse_budget_account(code)) is not None
    }
    return [
        _disagree(f"article {a} {side.value} {year}", read.get(cell, Money.zero()), balance)
        for cell, balance in sorted(kept.items())
        if read.get(cell, Money.zero()) != balance
        for a, year, side in [cell]
    ]


def _realisation(connection: Connection) -> list[Problem]:
    granted = grants(connection)
    found = flows(connection, LAST_DAY, EVERYTHING)
    conversions: dict[str, int] = {}  # a foreign grant's flows each convert (and round) once
    for flow in found:
        if flow.stage in PAID_STAGES and flow.amount.currency != "EUR":
            conversions[flow.nummer] = conversions.get(flow.nummer, 0) + 1
    summed: dict[str, Realised] = {}
    every = {g.tranche: "all" for g in granted.values()}
    for (_article, _year, nummer), part in realise_each(found, granted, every).items():
        total = summed.setdefault(nummer, Realised())
        total.commitments += part.commitments + part.to_funds_commitments
        total.cash += part.cash + part.to_funds_cash
        total.receipts += part.receipts
    kept = _balances(connection, "beschikking:%")
    problems = []
    for nummer, grant in sorted(granted.items()):
        held = _held(kept, nummer)
        if held is None:
            continue
        fx = kept.get(chart.beschikking_account(nummer, FX_DIFFERENCE), Money.zero())
        foreign = grant.usd_per_eur is not None
        committed = (
            kept.get(chart.beschikking_account(nummer, "fx-eur"), Money.zero()) + fx
            if foreign
            else sum(held.values(), Money.zero())
        )
        paid = in_euros(sum((held[s] for s in PAID_STAGES), _zero(held)), grant) + fx
        receipts = Money.zero() if grant.leaves_article else in_euros(held["recovered"], grant)
        read = summed.get(nummer, Realised())
        slack = conversions.get(nummer, 0) + (1 if foreign else 0)
        for what, got, want, cents in (
            ("commitments", read.commitments, committed, 0),
            ("cash", read.cash, paid, slack),
            ("receipts", read.receipts, receipts, slack),
        ):
            if abs(got.minor_units - want.minor_units) > cents:
                problems.append(_disagree(f"{nummer} {what}", got, want))
    return problems


def _held(kept: dict[str, Money], nummer: str) -> dict[str, Money] | None:
    stage = {s: kept.get(chart.beschikking_account(nummer, s)) for s in COMMITTED_STAGES}
    present = [m for m in stage.values() if m is not None]
    if not present:
        return None
    zero = Money.zero(present[0].currency)
    return {s: m if m is not None else zero for s, m in stage.items()}


def _zero(held: dict[str, Money]) -> Money:
    return Money.zero(next(iter(held.values())).currency)


def _mutations(connection: Connection) -> list[Problem]:
    rows = connection.execute(
        select(
            mutation_table.c.key,
            mutation_table.c.article,
            mutation_table.c.from_article,
            mutation_table.c.entry_id,
        )
    ).all()
    entries = {e.sequence: e for e in load_entries(connection, ids=[r.entry_id for r in rows])}
    problems = []
    for key, article, origin, entry_id in rows:
        own = {f"begroting:{a}:" for a in (article, origin) if a}
        for posting in entries[entry_id].postings:
            if not any(posting.account.startswith(prefix) for prefix in own):
                problems.append(
                    Problem.of(
                        "budget_mutation_off_article",
                        said(
                            "Budget mutation {key} books {account}, outside its article.",
                            key=key,
                            account=posting.account,
                        ),
                    )
                )
    return problems
