"""SiSa from the ledger: build the rows of a year, check them, write them, check the file; and
submit them.

- A *preview* (``export_sisa``) records nothing: anyone may look as often as they like.
- A *submission* (``submit_sisa``) is explicit, per recipient: it freezes what was handed in (the
  file, its figures, the annex it followed); the next submission of that year carries the
  correction table (was / wordt / reden) against the last one.
- One recipient's rows never block another's: rows that fail the schema are left out and named
  (recipient, beschikking, problem); the others are written.
- The annex of a regeling and year is the one a finance officer entered (``set_annex``), else
  the shipped default; reading never freezes it, a submission records the one it followed.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import partial

import pandas as pd
from sqlalchemy import Connection, Engine

from ledger.db.journal import Clock, serialise_writers, utc_now
from ledger.db.unit_of_work import UnitOfWork
from ledger.errors import LedgerError, raise_if_any
from ledger.regio.db.known import Known
from ledger.regio.db.service import RegioService
from ledger.regio.model import FundingSource, Who
from ledger.rounding import round_half_away_from_zero
from ledger.said import said
from sisa import db as sisa_store
from sisa.annex import Annex, Indicator, check_annex, default_annex
from sisa.export import (
    BLOCK_WRITERS,
    WRITERS,
    SisaExport,
    check_written,
    check_written_blocks,
    corrections_between,
    row_frame,
)
from sisa.figures import (
    BeschikkingInput,
    is_reported,
    sisa_rows,
)
from sisa.findings import findings_of
from sisa.schema import ExportProblem, check_export


def annex_for(
    connection: Connection, year: int, regeling: str | None, instrument: str = "SPUK"
) -> Annex:
    stored = (
        sisa_store.annex_definition(connection, regeling, year, instrument) if regeling else None
    )
    if stored is None:
        return default_annex(year, regeling, instrument)
    indicators = tuple(Indicator(*i) for i in stored.indicators)
    return Annex(
        stored.year,
        stored.code,
        stored.name,
        stored.source,
        indicators,
        regeling,
        instrument,
        entered=True,
    )


def set_annex(engine: Engine, annex: Annex, actor: str) -> Annex:
    """Enter the annex of a regeling, year and instrument (until the first submission of it)."""
    if annex.regeling is None:
        raise LedgerError.single(
            "regeling_missing",
            said("An annex is entered for a regeling."),
        )
    raise_if_any(check_annex(annex))
    stored = sisa_store.StoredAnnex(
        annex.year,
        annex.code,
        annex.name,
        annex.source,
        [(i.number, i.text, i.aard_controle, i.field) for i in annex.indicators],
    )
    with UnitOfWork(engine, write=True) as uow:
        serialise_writers(uow.connection)
        sisa_store.set_annex(uow.connection, annex.regeling, annex.instrument, stored, actor)
        uow.commit()
    return annex


def beschikking_inputs(data: sisa_store.LedgerSpending) -> list[BeschikkingInput]:
    return [
        BeschikkingInput(
            b.nummer,
            b.recipient,
            b.instrument,
            int(b.amount) + data.grant_changes.get(b.nummer, 0),
            b.decided_on.year,
            data.cents.get(b.nummer, {}),
            data.final_years.get(b.nummer),
            data.toelichting.get(b.nummer, {}),
            b.regeling,
            data.settled_years.get(b.nummer),
        )
        for b in data.beschikkingen
    ]


def regelingen_with_rows(
    engine: Engine, year: int, instrument: str = "SPUK", recipient: str | None = None
) -> list[str | None]:
    """The regelingen (SiSa blocks) that have rows of the year, of one recipient if asked: a
    recipient under several regelingen accounts for each in its own block."""
    with UnitOfWork(engine) as uow:
        data = sisa_store.ledger_spending(uow.connection, for_year=year)
    return sorted(
        {
            b.regeling or None
            for b in beschikking_inputs(data)
            if is_reported(b, year, instrument) and recipient in (None, b.recipient)
        },
        key=lambda r: r or "",
    )


def _regeling_of(
    inputs: list[BeschikkingInput],
    year: int,
    instrument: str,
    regeling: str | None,
    recipient: str | None = None,
) -> str | None:
    """The one regeling an export is for: the one asked, or the only one with rows this year
    (of the recipient asked for, if one is)."""
    if regeling is not None:
        return regeling
    found = sorted(
        {
            b.regeling or ""
            for b in inputs
            if is_reported(b, year, instrument) and recipient in (None, b.recipient)
        }
    )
    if len(found) > 1:
        raise LedgerError.single(
            "regeling_required",
            said(
                "{year} has rows under more than one regeling ({names}); a SiSa block is per regeling: name the one to export.",
                year=year,
                names=", ".join(f or "-" for f in found),
            ),
        )
    return found[0] or None if found else None


def build_sisa_export(
    engine: Engine,
    year: int,
    instrument: str = "SPUK",
    recipient: str | None = None,
    regeling: str | None = None,
    recorded_as_of: datetime | None = None,
) -> SisaExport:
    """The annex of a year from the ledger, as it stands (or as the books stood at
    ``recorded_as_of``: the spending, finals, toelichtingen and submissions recorded by then)."""
    with UnitOfWork(engine) as uow:
        connection = uow.connection
        known = Known.at_moment(connection, recorded_as_of)
        data = sisa_store.ledger_spending(connection, for_year=year, known=known)
        inputs = beschikking_inputs(data)
        regeling = _regeling_of(inputs, year, instrument, regeling, recipient)
        annex = annex_for(connection, year, regeling, instrument)
        before = sisa_store.submitted_cumulatives(connection, year - 1, known)
        chosen = [
            replace(b, submitted_cumulative={year - 1: before[b.nummer]})
            if b.nummer in before
            else b
            for b in inputs
            if (b.regeling or None) == regeling
        ]
        rows = sisa_rows(chosen, year, instrument, recipient)
        journal = sisa_store.journal_cumulative(connection, year, known)
        instruments = {b.nummer: b.instrument for b in chosen}
        hidden = {
            r.nummer: {
                "instrument": instruments[r.nummer],
                "journal_rijk_cumulative": round_half_away_from_zero(
                    journal.get(r.nummer, {}).get(FundingSource.RIJK, 0)
                ),
                "journal_regional_cumulative": round_half_away_from_zero(
                    sum(c for s, c in journal.get(r.nummer, {}).items() if s != FundingSource.RIJK)
                ),
                "final_year": data.final_years.get(r.nummer, pd.NA),
                "toelichting_required": r.toelichting_required,
            }
            for r in rows
        }
        export = _without_refused(
            SisaExport(annex, instrument, recipient, rows, row_frame(rows, hidden)), year
        )
        previous = sisa_store.previous_submission(connection, year, instrument, regeling, known)
        if previous is not None:
            export.corrections = _corrections(connection, export, previous)
        export.findings = findings_of(connection, year, {r.nummer for r in export.rows}, known)
    return export


def _without_refused(export: SisaExport, year: int) -> SisaExport:
    """The export of every recipient whose rows pass the schema; the refused ones are named in
    ``problems`` (with recipient and beschikking) and left out, so no recipient blocks another."""
    problems = check_export(export.frame, year, export.instrument)
    if not problems:
        return export
    recipient_of = {r.nummer: r.recipient for r in export.rows}
    refused = {recipient_of.get(p.nummer) for p in problems}
    if None in refused:  # a problem of the whole export, not of one row: nothing is written
        export.problems = problems
        return export
    kept = [r for r in export.rows if r.recipient not in refused]
    frame = export.frame[~export.frame["recipient"].isin(refused)].reset_index(drop=True)
    named = [
        ExportProblem(
            p.code, p.nummer, f"{recipient_of[p.nummer]}: {p.message}", recipient_of[p.nummer]
        )
        for p in problems
    ]
    return SisaExport(export.annex, export.instrument, export.recipient, kept, frame, refused=named)


def _corrections(
    connection: Connection, export: SisaExport, previous: sisa_store.PreviousExport
) -> list:
    shown = export.figures()
    changed = {
        r.nummer
        for r in export.rows
        if previous.figures.get(r.nummer) not in (None, shown[r.nummer])
    }
    reasons = {
        n: "; ".join(sisa_store.reasons_since(connection, n, previous.exported_at)) for n in changed
    }
    return corrections_between(previous.figures, export, reasons)


def export_sisa(
    engine: Engine,
    year: int,
    output_format: str,
    *,
    instrument: str = "SPUK",
    recipient: str | None = None,
    regeling: str | None = None,
    recorded_as_of: datetime | None = None,
) -> tuple[bytes | None, SisaExport]:
    """A preview: the file (or None when nothing can be written) and the export with its
    problems and the recipients it left out, as the books stand (or stood). Records nothing."""
    export = build_sisa_export(engine, year, instrument, recipient, regeling, recorded_as_of)
    if export.problems or (not export.rows and export.refused):
        export.problems = export.problems or export.refused
        return None, export
    content = WRITERS[output_format](export)
    if problems := check_written(export, content, output_format):
        export.problems = problems
        return None, export
    return content, export


@dataclass
class SisaYear:
    """A year's export of every block (regeling) it has rows under; ``--regeling`` narrows it to
    one. Its rows, corrections and refusals are those of its blocks together."""

    blocks: list[SisaExport]
    problems: list[ExportProblem] = field(default_factory=list)

    @property
    def rows(self) -> list:
        return [r for b in self.blocks for r in b.rows]

    @property
    def corrections(self) -> list:
        return [c for b in self.blocks for c in b.corrections]

    @property
    def refused(self) -> list[ExportProblem]:
        return [p for b in self.blocks for p in b.refused]


def export_sisa_year(
    engine: Engine,
    year: int,
    output_format: str,
    *,
    instrument: str = "SPUK",
    recipient: str | None = None,
    regeling: str | None = None,
    recorded_as_of: datetime | None = None,
) -> tuple[bytes | None, SisaYear]:
    """A preview of a year with every block in one file (a sheet per block in the workbook,
    ``blocks`` in JSON, a ``blok`` column in CSV), each block built, validated and read back as
    a file of its own first; with ``regeling``, or a year of one block, just that block's file.
    Records nothing."""
    asked = dict(instrument=instrument, recipient=recipient, recorded_as_of=recorded_as_of)
    blocks = [regeling] if regeling else regelingen_with_rows(engine, year, instrument, recipient)
    if len(blocks) <= 1:
        content, one = export_sisa(
            engine, year, output_format, regeling=blocks[0] if blocks else None, **asked
        )
        return content, SisaYear([one], one.problems)
    built = [export_sisa(engine, year, output_format, regeling=b, **asked) for b in blocks]
    exports = [export for _, export in built]
    found = SisaYear(exports, [p for content, e in built if content is None for p in e.problems])
    if output_format == "csv" and len({e.annex.indicators for e in exports}) > 1:
        found.problems.append(
            ExportProblem(
                "blocks_differ",
                None,
                f"de blokken van {year} hebben verschillende indicatoren: één CSV kan ze niet "
                "samen tonen; kies xlsx of json, of noem de regeling",
            )
        )
    if found.problems:
        return None, found
    content = BLOCK_WRITERS[output_format](exports)
    if problems := check_written_blocks(exports, content, output_format):
        found.problems = problems
        return None, found
    return content, found


@dataclass
class SubmissionResult:
    submitted: list[sisa_store.Submission] = field(default_factory=list)
    refused: list[ExportProblem] = field(default_factory=list)  # recipients not submitted, and why
    contents: dict[str, bytes] = field(default_factory=dict)  # by public id


def submit_sisa(
    engine: Engine,
    year: int,
    output_format: str,
    *,
    actor: str,
    instrument: str = "SPUK",
    recipient: str | None = None,
    regeling: str | None = None,
    clock: Clock = utc_now,
    connection: Connection | None = None,
) -> SubmissionResult:
    """Submit the rows of a year: of one recipient, or each recipient on its own (one submission
    each). A recipient whose rows do not pass is not submitted, and named with its problems.

    The submissions are recorded in ``connection`` (a write transaction that already queued
    behind the other writers) and commit with it; without one, in a write transaction of their
    own that queues first. Either way the rows are built while no one else can write: what is
    frozen is the books as they stand when it is recorded, and a toelichting or a booking made
    meanwhile lands before the submission (and is in it) or after (and is refused or corrected)."""
    submit = partial(
        _submit,
        engine,
        year,
        output_format,
        actor=actor,
        instrument=instrument,
        recipient=recipient,
        regeling=regeling,
        clock=clock,
    )
    if connection is not None:
        return submit(connection)
    with UnitOfWork(engine, write=True) as uow:
        serialise_writers(uow.connection)
        result = submit(uow.connection)
        uow.commit()
    return result


def _submit(
    engine: Engine,
    year: int,
    output_format: str,
    connection: Connection,
    *,
    actor: str,
    instrument: str,
    recipient: str | None,
    regeling: str | None,
    clock: Clock,
) -> SubmissionResult:
    build = build_sisa_export(engine, year, instrument, recipient, regeling)
    if build.problems:
        return SubmissionResult(refused=build.problems)
    result = SubmissionResult(refused=list(build.refused))
    for organisation in sorted({r.recipient for r in build.rows}):
        content, export = export_sisa(
            engine,
            year,
            output_format,
            instrument=instrument,
            recipient=organisation,
            regeling=build.annex.regeling,
        )
        if content is None:
            result.refused += export.problems
            continue
        submission = sisa_store.Submission(
            f"sub-{secrets.token_hex(10)}",
            year,
            build.annex.regeling,
            instrument,
            organisation,
            actor,
            _now(clock),
            output_format,
            hashlib.sha256(content).hexdigest(),
            export.figures(),
        )
        sisa_store.record_submission(connection, submission, content, export.annex.as_dict())
        result.submitted.append(submission)
        result.contents[submission.public_id] = content
    return result


def _now(clock: Clock) -> datetime:
    return clock()


def recipients(
    engine: Engine, year: int, instrument: str = "SPUK", regeling: str | None = None
) -> list[str]:
    """The organisations that have a row in the year's export of this instrument."""
    return sorted(
        {
            row.recipient
            for row in build_sisa_export(engine, year, instrument, regeling=regeling).rows
        }
    )


def add_toelichting(
    engine: Engine,
    nummer: str,
    year: int,
    text: str,
    *,
    key: str,
    who: Who,
    organisation: str | None = None,
    connection: Connection | None = None,
) -> None:
    """A toelichting for a beschikking's SiSa row of ``year``, until that row is submitted."""
    RegioService(engine, connection=connection).add_toelichting(
        nummer,
        year,
        text,
        key=key,
        who=who,
        organisation=organisation,
        submitted=lambda c: nummer in sisa_store.submitted_beschikkingen(c, year),
    )
