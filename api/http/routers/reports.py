"""Reports: the tranche reconciliation and a deal's voortgang, as JSON, xlsx or HTML."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import HTMLResponse, JSONResponse

from api.http.cache import whole_books
from api.http.deps import Anyone, EngineDep, Reader
from api.http.fields import PathCode
from api.http.headers import secured
from api.http.links import (
    GET_DEAL_REPORT,
)
from api.http.problems import XLSX, Refusal, file_response
from api.http.public import Day, Public
from api.http.reading import AsOf
from api.http.report_models import DealProgressPublic, TrancheReportPublic
from api.http.users import Role
from ledger.clock import today
from ledger.db.unit_of_work import UnitOfWork
from ledger.regio.db.scoped import Scope, load_scoped_snapshot
from ledger.regio.db.snapshot import deal_statement_spending, spending_ends
from reports.deal_report import build_deal_progress
from reports.deal_workbook import deal_workbook
from reports.html import standalone
from reports.reconciliation import SOURCES, build_tranche_reconciliation
from reports.render import to_json, underspending_json
from reports.underspending import Underspending, underspending
from reports.workbook import reconciliation_workbook

router = APIRouter(prefix="/api/v1", tags=["reports"])


class UnderspendingPublic(Public):
    """A beschikking whose spending pace will not reach its grant by the end of its period."""

    beschikking: str
    deal: str
    recipient: str
    granted: str
    paid: str
    spent_rijk: str
    measured_to: str  # the end of the last year accounted for
    spending_ends_on: Day
    elapsed: str  # the share of the period passed, 0 to 1
    projected: str  # what the pace reaches by the period's end
    shortfall: str
    terugvordering: str  # of what is paid, what would be reclaimed
    lapses: str  # what would not be paid


@router.get("/reports/underspending", operation_id="get_underspending_report")
def underspending_report(
    request: Request, user: Anyone, engine: EngineDep, at: AsOf
) -> list[UnderspendingPublic]:
    """Onderbesteding: every SPUK and BU beschikking whose Rijk spending, at its pace so far,
    will not reach the grant by the end of its spending period, the largest shortfall first,
    with the terugvordering that would follow. A region sees its own beschikkingen. Kept until
    the next write to the ledger (see ``api.http.cache``)."""
    day = at.as_of or today()

    def compute() -> list[Underspending]:
        snapshot = whole_books(engine, day, at.recorded_as_of)
        with UnitOfWork(engine) as uow:
            ends = spending_ends(uow.connection, day, at.known(uow.connection))
        return underspending(snapshot, ends)

    rows: list[Underspending] = request.app.state.derived.get_or_compute(
        engine, ("underspending", day, at.recorded_as_of, today()), compute
    )
    if user.role == Role.REGION:
        rows = [u for u in rows if u.beschikking.recipient == user.organisation]
    return [underspending_public(u) for u in rows]


def underspending_public(u: Underspending) -> UnderspendingPublic:
    """The same fields as the command line's JSON (``reports.render.underspending_json``)."""
    return UnderspendingPublic(**underspending_json(u))


@router.get(
    "/reports/tranches",
    operation_id="get_tranche_report",
    responses=file_response(
        "application/json", XLSX, description="The reconciliation.", model=TrancheReportPublic
    ),
)
def tranche_report(
    request: Request,
    user: Reader,
    engine: EngineDep,
    at: AsOf,
    format: Annotated[str, Query(pattern="^(json|xlsx)$")] = "json",  # noqa: A002 - the API's name
    lang: Annotated[str, Query(pattern="^(nl|en)$")] = "nl",
) -> Response:
    """The tranche reconciliation as of a date (default today), as the books stood at
    ``recorded_as_of`` if given: JSON, or the workbook to hand on. Kept until the next write to
    the ledger (see ``api.http.cache``)."""
    day = at.as_of or today()

    def compute() -> bytes:
        snapshot = whole_books(engine, day, at.recorded_as_of)
        reconciliation = build_tranche_reconciliation(snapshot)
        if format == "xlsx":
            return reconciliation_workbook(reconciliation, lang, snapshot.illustrative)
        return to_json(reconciliation, illustrative=snapshot.illustrative).encode()

    content = request.app.state.derived.get_or_compute(
        engine, ("tranches", day, at.recorded_as_of, format, lang), compute
    )
    if format == "xlsx":
        return Response(
            content,
            media_type=XLSX,
            headers={
                "Content-Disposition": f'attachment; filename="aansluiting-tranches-{day}.xlsx"'
            },
        )
    return Response(content, media_type="application/json")


@router.get(
    "/reports/deals/{code}",
    responses=file_response(
        "application/json",
        XLSX,
        "text/html",
        description="Voortgang of a deal.",
        model=DealProgressPublic,
    ),
    operation_id=GET_DEAL_REPORT,
)
def deal_report(
    code: PathCode,
    user: Anyone,
    engine: EngineDep,
    at: AsOf,
    format: Annotated[str, Query(pattern="^(json|xlsx|html)$")] = "json",  # noqa: A002 - the API's name
    lang: Annotated[str, Query(pattern="^(nl|en)$")] = "nl",
) -> Response:
    """Voortgang of one deal: granted, paid, spending by year and source, co-financing against
    the Rijk's share (the multiplier), programme lines, open terugvordering. A region reads the
    voortgang of a deal it receives money for; another deal is 404 to it."""
    with UnitOfWork(engine) as uow:
        snapshot = load_scoped_snapshot(
            uow.connection, Scope(deal=code), at.as_of or today(), at.recorded_as_of
        )
        lines = deal_statement_spending(uow.connection, snapshot, code, at.recorded_as_of)
    if user.role == Role.REGION and not any(
        b.deal == code and b.recipient == user.organisation for b in snapshot.beschikkingen
    ):
        raise Refusal(404, "deal_not_found", f"No deal {code}.")
    try:
        progress = build_deal_progress(snapshot, code, lines)
    except KeyError:
        raise Refusal(404, "deal_not_found", f"No deal {code}.") from None
    if format == "xlsx":
        return Response(
            deal_workbook(progress, lang),
            media_type=XLSX,
            headers={"Content-Disposition": f'attachment; filename="voortgang-{code}.xlsx"'},
        )
    if format == "html":
        html = standalone(
            "deal.html", lang, p=progress, sources=SOURCES, illustrative=snapshot.illustrative
        )
        return secured(HTMLResponse(html))
    return JSONResponse(progress.as_dict())
