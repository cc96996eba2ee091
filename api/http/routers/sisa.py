"""SiSa: previews of the annex (reading records nothing), explicit submissions (listed, and
downloadable as handed in) and the annex definitions finance enters per regeling and year. The
figures read (movements, a figure's drill-down, the status) are ``sisa_figures``."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request, Response
from pydantic import Field
from sqlalchemy import Connection

from api.http.access import own_rows
from api.http.deps import Anyone, EngineDep, Finance
from api.http.fields import (
    Body,
    Code,
    IdempotencyKey,
    Name,
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
from api.http.public import Instant, Public
from api.http.reading import (
    AfterNumber,
    AsOf,
    Limit,
    Page,
    RecordedAsOf,
    page_of,
)
from api.http.users import Role
from ledger.db.rows import aware
from ledger.db.unit_of_work import UnitOfWork
from ledger.errors import LedgerError, Problem
from sisa.annex import KNOWN_FIELDS, Annex, Indicator
from sisa.db import submission_of
from sisa.db.store import submissions_of_year
from sisa.service import (
    export_sisa_year,
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


MEDIA = {"xlsx": XLSX, "csv": CSV, "json": "application/json"}


Format = Annotated[str, Query(pattern="^(xlsx|csv|json)$")]


SisaInstrument = Annotated[str, Query(pattern="^(SPUK|BU)$")]


@router.get(
    "/sisa/{year}",
    operation_id="get_sisa_export",
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
    recipient = own_rows(user, recipient)
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
    "/sisa/{year}/submissions",
    operation_id="create_sisa_submission",
    status_code=201,
    response_model=SubmissionsMade,
    responses=created(),
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
    recipient = own_rows(user, recipient)

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
        made = [_submission(s) for s in result.submitted]
        return SubmissionsMade(
            submitted=made, refused=[p.as_dict() for p in result.refused]
        ).model_dump()

    print_ = fingerprint("sisa-submission", year, recipient, regeling, format, instrument)
    return once(engine, user, idempotency_key, print_, 201, run)


def _submission(s: Any) -> SubmissionPublic:
    return SubmissionPublic(
        id=s.public_id,
        year=s.year,
        regeling=s.regeling,
        instrument=s.instrument,
        recipient=s.recipient,
        submitted_by=s.submitted_by,
        sha256=s.sha256,
        rows=len(s.figures),
    )


SubmissionId = Annotated[str, Path(pattern="^sub-[0-9a-f]{20}$", description="The submission's id")]


@router.get(
    "/sisa/{year}/submissions/{submission}",
    operation_id="get_sisa_submission",
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


@router.put(
    "/sisa/{year}/annexes/{regeling}",
    operation_id="set_sisa_annex",
    status_code=201,
    responses=created(),
)
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


# --- reads -------------------------------------------------------------------------------------


class SubmissionListedPublic(Public):
    """A submission as it was handed in, and where to download it."""

    number: int
    id: str
    year: int
    regeling: str | None
    instrument: str
    recipient: str | None
    submitted_by: str
    submitted_at: Instant
    format: str
    sha256: str
    rows: int
    file: str


@router.get("/sisa/{year}/submissions", operation_id="list_sisa_submissions")
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
    recipient = own_rows(user, recipient)
    with UnitOfWork(engine) as uow:
        rows = submissions_of_year(
            uow.connection,
            year,
            at.known(uow.connection),
            recipient=recipient,
            instrument=instrument,
            after=after or 0,
            limit=limit,
        )
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
