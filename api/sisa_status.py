"""Where each SPUK or BU beschikking's SiSa accounting stands per year, read from the ledger:
the one composition the API, the dashboard and the portal share (the rule itself is
``reports.sisa_status``, pure). A year's spending is in when a statement that counts covers it
or an officer booked spending for it; final years come from the eindverantwoording."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Connection

from ledger.clock import today
from ledger.regio.db.history import counted_years, final_years
from ledger.regio.db.known import EVERYTHING, Known
from ledger.regio.db.snapshot import load_snapshot, spending_ends
from reports.sisa_status import StatusRow, reported_years, sisa_status, spent_by_source


def status_rows(
    connection: Connection, as_of: date = date.max, known: Known = EVERYTHING
) -> list[StatusRow]:
    """Per beschikking (by recipient, then nummer) its years and their status, as of a date and
    as the books stood (``known``); years are due once they are over (never after ``as_of``)."""
    snapshot = load_snapshot(connection, as_of, known.at)
    reported = reported_years(snapshot, counted_years(connection, known))
    return sisa_status(
        snapshot.beschikkingen,
        spending_ends(connection, as_of, known),
        reported,
        final_years(connection, as_of, known),
        min(as_of, today()),
        {d.code: d for d in snapshot.deals},
        spent_by_source(snapshot),
    )
