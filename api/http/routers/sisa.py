"""SiSa: previews of the annex (reading records nothing), the status per beschikking and year, explicit submissions (listed, and downloadable as handed in), the annex definitions finance enters per regeling and year, the movement schedule and the figure drill-down."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request, Response
from pydantic import Field
from sqlalchemy import Connection, select

from api.http.deps import Anyone, EngineDep, Finance, Reader
from api.http.fields import (
    Body,
    Code,
    IdempotencyKey,
    Name,
    Nummer,
    OptionalCode,
    PathCode,
    PathYear,
    Text,
)
from api.http.idempotency import fingerprint, once
from api.http.links import (
    created,
)
from api.http.problems import CSV, XLSX, Refusal, attachment, file_response, problem
from api.http.public import Public
from api.http.reading import (
    AfterKey,
    AfterNumber,
    AsOf,
    Limit,
    Page,
    RecordedAsOf,
    page_of,
    paged,
)
from api.http.users import Role, User
from api.sisa_status import status_rows
from ledger.db.rows import aware
from ledger.db.unit_of_work import UnitOfWork
from ledger.errors import LedgerError, Problem
from ledger.rounding import round_ratio
from reports.sisa_status import NOT_DUE
from sisa.annex import KNOWN_FIELDS, Annex, Indicator
from sisa.db import submission_of, submission_table
from sisa.service import (
    explain_figure,
    export_sisa_year,
    movement_schedule,
    set_annex,
    submit_sisa,
)

router = APIRouter(prefix="/api/v1", tags=["sisa"])


class IndicatorPublic(Public):
    number: str
    text: str
    aard_controle: str
    field: str


class AnnexPublic(Public):
    """An annex definition of a regeling and year, as entered."""

    year: int
    regeling: str | None
    instrument: str
    code: str
    name: str
    title: str  # what the accountability is called by its basis: SiSa, or the Wet FinBES for a BU
    source: str
    entered: bool
    indicators: list[IndicatorPublic]


class MovementPublic(Public):
    """One beschikking's line of the movement schedule (BBV art. 52a), amounts as strings."""

    beschikking: str
    recipient: str
    opening: str
    received: str
    spent: str
    repaid: str
    closing: str


class BookingPublic(Public):
    entry: int
    effective_on: str
    account: str
    cents: int
    memo: str
    reason: str
    actor: str
    source_document: str | None
    recorded_at: str
    of_a_statement: bool


class SubmittedFigurePublic(Public):
    """What the last submission holding the row said of the figure, and when, by whom."""

    submission: str
    submitted_at: str
    submitted_by: str
    value: int | None


class StatementLinePublic(Public):
    statement: str
    row: int
    spent_on: str
    description: str
    source: str
    cents: int
    partner: str | None
    programme_line: str | None
    reference: str | None


class FigurePublic(Public):
    """The bookings and statement lines that make one SiSa figure; they add up to it."""

    indicator: str
    beschikking: str
    year: int
    sources: list[str]
    cumulative: bool
    cents: int
    figure: int
    bookings: list[BookingPublic]
    statement_lines: list[StatementLinePublic]
    other_bookings_cents: int
    submitted: SubmittedFigurePublic | None = Field(
        description="What the last submission said (null before any)"
    )
    since_submitted: list[BookingPublic] = Field(
        description="The bookings recorded after it: each a correction, with when and by whom"
    )
    now: int = Field(description="The figure as the books stand (or stood at recorded_as_of)")


MEDIA = {"xlsx": XLSX, "csv": CSV, "json": "application/json"}


Format = Annotated[str, Query(pattern="^(xlsx|csv|json)$")]


SisaInstrument = Annotated[str, Query(pattern="^(SPUK|BU)$")]


def _own(user: User, recipient: str | None) -> str | None:
    """A region sees and submits its own rows only; finance and auditors any recipient's."""
    if user.role != Role.REGION:
        return recipient
    if recipient not in (None, user.organisation):
        raise Refusal(404, "not_found", "These rows are not this region's to see.")
    return user.organisation


