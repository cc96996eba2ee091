"""SiSa from the ledger: build the rows of a year, check them, write them, check the file."""

from __future__ import annotations

import hashlib

import pandas as pd
from sqlalchemy import Engine

from ledger.db import sisa_store
from ledger.db.unit_of_work import UnitOfWork
from ledger.rounding import round_half_away_from_zero
from sisa.annex import Annex, Indicator, default_annex
from sisa.export import WRITERS, SisaExport, check_written, corrections_between, row_frame
from sisa.figures import CASH_SOURCES, BeschikkingInput, is_reported, sisa_rows
from sisa.movements import Movement, movement
from sisa.schema import ExportProblem, check_export


def annex_for(engine: Engine, year: int) -> Annex:
    default = default_annex(year)
    stored = sisa_store.annex(engine, year, sisa_store.StoredAnnex(
        year, default.code, default.name, default.source,
        [(i.number, i.text, i.aard_controle, i.field) for i in default.indicators],
    ))  # fmt: skip
    return Annex(
        stored.year,
        stored.code,
        stored.name,
        stored.source,
        tuple(Indicator(*i) for i in stored.indicators),
    )


def _inputs(data: sisa_store.LedgerSpending) -> list[BeschikkingInput]:
    return [
        BeschikkingInput(
            b.nummer,
            b.recipient,
            b.instrument,
            int(b.amount),
            b.decided_on.year,
            data.cents.get(b.nummer, {}),
            data.final_years.get(b.nummer),
            data.toelichting.get(b.nummer, {}),
        )  # fmt: skip
        for b in data.beschikkingen
    ]


def build_sisa_export(
    engine: Engine, year: int, instrument: str = "SPUK", recipient: str | None = None
) -> SisaExport:
    annex = annex_for(engine, year)
    with UnitOfWork(engine) as uow:
        connection = uow.connection
        data = sisa_store.ledger_spending(connection, for_year=year)
        journal = sisa_store.journal_cumulative(connection, year)
        rows = sisa_rows(_inputs(data), year, instrument, recipient)
        instruments = {b.nummer: b.instrument for b in data.beschikkingen}
        hidden = {
            r.nummer: {
                "instrument": instruments[r.nummer],
                "journal_rijk_cumulative": round_half_away_from_zero(journal.get(r.nummer, {}).get("rijk", 0)),
                "journal_regional_cumulative": round_half_away_from_zero(
                    sum(c for s, c in journal.get(r.nummer, {}).items() if s != "rijk")),
                "final_year": data.final_years.get(r.nummer, pd.NA),
                "toelichting_required": r.toelichting_required,
            }
            for r in rows
        }  # fmt: skip
        export = SisaExport(annex, instrument, recipient, rows, row_frame(rows, hidden))
        export.problems = check_export(export.frame, year, instrument)
        previous = sisa_store.previous_export(connection, year, instrument)
        if previous is not None:
            shown = export.figures()
            changed = {
                r.nummer
                for r in rows
                if previous.figures.get(r.nummer) not in (None, shown[r.nummer])
            }
            reasons = {
                n: "; ".join(sisa_store.reasons_since(connection, n, previous.exported_at))
                for n in changed
            }
            export.corrections = corrections_between(previous.figures, export, reasons)
    return export


def export_sisa(engine: Engine, year: int, output_format: str, *, instrument: str = "SPUK", recipient: str | None = None,
                actor: str = "auditor") -> tuple[bytes | None, SisaExport]:  # fmt: skip
    """The file, or None and the export with its problems: a failing export is never written."""
    export = build_sisa_export(engine, year, instrument, recipient)
    if export.problems:
        return None, export
    content = WRITERS[output_format](export)
    problems: list[ExportProblem] = check_written(export, content, output_format)
    if problems:
        export.problems = problems
        return None, export
    sisa_store.record_export(
        engine,
        year,
        instrument,
        recipient,
        actor,
        hashlib.sha256(content).hexdigest(),
        export.figures(),
    )
    return content, export


def recipients(engine: Engine, year: int, instrument: str = "SPUK") -> list[str]:
    """The organisations that have a row in the year's export of this instrument."""
    return sorted({row.recipient for row in build_sisa_export(engine, year, instrument).rows})


def movement_schedule(
    engine: Engine, year: int, instrument: str = "SPUK", recipient: str | None = None
) -> list[Movement]:
    with UnitOfWork(engine) as uow:
        data = sisa_store.ledger_spending(uow.connection)
        flows = sisa_store.money_flows(uow.connection, ("paid", "recovered"))
    schedule = []
    for b in _inputs(data):
        if not is_reported(b, year, instrument) or (recipient and b.recipient != recipient):
            continue
        spent = {y: c for (y, s), c in b.cents.items() if s == "rijk"}
        mine = flows.get(b.nummer, {})
        schedule.append(
            movement(
                b.nummer,
                b.recipient,
                year,
                dict(mine.get("paid", {})),
                spent,
                dict(mine.get("recovered", {})),
            )
        )
    return sorted(schedule, key=lambda m: (m.recipient, m.nummer))


#: The funding sources each figure sums, and whether it is cumulative through year T.
FIGURE_SOURCES: dict[str, tuple[tuple[str, ...], bool]] = {
    "rijk_year": (("rijk",), False),
    "regional_cash_year": (CASH_SOURCES, False),
    "in_kind_year": (("in_natura",), False),
    "rijk_cumulative": (("rijk",), True),
    "regional_cumulative": ((*CASH_SOURCES, "in_natura"), True),
}


def explain_figure(engine: Engine, year: int, nummer: str, indicator: str) -> dict | None:
    """The bookings and statement lines behind one figure of a year's export, or None if the
    indicator is not a figure (the annex of the year says which number is which)."""
    annex = annex_for(engine, year)
    number = indicator.split("/")[-1].zfill(2)
    field = next((i.field for i in annex.indicators if i.number == number), None)
    if field not in FIGURE_SOURCES:
        return None
    sources, cumulative = FIGURE_SOURCES[field]
    with UnitOfWork(engine) as uow:
        found = sisa_store.explain(uow.connection, nummer, year, sources, cumulative)
    found["indicator"] = f"{annex.code}/{number}"
    found["figure"] = round_half_away_from_zero(found["cents"])
    return found
