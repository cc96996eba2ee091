"""What SiSa reads from and writes to the database: annex definitions per year, the ledger's
spending per beschikking, year and source (from the accounts, and again from the postings as
a second path), eindverantwoording and toelichting events, and the record of every export."""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Connection, Engine, and_, case, func, insert, select

from ledger.db.journal import Clock, utc_now
from ledger.db.regio_rows import beschikking_table, event_table
from ledger.db.rows import account_table, entry_table, posting_table
from ledger.db.sisa_models import SisaAnnexRow, SisaExportRow, SisaIndicatorRow
from ledger.db.unit_of_work import UnitOfWork

annex_table = SisaAnnexRow.__table__  # type: ignore[attr-defined]
indicator_table = SisaIndicatorRow.__table__  # type: ignore[attr-defined]
export_table = SisaExportRow.__table__  # type: ignore[attr-defined]
SPENT = "%:spent:%"


@dataclass(frozen=True)
class StoredAnnex:
    year: int
    code: str
    name: str
    source: str
    indicators: list[tuple[str, str, str, str]]  # number, text, aard controle, field


@dataclass(frozen=True)
class LedgerSpending:
    beschikkingen: list[Any]  # rows: nummer, recipient, instrument, amount, currency, decided_on
    cents: dict[str, dict[tuple[int, str], int]]  # by nummer, (year, source)
    final_years: dict[str, int]
    toelichting: dict[str, dict[int, str]]


@dataclass(frozen=True)
class PreviousExport:
    exported_at: datetime
    figures: dict[str, dict[str, Any]]


def _source(code: str) -> tuple[int, str]:
    _, _, _, year, source = code.split(":")
    return int(year), source


def annex(engine: Engine, year: int, default: StoredAnnex, clock: Clock = utc_now) -> StoredAnnex:
    """The annex of a reporting year; the first use of a year freezes the default for it."""
    with UnitOfWork(engine, write=True) as uow:
        connection = uow.connection
        row = connection.execute(select(annex_table).where(annex_table.c.year == year)).first()
        if row is None:
            connection.execute(
                insert(annex_table).values(
                    year=year, code=default.code, name=default.name, source=default.source
                )
            )
            connection.execute(insert(indicator_table), [
                {"year": year, "number": n, "text": t, "aard_controle": a, "field": f} for n, t, a, f in default.indicators
            ])  # fmt: skip
            uow.commit()
            return default
        indicators = connection.execute(
            select(
                indicator_table.c.number,
                indicator_table.c.text,
                indicator_table.c.aard_controle,
                indicator_table.c.field,
            )
            .where(indicator_table.c.year == year)
            .order_by(indicator_table.c.number)  # fmt: skip
        ).all()
        return StoredAnnex(row.year, row.code, row.name, row.source, [tuple(i) for i in indicators])


def _source_of(code_column: Any) -> Any:
    return case(
        (code_column.like("%:rijk"), "rijk"),
        (code_column.like("%:cofinanciering_publiek"), "cofinanciering_publiek"),
        (code_column.like("%:cofinanciering_privaat"), "cofinanciering_privaat"),
        else_="in_natura",
    )


