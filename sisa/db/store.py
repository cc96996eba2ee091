"""What SiSa keeps and reads back of its own: annex definitions (kept as data, frozen once
used), submissions (frozen as handed in) and what they held, so a later correction can be
listed as was / wordt."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, insert, or_, select

from ledger.db.errors import translate_database_error
from ledger.db.journal import Clock, utc_now
from ledger.db.rows import aware
from ledger.errors import LedgerError
from ledger.regio.db.known import EVERYTHING, Known
from ledger.regio.db.regeling_tables import regeling_table
from ledger.regio.db.tables import beschikking_table
from ledger.said import said
from sisa.db.tables import (
    definition_indicator_table,
    definition_table,
    submission_table,
    submitted_year_table,
)


@dataclass(frozen=True)
class StoredAnnex:
    year: int
    code: str
    name: str
    source: str
    indicators: list[tuple[str, str, str, str]]  # number, text, aard controle, field


@dataclass(frozen=True)
class PreviousExport:
    exported_at: datetime
    figures: dict[str, dict[str, Any]]


def annex_definition(
    connection: Connection, regeling: str, year: int, instrument: str
) -> StoredAnnex | None:
    """The annex a finance officer entered for a regeling, year and instrument (the newest), or
    None. Reading never stores anything."""
    c = definition_table.c
    row = connection.execute(
        select(definition_table)
        .where(c.regeling == regeling, c.year == year, c.instrument == instrument)
        .order_by(c.id.desc())
        .limit(1)
    ).first()
    if row is None:
        return None
    indicators = connection.execute(
        select(
            definition_indicator_table.c.number,
            definition_indicator_table.c.text,
            definition_indicator_table.c.aard_controle,
            definition_indicator_table.c.field,
        )
        .where(definition_indicator_table.c.definition_id == row.id)
        .order_by(definition_indicator_table.c.number)
    ).all()
    return StoredAnnex(row.year, row.code, row.name, row.source, [tuple(i) for i in indicators])


def set_annex(
    connection: Connection,
    regeling: str,
    instrument: str,
    annex: StoredAnnex,
    actor: str,
    clock: Clock = utc_now,
) -> None:
    """Enter an annex definition for a regeling, year and instrument; refused once that year was
    submitted."""
    if (
        connection.execute(
            select(regeling_table.c.code).where(regeling_table.c.code == regeling)
        ).first()
        is None
    ):
        raise LedgerError.single(
            "regeling_not_found",
            said("No regeling {regeling!r} is known.", regeling=regeling),
        )
    submitted = connection.execute(
        select(submission_table.c.id)
        .where(
            submission_table.c.regeling == regeling,
            submission_table.c.year == annex.year,
            submission_table.c.instrument == instrument,
        )
        .limit(1)
    ).first()
    if submitted is not None:
        raise LedgerError.single(
            "annex_in_use",
            said(
                "The {year} annex of regeling {regeling} was used by a submission already; it can no longer change.",
                year=annex.year,
                regeling=regeling,
            ),
        )
    definition = connection.execute(
        insert(definition_table)
        .values(
            regeling=regeling,
            instrument=instrument,
            year=annex.year,
            code=annex.code,
            name=annex.name,
            source=annex.source,
            set_by=actor,
            set_at=clock(),
        )
        .returning(definition_table.c.id)
    ).scalar_one()
    connection.execute(
        insert(definition_indicator_table),
        [
            {"definition_id": definition, "number": n, "text": t, "aard_controle": a, "field": f}
            for n, t, a, f in annex.indicators
        ],
    )


def previous_submission(
    connection: Connection,
    year: int,
    instrument: str,
    regeling: str | None,
    known: Known = EVERYTHING,
) -> PreviousExport | None:
    """What earlier submissions of the year showed, per beschikking the latest, and when the
    last one was made (the correction table compares with it)."""
    c = submission_table.c
    same_regeling = c.regeling.is_(None) if regeling is None else c.regeling == regeling
    rows = connection.execute(
        select(c.submitted_at, c.figures)
        .where(c.year == year, c.instrument == instrument, same_regeling)
        .where(known.records(c.submitted_at))
        .order_by(c.id)
    ).all()
    if not rows:
        return None
    figures: dict[str, dict[str, Any]] = {}
    for row in rows:
        figures.update(json.loads(row.figures))
    last = rows[-1].submitted_at
    return PreviousExport(last if last.tzinfo else last.replace(tzinfo=UTC), figures)


@dataclass(frozen=True)
class Submission:
    public_id: str
    year: int
    regeling: str | None
    instrument: str
    recipient: str | None
    submitted_by: str
    submitted_at: datetime
    format: str
    sha256: str
    figures: dict[str, dict[str, Any]]


def record_submission(
    connection: Connection, submission: Submission, content: bytes, annex: dict[str, Any]
) -> None:
    with translate_database_error():
        connection.execute(
            insert(submission_table).values(
                public_id=submission.public_id,
                year=submission.year,
                regeling=submission.regeling,
                instrument=submission.instrument,
                recipient=submission.recipient,
                submitted_by=submission.submitted_by,
                submitted_at=submission.submitted_at,
                format=submission.format,
                sha256=submission.sha256,
                content=content,
                figures=json.dumps(submission.figures, sort_keys=True),
                annex=json.dumps(annex, sort_keys=True),
            )
        )
        c = submitted_year_table.c
        held = set(
            connection.execute(
                select(c.nummer).where(
                    c.year == submission.year, c.nummer.in_(list(submission.figures))
                )
            ).scalars()
        )
        new = [n for n in submission.figures if n not in held]
        if new:
            connection.execute(
                insert(submitted_year_table),
                [
                    {"nummer": n, "year": submission.year, "submission": submission.public_id}
                    for n in new
                ],
            )


def submissions_holding(connection: Connection, year: int, nummer: str) -> list[dict[str, Any]]:
    """The submissions of the year that hold the beschikking's row, oldest first: when, by whom,
    and what each said (its figures by indicator number)."""
    c = submission_table.c
    rows = connection.execute(
        select(c.public_id, c.submitted_at, c.submitted_by, c.figures)
        .where(c.year == year)
        .order_by(c.id)
    ).all()
    return [
        {
            "submission": row.public_id,
            "submitted_at": aware(row.submitted_at).isoformat(),
            "submitted_by": row.submitted_by,
            "figures": json.loads(row.figures)[nummer],
        }
        for row in rows
        if nummer in json.loads(row.figures)
    ]


def submission_of(connection: Connection, year: int, public_id: str) -> Any:
    """A submission of the year by its public id, with its file as handed in, or None."""
    c = submission_table.c
    return connection.execute(
        select(submission_table).where(c.public_id == public_id, c.year == year)
    ).first()


def submitted_beschikkingen(connection: Connection, year: int) -> set[str]:
    """The beschikkingen whose row of ``year`` is in a submission."""
    found: set[str] = set()
    for figures in connection.execute(
        select(submission_table.c.figures).where(submission_table.c.year == year)
    ).scalars():
        found.update(json.loads(figures))
    return found


def submitted_cumulatives(
    connection: Connection, year: int, known: Known = EVERYTHING, *, nummer: str | None = None
) -> dict[str, tuple[int, int]]:
    """Per beschikking, what the last submission of ``year`` holding it said of its cumulative
    Rijk and regional figures (whole units), read by the annex that submission followed (as
    the books stood: ``known``). ``nummer``: of that beschikking only, reading only the
    submissions of its recipient."""
    c = submission_table.c
    query = select(c.figures, c.annex).where(c.year == year, known.records(c.submitted_at))
    if nummer is not None:
        recipient = select(beschikking_table.c.recipient).where(
            beschikking_table.c.nummer == nummer
        )
        query = query.where(
            or_(c.recipient.in_(recipient.scalar_subquery()), c.recipient.is_(None))
        )
    found: dict[str, tuple[int, int]] = {}
    for row in connection.execute(query.order_by(c.id)):
        numbers = {i["field"]: i["number"] for i in json.loads(row.annex)["indicators"]}
        rijk, regional = numbers["rijk_cumulative"], numbers["regional_cumulative"]
        for held, figures in json.loads(row.figures).items():
            if nummer in (None, held):
                found[held] = (int(figures[rijk]), int(figures[regional]))
    return found


def submitted_cumulative(connection: Connection, nummer: str, year: int) -> tuple[int, int] | None:
    """The same for one beschikking (the portal's year page)."""
    return submitted_cumulatives(connection, year, nummer=nummer).get(nummer)


def submissions_of_year(
    connection: Connection,
    year: int,
    known: Known = EVERYTHING,
    *,
    recipient: str | None = None,
    instrument: str | None = None,
    after: int = 0,
    limit: int | None = None,
) -> list[Any]:
    """The year's submissions in the order handed in (of one recipient or instrument), as the
    books stood (``known``), without the file itself (``submission_of`` gives it); a keyset
    page after ``after`` of ``limit + 1`` when ``limit`` is given."""
    s = submission_table.c
    listed = [column for column in submission_table.c if column.name != "content"]  # the file apart
    query = (
        select(*listed)
        .where(s.year == year, s.id > after, known.records(s.submitted_at))
        .order_by(s.id)
    )
    for column, wanted in ((s.recipient, recipient), (s.instrument, instrument)):
        if wanted:
            query = query.where(column == wanted)
    if limit is not None:
        query = query.limit(limit + 1)
    return list(connection.execute(query).all())


def last_submissions(
    connection: Connection, year: int, known: Known = EVERYTHING, *, recipient: str | None = None
) -> dict[str, Any]:
    """Per recipient (or of ``recipient`` only) its last submission of the year, as the books
    stood (``known``): its public id and moment, not its figures or file."""
    s = submission_table.c
    query = (
        select(s.recipient, s.public_id, s.submitted_at)
        .where(s.year == year, s.recipient.is_not(None), known.records(s.submitted_at))
        .order_by(s.id)
    )
    if recipient is not None:
        query = query.where(s.recipient == recipient)
    return {r.recipient: r for r in connection.execute(query)}
