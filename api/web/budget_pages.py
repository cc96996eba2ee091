"""The Rijksbegroting in the browser, for finance officers and auditors: per budget article
and year the budget against the realisation of commitments, cash and receipts, with a chart;
every budget figure down to the mutations behind it (date, source, entry), every realised one
down to the beschikkingen that make it (each with its bookings on its own page)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import Response

from api.http.deps import EngineDep
from api.http.headers import secured
from api.web.common import Lang, PageReader, page
from ledger.clock import today
from ledger.db.unit_of_work import UnitOfWork
from ledger.regio.begroting import Stelsel
from ledger.regio.db.begroting_reads import load_budget_books
from reports import charts
from reports.budget import ArticleBudget, BudgetReport, build_budget_report
from reports.messages import BUDGET, CHARTS

router = APIRouter(prefix="/dashboard", include_in_schema=False)


AsOfDay = Annotated[date | None, Query(description="The day the page shows (default today)")]


def _day(as_of: date | None) -> date:
    if as_of is not None and as_of > today():
        raise HTTPException(422, "The page shows the books up to today; choose an earlier day.")
    return as_of or today()


def _report(request: Request, day: date) -> BudgetReport:
    """The budget report as of ``day``, computed once per state of the ledger."""
    engine = request.app.state.engine

    def compute() -> BudgetReport:
        with UnitOfWork(engine) as uow:
            books = load_budget_books(uow.connection, day)
        return build_budget_report(books, as_of=day)

    return request.app.state.derived.get_or_compute(engine, ("budget", day), compute)


@router.get("/budget")
def budget_page(
    request: Request, user: PageReader, engine: EngineDep, lang: Lang, as_of: AsOfDay = None
) -> Response:
    report = _report(request, _day(as_of))
    return page(
        "budget.html",
        lang,
        user=user,
        report=report,
        sides=list(Stelsel),
        words=BUDGET[lang],
    )


@router.get("/charts/budget/{code}.png")
def budget_chart(
    code: str,
    request: Request,
    user: PageReader,
    engine: EngineDep,
    lang: Lang,
    as_of: AsOfDay = None,
) -> Response:
    report = _report(request, _day(as_of))
    article = next((a for a in report.articles if a.article.code == code), None)
    if article is None:
        raise HTTPException(404, "No such budget article.")
    title = CHARTS[lang]["budget_title"].format(article=f"{code} {article.article.name}")
    return secured(Response(charts.budget_png(_rows(article), title, lang), media_type="image/png"))


def _rows(article: ArticleBudget) -> list:
    C, K = Stelsel.COMMITMENTS, Stelsel.CASH
    return [(f.year, f.budget[C], f.realised[C], f.budget[K], f.realised[K]) for f in article.years]