def ledger_spending(connection: Connection, for_year: int | None = None) -> LedgerSpending:
    """Spending per beschikking by (year, source) from the account totals. With ``for_year``
    the database folds all earlier years into year T-1, which is all a year's SiSa row needs
    (its own year, and what came before) and keeps a 10,000-beschikking export quick."""
    beschikkingen = connection.execute(
        select(
            beschikking_table.c.nummer,
            beschikking_table.c.recipient,
            beschikking_table.c.instrument,
            beschikking_table.c.amount,
            beschikking_table.c.currency,
            beschikking_table.c.decided_on,
        )  # fmt: skip
    ).all()
    cents: dict[str, dict[tuple[int, str], int]] = defaultdict(dict)
    balance = account_table.c.credit_total - account_table.c.debit_total
    if for_year is None:
        query = select(
            account_table.c.beschikking,
            account_table.c.year,
            _source_of(account_table.c.code),
            balance,
        )
        query = query.where(account_table.c.year.is_not(None), account_table.c.code.like(SPENT))
    else:
        folded = case((account_table.c.year == for_year, for_year), else_=for_year - 1)
        source = _source_of(account_table.c.code)
        query = (
            select(account_table.c.beschikking, folded, source, func.sum(balance))
            .where(
                account_table.c.year <= for_year, account_table.c.code.like(SPENT)
            )  # year: only spent accounts have one
            .group_by(account_table.c.beschikking, folded, source)
        )
    for nummer, year, source, total in connection.execute(query):
        cents[nummer][(int(year), source)] = int(total)
    finals: dict[str, int] = {}
    notes: dict[str, dict[int, str]] = defaultdict(dict)
    events = select(event_table.c.beschikking, event_table.c.kind, event_table.c.year, event_table.c.reason).where(
        event_table.c.kind.in_(["final", "toelichting"])).order_by(event_table.c.id)  # fmt: skip
    for nummer, kind, year, reason in connection.execute(events):
        if kind == "final":
            finals[nummer] = year
        else:
            notes[nummer][year] = reason
    return LedgerSpending(list(beschikkingen), dict(cents), finals, dict(notes))


def journal_cumulative(connection: Connection, year: int) -> dict[str, dict[str, int]]:
    """Per beschikking and source, the cents spent up to ``year`` summed from the postings
    themselves: the second path the export is checked against."""
    signed = case(
        (posting_table.c.side == "credit", posting_table.c.amount), else_=-posting_table.c.amount
    )
    source = _source_of(account_table.c.code)
    query = (
        select(account_table.c.beschikking, source, func.sum(signed))
        .join(account_table, account_table.c.id == posting_table.c.account_id)
        .where(account_table.c.year <= year, account_table.c.code.like(SPENT))
        .group_by(account_table.c.beschikking, source)
    )
    totals: dict[str, dict[str, int]] = defaultdict(dict)
    for nummer, source_name, cents in connection.execute(query):
        totals[nummer][source_name] = int(cents)
    return totals


def previous_export(connection: Connection, year: int, instrument: str) -> PreviousExport | None:
    """What earlier exports of the year showed, per beschikking the latest, and when."""
    rows = connection.execute(
        select(export_table.c.exported_at, export_table.c.figures)
        .where(export_table.c.year == year, export_table.c.instrument == instrument)
        .order_by(export_table.c.id)
    ).all()
    if not rows:
        return None
    figures: dict[str, dict[str, Any]] = {}
    for row in rows:
        figures.update(json.loads(row.figures))
    last = rows[-1].exported_at
    return PreviousExport(last if last.tzinfo else last.replace(tzinfo=UTC), figures)


def reasons_since(connection: Connection, nummer: str, since: datetime) -> list[str]:
    """Why a beschikking's spending changed after a moment: the reasons of those bookings."""
    query = (
        select(entry_table.c.reason).distinct()
        .join(posting_table, posting_table.c.entry_id == entry_table.c.id)
        .join(account_table, account_table.c.id == posting_table.c.account_id)
        .where(and_(account_table.c.beschikking == nummer, account_table.c.code.like(SPENT), entry_table.c.recorded_at > since))
    )  # fmt: skip
    return sorted(connection.execute(query).scalars())


def record_export(engine: Engine, year: int, instrument: str, recipient: str | None, actor: str, sha256: str,
                  figures: dict[str, dict[str, Any]], clock: Clock = utc_now) -> None:  # fmt: skip
    with UnitOfWork(engine, write=True) as uow:
        uow.connection.execute(insert(export_table).values(
            year=year, instrument=instrument, recipient=recipient, exported_at=clock(), exported_by=actor,
            sha256=sha256, figures=json.dumps(figures, sort_keys=True),
        ))  # fmt: skip
        uow.commit()


