"""SiSa for auditors (and finance officers): the export, the movement schedule, the figure
drill-down."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Response

from api.http.deps import EngineDep, Reader
from api.http.problems import problem
from ledger.db import sisa_store
from ledger.db.unit_of_work import UnitOfWork
from ledger.rounding import round_half_away_from_zero
from sisa.figures import CASH_SOURCES
from sisa.service import export_sisa, movement_schedule

router = APIRouter(prefix="/api/v1/sisa")
MEDIA = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
         "csv": "text/csv; charset=utf-8", "json": "application/json"}  # fmt: skip
SOURCES_OF = {
    "02": ("rijk",),
    "03": CASH_SOURCES,
    "04": ("in_natura",),
    "06": ("rijk",),
    "07": (*CASH_SOURCES, "in_natura"),
}
Year = Annotated[int, Query(ge=2000, le=2100)]


@router.get("/{year}")
def sisa_export(year: int, user: Reader, engine: EngineDep, recipient: str | None = None,
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
    year: int, user: Reader, engine: EngineDep, recipient: str | None = None
) -> list[dict[str, str]]:
    return [m.as_dict() for m in movement_schedule(engine, year, "SPUK", recipient)]


@router.get("/{year}/beschikkingen/{nummer}/indicators/{indicator}")
def explain(
    year: int, nummer: str, indicator: str, user: Reader, engine: EngineDep
) -> dict[str, Any]:
    """The bookings and statement lines behind one figure of the export."""
    number = indicator.zfill(2)
    if number not in SOURCES_OF:
        raise HTTPException(404, "Indicators with figures are 02, 03, 04, 06 and 07.")
    with UnitOfWork(engine) as uow:
        found = sisa_store.explain(
            uow.connection, nummer, year, SOURCES_OF[number], number in ("06", "07")
        )
    found["figure"] = round_half_away_from_zero(found["cents"])
    return found
