"""What lies behind a year's SiSa figures: the movement schedule (BBV art. 52a) per
beschikking, and the bookings and statement lines behind one figure, with what the last
submission said and the corrections since."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Engine

from ledger.db.unit_of_work import UnitOfWork
from ledger.regio.db.known import Known
from ledger.regio.model import FundingSource
from ledger.rounding import round_half_away_from_zero
from sisa import db as sisa_store
from sisa.figures import CASH_SOURCES, PRIVATE_SOURCES, PUBLIC_SOURCES, is_reported
from sisa.movements import Movement, movement
from sisa.service import annex_for, beschikking_inputs


def movement_schedule(
    engine: Engine,
    year: int,
    instrument: str = "SPUK",
    recipient: str | None = None,
    recorded_as_of: datetime | None = None,
) -> list[Movement]:
    with UnitOfWork(engine) as uow:
        known = Known.at_moment(uow.connection, recorded_as_of)
        data = sisa_store.ledger_spending(uow.connection, known=known)
        flows = sisa_store.money_flows(uow.connection, ("paid", "recovered"), known)
        corrected = sisa_store.payment_corrections(uow.connection, known)
    schedule = []
    for b in beschikking_inputs(data):
        if not is_reported(b, year, instrument) or (recipient and b.recipient != recipient):
            continue
        spent = {y: c for (y, s), c in b.cents.items() if s == FundingSource.RIJK}
        mine = flows.get(b.nummer, {})
        received = dict(mine.get("paid", {}))
        for correction_year, cents in corrected.get(
            b.nummer, {}
        ).items():  # a corrected payment was never received
            received[correction_year] = received.get(correction_year, 0) + cents
        schedule.append(
            movement(b.nummer, b.recipient, year, received, spent, dict(mine.get("recovered", {})))
        )
    return sorted(schedule, key=lambda m: (m.recipient, m.nummer))


#: The funding sources each figure sums, and whether it is cumulative through year T.
FIGURE_SOURCES: dict[str, tuple[tuple[str, ...], bool]] = {
    "rijk_year": ((FundingSource.RIJK,), False),
    "regional_public_year": (PUBLIC_SOURCES, False),
    "regional_private_year": (PRIVATE_SOURCES, False),
    "regional_cash_year": (CASH_SOURCES, False),
    "in_kind_year": ((FundingSource.IN_NATURA,), False),
    "rijk_cumulative": ((FundingSource.RIJK,), True),
    "regional_cumulative": ((*CASH_SOURCES, FundingSource.IN_NATURA), True),
}


def explain_figure(
    engine: Engine,
    year: int,
    nummer: str,
    indicator: str,
    recorded_as_of: datetime | None = None,
) -> dict | None:
    """The bookings and statement lines behind one figure of a year's export (as the books stood
    at ``recorded_as_of``, if given), or None if the indicator is not a figure (the annex of the
    year says which number is which)."""
    with UnitOfWork(engine) as uow:
        known = Known.at_moment(uow.connection, recorded_as_of)
        data = sisa_store.ledger_spending(uow.connection, known=known)
        mine = next((b for b in beschikking_inputs(data) if b.nummer == nummer), None)
        annex = annex_for(
            uow.connection,
            year,
            mine.regeling if mine else None,
            mine.instrument if mine else "SPUK",
        )
        number = indicator.split("/")[-1].zfill(2)
        field_name = next((i.field for i in annex.indicators if i.number == number), None)
        if field_name not in FIGURE_SOURCES:
            return None
        sources, cumulative = FIGURE_SOURCES[field_name]
        found = sisa_store.explain(uow.connection, nummer, year, sources, cumulative, known)
        held = sisa_store.submissions_holding(uow.connection, year, nummer)
    found["indicator"] = f"{annex.code}/{number}"
    found["figure"] = round_half_away_from_zero(found["cents"])
    return {**found, **_since_submitted(found, held, number, recorded_as_of)}


def _since_submitted(
    found: dict, held: list[dict], number: str, recorded_as_of: datetime | None
) -> dict:
    """What the last submission said of the figure, the bookings recorded after it (each a
    correction, with when and by whom), and the value now: an auditor sees all three."""
    at = datetime.fromisoformat
    held = [s for s in held if recorded_as_of is None or at(s["submitted_at"]) <= recorded_as_of]
    if not held:
        return {"submitted": None, "since_submitted": [], "now": found["figure"]}
    last = held[-1]
    after = [b for b in found["bookings"] if at(b["recorded_at"]) > at(last["submitted_at"])]
    return {
        "submitted": {
            "submission": last["submission"],
            "submitted_at": last["submitted_at"],
            "submitted_by": last["submitted_by"],
            "value": last["figures"].get(number),
        },
        "since_submitted": after,
        "now": found["figure"],
    }
