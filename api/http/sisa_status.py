"""The SiSa status of every beschikking's years (``sisa.status.status_rows``), which reads the
whole books: kept like them (``api.http.cache``), computed once per state of the ledger and day.
A read of one beschikking's or one recipient's years asks ``status_rows`` with its scope."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Engine

from api.http.cache import DerivedAnswers
from ledger.clock import today
from ledger.db.unit_of_work import UnitOfWork
from ledger.regio.db.known import Known
from sisa.status import StatusRow, status_rows

SISA_STATUS = DerivedAnswers(size=8)


def sisa_status_rows(
    engine: Engine, as_of: date = date.max, recorded_as_of: datetime | None = None
) -> list[StatusRow]:
    """Every beschikking's SiSa status as of ``as_of`` and as recorded by ``recorded_as_of``;
    read-only, shared between requests."""

    def compute() -> list[StatusRow]:
        with UnitOfWork(engine) as uow:
            known = Known.at_moment(uow.connection, recorded_as_of)
            return status_rows(uow.connection, as_of, known)

    # Years fall due as days pass: today is part of the key.
    key = ("sisa status", engine.url.render_as_string(), as_of, recorded_as_of, today())
    return SISA_STATUS.get_or_compute(engine, key, compute)  # type: ignore[return-value]
