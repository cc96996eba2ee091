"""A page per tranche and a page of the published figures, for finance officers and auditors.

A tranche's page: its figures as the reconciliation has them, its controls, its budget history
(every allocation, shift, addition and reservation with its date, entry and source), what its
reservations gave back, its deals and a chart from budget to spending. The published figures
(every figure found in a public source against the ledger's, with the difference and whether
it is explained) have their own page, so the overview stays short."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import Response

from api.http.deps import EngineDep
from api.web.books import books_today, chart, reconciliation_today
from api.web.common import Lang, PageReader, page
from ledger.regio.snapshot import Snapshot
from reports import charts
from reports.describe import describe_change
from reports.reconciliation import Reconciliation, TrancheFigures, build_tranche_reconciliation
from reports.render import FIGURES

router = APIRouter(prefix="/dashboard", include_in_schema=False)


def _tranche(rec: Reconciliation, code: str) -> TrancheFigures | None:
    return next((t for e in rec.envelopes for t in e.tranches if t.code == code), None)


@router.get("/tranches/{code}")
def tranche_page(
    code: str, request: Request, user: PageReader, engine: EngineDep, lang: Lang
) -> Response:
    snapshot, _ = books_today(engine)
    rec = reconciliation_today(request, engine)
    found = _tranche(rec, code)
    if found is None:
        raise HTTPException(404, f"No tranche {code}.")
    envelope = next(e for e in rec.envelopes if found in e.tranches)
    return page(
        "tranche.html",
        lang,
        user=user,
        rec=rec,
        tr=found,
        envelope=envelope,
        figures=FIGURES,
        changes=[(c, describe_change(c, lang)) for c in found.history],
        deals=[d for d in rec.deals if d.deal.tranche == code],
        illustrative=snapshot.illustrative,
    )


@router.get("/published")
def published_page(request: Request, user: PageReader, engine: EngineDep, lang: Lang) -> Response:
    snapshot, _ = books_today(engine)
    rec = reconciliation_today(request, engine)
    return page("published.html", lang, user=user, rec=rec, illustrative=snapshot.illustrative)


@router.get("/charts/tranche/{code}.png")
def tranche_chart(
    code: str, request: Request, user: PageReader, engine: EngineDep, lang: Lang
) -> Response:
    def draw(snapshot: Snapshot) -> bytes | None:
        found = _tranche(build_tranche_reconciliation(snapshot), code)
        return charts.tranche_png(found, lang) if found else None

    return chart(request, engine, ("tranche", code, lang), draw)
