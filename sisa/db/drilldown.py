"""The drill-down of one SiSa figure: the accounts, postings and statement lines behind it, as
the books stood at a moment."""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    Connection,
    case,
    select,
)

from ledger.db.rows import account_table, aware, entry_table, posting_table
from ledger.regio.db.history import statements
from ledger.regio.db.known import EVERYTHING, Known
from ledger.regio.model import AmendmentKind, StatementStatus
from sisa.db.reads import SPENT, year_and_source


def explain(
    connection: Connection,
    nummer: str,
    year: int,
    sources: tuple[str, ...],
    cumulative: bool,
    known: Known = EVERYTHING,
) -> dict[str, Any]:
    """The bookings and statement lines behind one SiSa figure of a beschikking: the lines of the
    statements that still count (not replaced, not withdrawn) and every booking that is no
    statement's (an officer's spending, a SiSa correction). The two add up to the figure. With
    ``known``, as the books stood then: the postings and the statements that counted then."""
    accounts = _figure_accounts(connection, nummer, year, sources, cumulative)
    postings = _figure_postings(connection, list(accounts), known)
    of_statements = _statement_entries(connection, nummer)
    lines, public = _figure_lines(connection, nummer, year, sources, cumulative, known)
    return {
        "beschikking": nummer,
        "year": year,
        "sources": list(sources),
        "cumulative": cumulative,
        "cents": sum(p.cents for p in postings),
        "bookings": [
            _booking(p, accounts[p.account_id], p.entry_id in of_statements) for p in postings
        ],
        "statement_lines": [_statement_line(line, public[line.statement_id]) for line in lines],
        "other_bookings_cents": sum(p.cents for p in postings if p.entry_id not in of_statements),
    }


def _figure_accounts(
    connection: Connection, nummer: str, year: int, sources: tuple[str, ...], cumulative: bool
) -> dict[int, str]:
    """The spending accounts of the beschikking that make the figure: id -> code."""
    year_condition = account_table.c.year <= year if cumulative else account_table.c.year == year
    query = select(account_table.c.id, account_table.c.code).where(
        account_table.c.beschikking == nummer, account_table.c.code.like(SPENT), year_condition
    )
    return {
        row.id: row.code
        for row in connection.execute(query)
        if year_and_source(row.code)[1] in sources
    }


def _figure_postings(
    connection: Connection, account_ids: list[int], known: Known = EVERYTHING
) -> list[Any]:
    """Every posting on those accounts, signed (credit up), with its entry's who and why."""
    signed = case(
        (posting_table.c.side == "credit", posting_table.c.amount), else_=-posting_table.c.amount
    )
    e = entry_table.c
    query = (
        select(
            posting_table.c.entry_id,
            posting_table.c.account_id,
            signed.label("cents"),
            e.effective_on,
            e.key,
            e.memo,
            e.reason,
            e.actor,
            e.source_document,
            e.recorded_at,
        )
        .join(entry_table, e.id == posting_table.c.entry_id)
        .where(posting_table.c.account_id.in_(account_ids))
        .where(*([] if known.upto is None else [posting_table.c.entry_id <= known.upto]))
        .order_by(posting_table.c.entry_id)
    )
    return connection.execute(query).all()


def _figure_lines(
    connection: Connection,
    nummer: str,
    year: int,
    sources: tuple[str, ...],
    cumulative: bool,
    known: Known = EVERYTHING,
) -> tuple[list[Any], dict[int, str]]:
    """The lines of the statements that count (that counted then, with ``known``), and each
    statement's public id."""
    from ledger.regio.db.statements import _current, statement_line_table, statement_table

    lines_c, statements_c = statement_line_table.c, statement_table.c
    in_years = statements_c.year <= year if cumulative else statements_c.year == year
    counting: Any = select(statements_c.id).where(_current(nummer), in_years)
    if known.at is not None:
        counted = [
            r.id
            for r in statements(connection, nummer, known)
            if r.status == StatementStatus.BOOKED
        ]
        counting = select(statements_c.id).where(
            statements_c.public_id.in_(counted or ["-"]), in_years
        )
    lines = connection.execute(
        select(statement_line_table)
        .where(lines_c.statement_id.in_(counting), lines_c.source.in_(sources))
        .order_by(lines_c.statement_id, lines_c.row_number)
    ).all()
    public = select(statements_c.id, statements_c.public_id).where(
        statements_c.beschikking == nummer
    )
    return lines, dict(connection.execute(public).all())


def _booking(p: Any, account: str, of_a_statement: bool) -> dict[str, Any]:
    return {
        "entry": p.entry_id,
        "effective_on": str(p.effective_on),
        "account": account,
        "cents": p.cents,
        "memo": p.memo,
        "reason": p.reason,
        "actor": p.actor,
        "source_document": p.source_document,
        "recorded_at": aware(p.recorded_at).isoformat(),
        "of_a_statement": of_a_statement,
    }


def _statement_line(line: Any, statement: str) -> dict[str, Any]:
    return {
        "statement": statement,
        "row": line.row_number,
        "spent_on": str(line.spent_on),
        "description": line.description,
        "source": line.source,
        "cents": line.amount,
        "partner": line.partner,
        "programme_line": line.programme_line,
        "reference": line.reference,
    }


def _statement_entries(connection: Connection, nummer: str) -> set[int]:
    """The entries statements booked or reversed (on replacement or withdrawal)."""
    from ledger.regio.db.tables import amendment_table

    keyed = select(entry_table.c.id).where(
        entry_table.c.key.like(f"statement:{nummer}:%")
        | entry_table.c.key.like("statement-reversal:%")
    )
    withdrawn = select(amendment_table.c.entry_id, amendment_table.c.in_kind_entry_id).where(
        amendment_table.c.kind == AmendmentKind.STATEMENT_WITHDRAWAL,
        amendment_table.c.beschikking == nummer,
    )
    found = set(connection.execute(keyed).scalars())
    for cash, in_kind in connection.execute(withdrawn):
        found.update(i for i in (cash, in_kind) if i is not None)
    return found
