"""SiSa for auditors (and finance officers): the export, the movement schedule, the figure
drill-down."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Response

from api.http.deps import EngineDep, Reader
from api.http.fields import Nummer, OptionalCode, PathYear
from api.http.problems import CSV, XLSX, Refusal, file_response, problem
from sisa.service import explain_figure, export_sisa, movement_schedule

router = APIRouter(prefix="/api/v1/sisa")
MEDIA = {"xlsx": XLSX, "csv": CSV, "json": "application/json"}


@router.get(
    "/{year}", responses=file_response(XLSX, CSV, "application/json", description="The SiSa annex.")
)
def sisa_export(year: PathYear, user: Reader, engine: EngineDep, recipient: OptionalCode = None,
                format: Annotated[str, Query(pattern="^(xlsx|csv|json)$")] = "json",  # noqa: A002 - the API's name
                instrument: Annotated[str, Query(pattern="^(SPUK|BU)$")] = "SPUK") -> Response:  # fmt: skip
    """The SiSa annex of a year; 422 with the problems if the schema refuses it (nothing written)."""
    content, export = export_sisa(
        engine, year, format, instrument=instrument, recipient=recipient, actor=user.name
    )
    if content is None:
        return problem(422, "sisa_export_refused", "The export does not pass the SiSa schema; nothing was written.",
                       problems=[p.as_dict() for p in export.problems])  # fmt: skip
    headers = (
        {"Content-Disposition": f'attachment; filename="sisa-{year}-{instrument}.{format}"'}
        if format != "json"
        else {}
    )
    return Response(content, media_type=MEDIA[format], headers=headers)


@router.get("/{year}/movements")
def movements(
    year: PathYear, user: Reader, engine: EngineDep, recipient: OptionalCode = None
) -> list[dict[str, str]]:
    return [m.as_dict() for m in movement_schedule(engine, year, "SPUK", recipient)]


@router.get("/{year}/beschikkingen/{nummer}/indicators/{indicator}")
def explain(
    year: PathYear, nummer: Nummer, indicator: Annotated[str, Path(pattern="^[A-Za-z0-9/]{1,16}$")],
    user: Reader, engine: EngineDep,
) -> dict[str, Any]:
    """The bookings and statement lines behind one figure of the export."""
    found = explain_figure(engine, year, nummer, indicator)
    if found is None:
        raise Refusal(404, "indicator_not_found", "That indicator is not a figure of the annex.")
    return found