@router.get(
    "/sisa/{year}",
    responses=file_response(XLSX, CSV, "application/json", description="The SiSa annex."),
)
def sisa_export(
    year: PathYear,
    user: Anyone,
    engine: EngineDep,
    recipient: OptionalCode = None,
    regeling: OptionalCode = None,
    format: Format = "json",  # noqa: A002 - the API's name
    instrument: SisaInstrument = "SPUK",
    recorded_as_of: RecordedAsOf = None,
) -> Response:
    """A preview of the annex of a year, as it would be submitted (a region: its own rows); as
    the books stood at ``recorded_as_of`` if given (the year itself is the effective period).
    Recipients whose rows fail the schema are left out and named (JSON: ``refused``; a file:
    header ``X-SiSa-Refused``). Reading records nothing."""
    recipient = _own(user, recipient)
    content, export = export_sisa_year(
        engine,
        year,
        format,
        instrument=instrument,
        recipient=recipient,
        regeling=regeling,
        recorded_as_of=recorded_as_of,
    )
    if content is None:
        return problem(
            409,
            "sisa_export_refused",
            "The annex does not pass the SiSa schema; nothing was written.",
            problems=[p.as_dict() for p in export.problems],
        )
    headers = (
        {"X-SiSa-Refused": ", ".join(sorted({p.recipient or "-" for p in export.refused}))}
        if export.refused
        else {}
    )
    if format != "json":
        headers["Content-Disposition"] = f'attachment; filename="sisa-{year}-{instrument}.{format}"'
    return Response(content, media_type=MEDIA[format], headers=headers)


class SubmissionPublic(Public):
    id: str
    year: int
    regeling: str | None
    instrument: str
    recipient: str | None
    submitted_by: str
    sha256: str
    rows: int


class ExportProblemPublic(Public):
    """Why a recipient's rows were not submitted."""

    code: str
    beschikking: str | None
    recipient: str | None
    message: str


class SubmissionsMade(Public):
    submitted: list[SubmissionPublic]
    refused: list[ExportProblemPublic] = Field(default_factory=list)


@router.post(
    "/sisa/{year}/submissions", status_code=201, response_model=SubmissionsMade, responses=created()
)
def submit(
    year: PathYear,
    user: Anyone,
    engine: EngineDep,
    recipient: OptionalCode = None,
    regeling: OptionalCode = None,
    format: Format = "xlsx",  # noqa: A002 - the API's name
    instrument: SisaInstrument = "SPUK",
    idempotency_key: IdempotencyKey = None,
) -> Response:
    """Submit the rows of a year: a region its own, finance any recipient's (one submission per
    recipient). What is submitted is frozen; the next submission of the year carries the
    correction table against it. Recipients whose rows fail are not submitted and are named."""
    if user.role == Role.AUDITOR:
        raise Refusal(403, "forbidden", "Auditors read; they do not submit.")
    recipient = _own(user, recipient)

    def run(connection: Connection) -> dict[str, Any]:
        result = submit_sisa(
            engine,
            year,
            format,
            actor=user.name,
            instrument=instrument,
            recipient=recipient,
            regeling=regeling,
            connection=connection,
        )
        if not result.submitted:
            raise LedgerError(
                [
                    Problem(
                        "sisa_submission_refused",
                        "Nothing was submitted: " + "; ".join(p.message for p in result.refused),
                        details={"problems": [p.as_dict() for p in result.refused]},
                    )
                ]
            )
        made = [
            SubmissionPublic(
                id=s.public_id,
                year=s.year,
                regeling=s.regeling,
                instrument=s.instrument,
                recipient=s.recipient,
                submitted_by=s.submitted_by,
                sha256=s.sha256,
                rows=len(s.figures),
            )
            for s in result.submitted
        ]
        return SubmissionsMade(
            submitted=made, refused=[p.as_dict() for p in result.refused]
        ).model_dump()

    print_ = fingerprint("sisa-submission", year, recipient, regeling, format, instrument)
    return once(engine, user, idempotency_key, print_, 201, run)


SubmissionId = Annotated[str, Path(pattern="^sub-[0-9a-f]{20}$", description="The submission's id")]


@router.get(
    "/sisa/{year}/submissions/{submission}",
    responses=file_response(
        XLSX, CSV, "application/json", description="The annex as it was submitted."
    ),
)
def submission(
    year: PathYear, submission: SubmissionId, user: Anyone, engine: EngineDep
) -> Response:
    """A submission, downloaded exactly as it was handed in."""
    with UnitOfWork(engine) as uow:
        row = submission_of(uow.connection, year, submission)
    if row is None or (user.role == Role.REGION and row.recipient != user.organisation):
        raise Refusal(404, "submission_not_found", "No such submission.")
    return Response(
        row.content,
        media_type=MEDIA[row.format],
        headers=attachment(f"sisa-{year}-{row.instrument}-{row.recipient}.{row.format}"),
    )


