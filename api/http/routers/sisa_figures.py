"""SiSa figures read: the movement schedule (BBV art. 52a), the drill-down of one figure (the
bookings and statement lines behind it) and the status per beschikking and year."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response
from pydantic import Field

from api.http.access import own_rows
from api.http.deps import Anyone, EngineDep, Reader
from api.http.fields import (
    Nummer,
    OptionalCode,
    PathYear,
    one_of,
)
from api.http.problems import Refusal
from api.http.public import Day, Instant, Public
from api.http.reading import (
    AfterKey,
    AsOf,
    Limit,
    Page,
    RecordedAsOf,
    page_of,
    paged,
)
from api.http.sisa_status import sisa_status_rows
from ledger.clock import today
from ledger.db.rows import aware
from ledger.db.unit_of_work import UnitOfWork
from ledger.regio.db.scoped import Scope
from ledger.regio.model import SisaStatus
from ledger.rounding import round_ratio
from sisa.db.store import last_submissions
from sisa.explain import explain_figure, movement_schedule
from sisa.status import status_rows

router = APIRouter(prefix="/api/v1", tags=["sisa"])


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
    effective_on: Day
    account: str
    cents: int
    memo: str
    reason: str
    actor: str
    source_document: str | None
    recorded_at: Instant
    of_a_statement: bool


class SubmittedFigurePublic(Public):
    """What the last submission holding the row said of the figure, and when, by whom."""

    submission: str
    submitted_at: Instant
    submitted_by: str
    value: int | None


class StatementLinePublic(Public):
    statement: str
    row: int
    spent_on: Day
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


@router.get("/sisa/{year}/movements", operation_id="list_sisa_movements")
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
    books stood at ``recorded_as_of`` if given. Kept until the next write to the ledger (see
    ``api.http.cache``)."""

    def compute() -> list[MovementPublic]:
        return sorted(
            (
                MovementPublic(**m.as_dict())
                for m in movement_schedule(engine, year, "SPUK", recipient, recorded_as_of)
            ),
            key=lambda m: m.beschikking,
        )

    key = ("sisa movements", year, recipient, recorded_as_of, today())
    schedule = request.app.state.derived.get_or_compute(engine, key, compute)
    return paged(request, response, schedule, lambda m: m.beschikking, after, limit)


@router.get(
    "/sisa/{year}/beschikkingen/{nummer}/indicators/{indicator}",
    operation_id="explain_sisa_indicator",
)
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
    submitted_at: Instant | None
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


@router.get("/sisa/{year}/status", operation_id="get_sisa_status")
def sisa_year_status(
    year: PathYear,
    request: Request,
    response: Response,
    user: Anyone,
    engine: EngineDep,
    at: AsOf,
    recipient: OptionalCode = None,
    status: Annotated[str | None, Query(pattern=one_of(SisaStatus))] = None,
    after: AfterKey = None,
    limit: Limit = 100,
) -> Page[SisaStatusPublic]:
    """Per SPUK or BU beschikking (by nummer) and the year: is its spending in, is the year
    final, is it missing; and its recipient's last submission of the year (a region: its own)."""
    recipient = own_rows(user, recipient)
    with UnitOfWork(engine) as uow:
        known = at.known(uow.connection)
        found = (
            sisa_status_rows(engine, at.day, at.recorded_as_of)
            if recipient is None
            else status_rows(uow.connection, at.day, known, Scope(recipient=recipient))
        )
        last = last_submissions(uow.connection, year, known)
    submitted = {
        recipient: (s.public_id, aware(s.submitted_at).isoformat()) for recipient, s in last.items()
    }
    chosen = [
        r
        for r in sorted(found, key=lambda r: r.beschikking.nummer)
        if recipient in (None, r.recipient)
        and status in (None, r.years.get(year, SisaStatus.NOT_DUE))
        and (after is None or r.beschikking.nummer > after)
    ]
    # Only the page's rows are made into answers, however many beschikkingen the books hold.
    shown = [
        SisaStatusPublic(
            beschikking=r.beschikking.nummer,
            recipient=r.recipient,
            instrument=r.beschikking.instrument.value,
            year=year,
            status=r.years.get(year, SisaStatus.NOT_DUE),
            missing_years=r.missing,
            submission=submitted.get(r.recipient, (None, None))[0],
            submitted_at=submitted.get(r.recipient, (None, None))[1],
            pledged_ratio=_ratio(r.cofinancing.pledged_ratio if r.cofinancing else None),
            realised_ratio=_ratio(r.cofinancing.realised_ratio if r.cofinancing else None),
            realised_shortfall=bool(r.cofinancing and r.cofinancing.realised_shortfall),
        )
        for r in chosen[:limit]
    ]
    return page_of(request, response, shown, lambda r: r.beschikking, more=len(chosen) > limit)


def _ratio(ratio: Decimal | None) -> str | None:
    return None if ratio is None else str(round_ratio(ratio))