def money_flows(
    connection: Connection, stages: tuple[str, ...]
) -> dict[str, dict[str, dict[int, int]]]:
    """Per beschikking and stage, the cents credited to that stage account per effective year
    (money in: payments on ``paid``, repayments on ``recovered``)."""
    codes = {f"beschikking:%:{stage}": stage for stage in stages}
    flows: dict[str, dict[str, dict[int, int]]] = defaultdict(
        lambda: defaultdict(lambda: defaultdict(int))
    )
    for pattern, stage in codes.items():
        query = (
            select(
                account_table.c.beschikking,
                posting_table.c.effective_on,
                posting_table.c.side,
                posting_table.c.amount,
            )
            .join(account_table, account_table.c.id == posting_table.c.account_id)
            .where(
                account_table.c.code.like(pattern),
                account_table.c.code.not_like(SPENT),
                posting_table.c.side == "credit",
            )
        )
        for nummer, effective_on, _side, amount in connection.execute(query):
            on = (
                effective_on
                if isinstance(effective_on, date)
                else date.fromisoformat(str(effective_on))
            )
            flows[nummer][stage][on.year] += amount
    return flows


def explain(
    connection: Connection, nummer: str, year: int, sources: tuple[str, ...], cumulative: bool
) -> dict[str, Any]:
    """The bookings and statement lines behind one SiSa figure of a beschikking."""
    from ledger.db.statements import statement_line_table, statement_table

    year_condition = account_table.c.year <= year if cumulative else account_table.c.year == year
    accounts = {
        row.id: row.code
        for row in connection.execute(
            select(account_table.c.id, account_table.c.code).where(
                account_table.c.beschikking == nummer, account_table.c.code.like(SPENT), year_condition)
        )
        if _source(row.code)[1] in sources
    }  # fmt: skip
    signed = case(
        (posting_table.c.side == "credit", posting_table.c.amount), else_=-posting_table.c.amount
    )
    postings = connection.execute(
        select(posting_table.c.entry_id, posting_table.c.account_id, signed.label("cents"), entry_table.c.effective_on,
               entry_table.c.memo, entry_table.c.reason, entry_table.c.actor, entry_table.c.source_document)
        .join(entry_table, entry_table.c.id == posting_table.c.entry_id)
        .where(posting_table.c.account_id.in_(list(accounts)))
        .order_by(posting_table.c.entry_id)
    ).all()  # fmt: skip
    entry_ids = sorted({p.entry_id for p in postings})
    statements = connection.execute(
        select(statement_table.c.id).where(
            statement_table.c.entry_id.in_(entry_ids) | statement_table.c.in_kind_entry_id.in_(entry_ids))
    ).scalars().all()  # fmt: skip
    lines = connection.execute(
        select(statement_line_table).where(statement_line_table.c.statement_id.in_(statements),
                                           statement_line_table.c.source.in_(sources))
        .order_by(statement_line_table.c.statement_id, statement_line_table.c.row_number)
    ).all()  # fmt: skip
    return {
        "beschikking": nummer, "year": year, "sources": list(sources), "cumulative": cumulative,
        "cents": sum(p.cents for p in postings),
        "bookings": [
            {"entry": p.entry_id, "effective_on": str(p.effective_on), "account": accounts[p.account_id], "cents": p.cents,
             "memo": p.memo, "reason": p.reason, "actor": p.actor, "source_document": p.source_document}
            for p in postings
        ],
        "statement_lines": [
            {"statement": line.statement_id, "row": line.row_number, "spent_on": str(line.spent_on), "description": line.description,
             "source": line.source, "cents": line.amount, "partner": line.partner, "programme_line": line.programme_line,
             "reference": line.reference}
            for line in lines
        ],
    }  # fmt: skip