class IndicatorIn(Body):
    number: str = Field(pattern="^[0-9]{2}$")
    text: Text
    aard_controle: str = Field(pattern="^(R|n\\.v\\.t\\.)$")
    field: str = Field(pattern="^(" + "|".join(KNOWN_FIELDS) + ")$")


class AnnexSet(Body):
    code: Code
    name: Name
    source: Text
    instrument: str = Field(default="SPUK", pattern="^(SPUK|BU)$")
    indicators: list[IndicatorIn] = Field(min_length=1, max_length=30)


@router.put("/sisa/{year}/annexes/{regeling}", status_code=201, responses=created())
def put_annex(
    year: PathYear, regeling: PathCode, body: AnnexSet, user: Finance, engine: EngineDep
) -> AnnexPublic:
    """Enter the annex definition of a regeling and year (until its first submission)."""
    annex = Annex(
        year,
        body.code,
        body.name,
        body.source,
        tuple(Indicator(i.number, i.text, i.aard_controle, i.field) for i in body.indicators),
        regeling,
        body.instrument,
        entered=True,
    )
    return set_annex(engine, annex, user.name).as_dict()


@router.get("/sisa/{year}/movements")
def movements(
    year: PathYear,
    request: Request,
    response: Response,
    user: Reader,
    engine: EngineDep,
    recipient: OptionalCode = None,
    recorded_as_of: RecordedAsOf = None,
    after: AfterKey = None,
    limit: Limit = 100,
) -> Page[MovementPublic]:
    """The movement schedule of the year (BBV art. 52a), per beschikking by nummer, as the
    books stood at ``recorded_as_of`` if given."""
    schedule = sorted(
        (
            MovementPublic(**m.as_dict())
            for m in movement_schedule(engine, year, "SPUK", recipient, recorded_as_of)
        ),
        key=lambda m: m.beschikking,
    )
    return paged(request, response, schedule, lambda m: m.beschikking, after, limit)


@router.get("/sisa/{year}/beschikkingen/{nummer}/indicators/{indicator}")
def explain(
    year: PathYear,
    nummer: Nummer,
    indicator: Annotated[str, Path(pattern="^[A-Za-z0-9/-]{1,48}$")],
    user: Reader,
    engine: EngineDep,
    recorded_as_of: RecordedAsOf = None,
) -> FigurePublic:
    """The bookings and statement lines behind one figure of the export (as the books stood at
    ``recorded_as_of``, if given)."""
    found = explain_figure(engine, year, nummer, indicator, recorded_as_of)
    if found is None:
        raise Refusal(404, "indicator_not_found", "That indicator is not a figure of the annex.")
    return found


# --- reads -------------------------------------------------------------------------------------


class SisaStatusPublic(Public):
    """Where one beschikking's SiSa accounting stands for the year, and its last submission."""

    beschikking: str
    recipient: str
    instrument: str
    year: int
    status: str = Field(
        description="reported (spending is in), final (eindverantwoording), missing, closed "
        "(after the final year) or not_due (outside the spending period or not over yet)"
    )
    missing_years: list[int]
    submission: str | None
    submitted_at: str | None
    pledged_ratio: str | None = Field(
        description="The deal's pledged regional money that counts under its tranche's rule, "
        "per Rijk euro"
    )
    realised_ratio: str | None = Field(
        description="The regional money this beschikking's spending realised that counts under "
        "the rule, per Rijk euro spent (null before any Rijk spending)"
    )
    realised_shortfall: bool = Field(
        description="What was realised falls below the tranche's rule (tranches 1-3: at least "
        "1:1 public cash; from tranche 4: the Rijk at most half), and no exception is recorded"
    )


class SubmissionListedPublic(Public):
    """A submission as it was handed in, and where to download it."""

    number: int
    id: str
    year: int
    regeling: str | None
    instrument: str
    recipient: str | None
    submitted_by: str
    submitted_at: str
    format: str
    sha256: str
    rows: int
    file: str


