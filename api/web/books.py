"""What the dashboard's pages of the whole books share: the snapshot of the books today (one
for all pages, ``api.http.cache.whole_books``), what a page derives from it and a chart, each
made once per state of the ledger."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TypeVar

from fastapi import HTTPException, Request
from fastapi.responses import Response
from sqlalchemy import Engine

from api.http.cache import whole_books
from api.http.headers import secured
from ledger.clock import today
from ledger.db.unit_of_work import UnitOfWork
from ledger.regio.db.snapshot import spending_ends
from ledger.regio.snapshot import Snapshot
from reports.reconciliation import Reconciliation, build_tranche_reconciliation

T = TypeVar("T")


def books_today(engine: Engine, as_of: date | None = None) -> tuple[Snapshot, dict[str, date]]:
    """The whole books (shared, ``api.http.cache.whole_books``) and every spending period's end."""
    snapshot = whole_books(engine, as_of or today())
    with UnitOfWork(engine) as uow:
        return snapshot, spending_ends(uow.connection)


def kept(request: Request, engine: Engine, key: tuple[str, ...], compute: Callable[[], T]) -> T:
    """What a page derives from the whole books today, computed once per state of the ledger
    and day (see ``api.http.cache``) and shared read-only between requests."""
    return request.app.state.derived.get_or_compute(  # type: ignore[no-any-return]
        engine, ("page", today(), *key), compute
    )


def reconciliation_today(request: Request, engine: Engine) -> Reconciliation:
    """The tranche reconciliation of the books today, one for every page that shows it."""
    return kept(
        request,
        engine,
        ("reconciliation",),
        lambda: build_tranche_reconciliation(books_today(engine)[0]),
    )


def png(content: bytes) -> Response:
    return secured(Response(content, media_type="image/png"))


def chart(
    request: Request, engine: Engine, key: tuple[str, ...], draw: Callable[[Snapshot], bytes | None]
) -> Response:
    """A chart, drawn once per state of the ledger (see ``api.http.cache``)."""
    drawn = request.app.state.derived.get_or_compute(
        engine, ("chart", today(), *key), lambda: draw(books_today(engine)[0])
    )
    if drawn is None:
        raise HTTPException(404, "No such chart.")
    return png(drawn)