@router.get("/sisa/{year}/status")
def sisa_year_status(
    year: PathYear,
    request: Request,
    response: Response,
    user: Anyone,
    engine: EngineDep,
    at: AsOf,
    recipient: OptionalCode = None,
    status: Annotated[
        str | None, Query(pattern="^(reported|final|missing|closed|not_due)$")
    ] = None,
    after: AfterKey = None,
    limit: Limit = 100,
) -> Page[SisaStatusPublic]:
    """Per SPUK or BU beschikking (by nummer) and the year: is its spending in, is the year
    final, is it missing; and its recipient's last submission of the year (a region: its own)."""
    recipient = _own(user, recipient)
    with UnitOfWork(engine) as uow:
        known = at.known(uow.connection)
        found = status_rows(uow.connection, at.day, known)
        submitted = _last_submissions(uow.connection, year, known)
    rows = [
        SisaStatusPublic(
            beschikking=r.beschikking.nummer,
            recipient=r.recipient,
            instrument=r.beschikking.instrument.value,
            year=year,
            status=r.years.get(year, NOT_DUE),
            missing_years=r.missing,
            submission=submitted.get(r.recipient, (None, None))[0],
            submitted_at=submitted.get(r.recipient, (None, None))[1],
            pledged_ratio=_ratio(r.cofinancing.pledged_ratio if r.cofinancing else None),
            realised_ratio=_ratio(r.cofinancing.realised_ratio if r.cofinancing else None),
            realised_shortfall=bool(r.cofinancing and r.cofinancing.realised_shortfall),
        )
        for r in sorted(found, key=lambda r: r.beschikking.nummer)
        if recipient in (None, r.recipient) and status in (None, r.years.get(year, NOT_DUE))
    ]
    return paged(request, response, rows, lambda r: r.beschikking, after, limit)


def _ratio(ratio: Decimal | None) -> str | None:
    return None if ratio is None else str(round_ratio(ratio))


def _last_submissions(connection: Connection, year: int, known: Any) -> dict[str, tuple[str, str]]:
    s = submission_table.c
    query = (
        select(s.recipient, s.public_id, s.submitted_at)
        .where(s.year == year, known.records(s.submitted_at))
        .order_by(s.id)
    )
    return {
        r.recipient: (r.public_id, aware(r.submitted_at).isoformat())
        for r in connection.execute(query)
        if r.recipient
    }


@router.get("/sisa/{year}/submissions")
def list_submissions(
    year: PathYear,
    request: Request,
    response: Response,
    user: Anyone,
    engine: EngineDep,
    at: AsOf,
    recipient: OptionalCode = None,
    instrument: Annotated[str | None, Query(pattern="^(SPUK|BU)$")] = None,
    after: AfterNumber = None,
    limit: Limit = 100,
) -> Page[SubmissionListedPublic]:
    """Every submission of the year in the order handed in, each downloadable exactly as it
    was (a region: its own)."""
    recipient = _own(user, recipient)
    s = submission_table.c
    columns = [s.id, s.public_id, s.year, s.regeling, s.instrument, s.recipient]
    query = (
        select(*columns, s.submitted_by, s.submitted_at, s.format, s.sha256, s.figures)
        .where(s.year == year, s.id > (after or 0))
        .order_by(s.id)
        .limit(limit + 1)
    )
    for column, wanted in ((s.recipient, recipient), (s.instrument, instrument)):
        if wanted:
            query = query.where(column == wanted)
    with UnitOfWork(engine) as uow:
        query = query.where(at.known(uow.connection).records(s.submitted_at))
        rows = uow.connection.execute(query).all()
    listed = [_listed(r) for r in rows[:limit]]
    return page_of(request, response, listed, lambda x: x.number, more=len(rows) > limit)


def _listed(r: Any) -> SubmissionListedPublic:
    return SubmissionListedPublic(
        number=r.id,
        id=r.public_id,
        year=r.year,
        regeling=r.regeling,
        instrument=r.instrument,
        recipient=r.recipient,
        submitted_by=r.submitted_by,
        submitted_at=aware(r.submitted_at).isoformat(),
        format=r.format,
        sha256=r.sha256,
        rows=len(json.loads(r.figures)),
        file=f"/api/v1/sisa/{r.year}/submissions/{r.public_id}",
    )
