"""The dashboard: server-rendered pages (Jinja2, no JavaScript) for finance officers, auditors
and regions, with the same role rules as the API.

Sign-in takes the user's API token in a form, or goes through an identity provider
(``api.web.oidc_pages``), and starts a server-side session whose secret goes into an HttpOnly,
SameSite=Strict cookie limited to ``/dashboard`` (never the token itself); sign-in and sign-out accept forms from the dashboard's own pages only (Origin). Every
page answers with security headers (a strict content security policy, no framing, no sniffing,
no caching). A region sees only its own
beschikkingen; another region's is a 404, as in the API.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.http.access import visible_beschikking
from api.http.deps import EngineDep
from api.http.headers import secured
from api.http.problems import XLSX, status_of
from api.http.sisa_status import sisa_status_rows
from api.http.users import (
    Role,
    end_session,
    start_session,
)
from api.statements.limits import StatementLimits
from api.web import budget_pages, oidc_pages, portal, reconcile_pages, tranche_pages
from api.web.books import books_today, chart, kept, reconciliation_today
from api.web.common import (
    COOKIE,
    Lang,
    PageReader,
    PageUser,
    SignIn,
    from_here,
    landing,
    language,
    page,
    with_session,
)
from ledger.accounts import Dimensions
from ledger.clock import today
from ledger.db import queries
from ledger.db.rows import load_entries
from ledger.db.unit_of_work import UnitOfWork
from ledger.errors import LedgerError
from ledger.money import Money
from ledger.regio.db.scoped import Scope, load_beschikking_snapshot
from ledger.regio.db.snapshot import deal_statement_spending, spending_ends
from ledger.regio.db.statements import current_lines
from ledger.regio.snapshot import Snapshot
from reports import charts
from reports.deal_report import all_deal_progress, build_deal_progress
from reports.describe import describe_entry
from reports.html import STYLE
from reports.messages import PAGES, UNDERSPENDING
from reports.reconciliation import SOURCES, STAGES, build_tranche_reconciliation, grant_figures
from reports.render import FIGURES
from reports.underspending import underspending
from reports.workbook import reconciliation_workbook

router = APIRouter(prefix="/dashboard", include_in_schema=False)


def install(app: Any) -> None:
    """The dashboard's own answers to 'not signed in', 'not allowed' and 'not found'."""

    @app.exception_handler(SignIn)
    async def to_sign_in(request: Request, _error: SignIn) -> Response:
        return secured(
            RedirectResponse(f"/dashboard/signin?lang={language(request)}", status_code=303)
        )

    api_refusal = app.exception_handlers[StarletteHTTPException]

    @app.exception_handler(StarletteHTTPException)
    async def refusal(request: Request, error: StarletteHTTPException) -> Response:
        if request.url.path.startswith("/dashboard") and error.status_code == 413:
            return too_large_page(request.scope, StatementLimits().max_file_bytes)
        if request.url.path.startswith("/dashboard"):
            return error_page(request, error.status_code, str(error.detail))
        return await api_refusal(request, error)

    api_invalid = app.exception_handlers[RequestValidationError]

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, error: RequestValidationError) -> Response:
        if request.url.path.startswith("/dashboard"):
            return error_page(request, 422, PAGES[language(request)]["invalid_address"])
        return await api_invalid(request, error)

    api_ledger_error = app.exception_handlers[LedgerError]

    @app.exception_handler(LedgerError)
    async def ledger_refusal(request: Request, error: LedgerError) -> Response:
        if request.url.path.startswith("/dashboard"):
            said = error.problems[0]
            lang = language(request)
            text = said.message_nl if lang == "nl" and said.message_nl else said.message
            return error_page(request, status_of(error.code), text)
        return await api_ledger_error(request, error)

    @app.get("/", include_in_schema=False)
    async def root() -> Response:
        return RedirectResponse("/dashboard", status_code=303)

    app.include_router(router)
    app.include_router(portal.router)
    app.include_router(reconcile_pages.router)
    app.include_router(budget_pages.router)
    app.include_router(oidc_pages.router)
    app.include_router(tranche_pages.router)


# --- signing in and out ------------------------------------------------------------------------


@router.get("/signin")
def sign_in_page(request: Request, lang: Lang) -> Response:
    return page("signin.html", lang, user=None, issuers=oidc_pages.issuers_of(request))


@router.post("/signin")
async def sign_in(
    request: Request, token: Annotated[str, Form(max_length=200)], lang: Lang
) -> Response:
    """Sign in with an API token; the cookie then holds a new session, never the token."""
    from_here(request)
    started = await run_in_threadpool(start_session, request.app.state.engine, token.strip())
    if started is None:
        issuers = oidc_pages.issuers_of(request)
        return page("signin.html", lang, status=401, user=None, wrong=True, issuers=issuers)
    user, secret = started
    return with_session(RedirectResponse(landing(user, lang), status_code=303), request, secret)


@router.post("/signout")
async def sign_out(request: Request, lang: Lang) -> Response:
    """End the session (on the server: the cookie stops working everywhere at once); an identity
    provider's session is ended at the provider too."""
    from_here(request)
    if secret := request.cookies.get(COOKIE):
        await run_in_threadpool(end_session, request.app.state.engine, secret)
        if oidc_pages.issuers_of(request):
            at_provider = await run_in_threadpool(
                oidc_pages.sign_out_at_provider, request, secret, lang
            )
            if at_provider is not None:
                return at_provider
    response = RedirectResponse(f"/dashboard/signin?lang={lang}", status_code=303)
    response.delete_cookie(COOKIE, path="/dashboard")
    return secured(response)


@router.get("/static/style.css")
def style() -> Response:
    return secured(Response(STYLE, media_type="text/css"))


# --- pages -------------------------------------------------------------------------------------


@router.get("")
def home(request: Request, user: PageUser, engine: EngineDep, lang: Lang) -> Response:
    if user.role == Role.REGION:
        return secured(RedirectResponse(f"/dashboard/beschikkingen?lang={lang}", status_code=303))
    snapshot, _ = books_today(engine)
    reconciliation = reconciliation_today(request, engine)
    return page(
        "home.html",
        lang,
        user=user,
        rec=reconciliation,
        figures=FIGURES,
        illustrative=snapshot.illustrative,
    )


@router.get("/underspending")
def underspending_page(
    request: Request, user: PageReader, engine: EngineDep, lang: Lang
) -> Response:
    snapshot, _ = books_today(engine)
    rows = kept(request, engine, ("underspending",), lambda: underspending(*books_today(engine)))
    if user.role == Role.REGION:
        rows = [u for u in rows if u.beschikking.recipient == user.organisation]
    return page(
        "underspending.html",
        lang,
        user=user,
        rows=rows,
        as_of=snapshot.as_of,
        names=snapshot.organisations,
        words=UNDERSPENDING[lang],
        illustrative=snapshot.illustrative,
    )


@router.get("/deals/{code}")
def deal(code: str, user: PageReader, engine: EngineDep, lang: Lang) -> Response:
    snapshot, _ = books_today(engine)
    with UnitOfWork(engine) as uow:
        lines = deal_statement_spending(uow.connection, snapshot, code)
    try:
        progress = build_deal_progress(snapshot, code, lines)
    except KeyError:
        raise HTTPException(404, f"No deal {code}.") from None
    return page(
        "deal.html",
        lang,
        user=user,
        p=progress,
        sources=SOURCES,
        illustrative=snapshot.illustrative,
    )


@router.get("/beschikkingen")
def beschikkingen(user: PageUser, engine: EngineDep, lang: Lang) -> Response:
    snapshot, _ = books_today(engine, date.max)
    mine = [
        b
        for b in snapshot.beschikkingen
        if user.role != Role.REGION or b.recipient == user.organisation
    ]
    own = Scope(recipient=user.organisation) if user.role == Role.REGION else None
    statuses = portal.year_statuses(engine, own)
    return page(
        "beschikkingen.html",
        lang,
        user=user,
        beschikkingen=mine,
        names=snapshot.organisations,
        statuses=statuses,
        next_steps=portal.NEXT_STEP,
    )


@dataclass(frozen=True)
class PostingLine:
    account: str
    side: str
    money: Money


@router.get("/beschikkingen/{nummer}")
def beschikking(nummer: str, user: PageUser, engine: EngineDep, lang: Lang) -> Response:
    state = visible_beschikking(engine, user, nummer)
    with UnitOfWork(engine) as uow:
        snapshot = load_beschikking_snapshot(uow.connection, nummer, today())
        ends = spending_ends(uow.connection, nummers=[nummer])
        ids = queries.entry_ids_for(uow.connection, dimensions=Dimensions(beschikking=nummer))
        entries = load_entries(uow.connection, ids=ids)
        lines = current_lines(uow.connection, nummer)
    figures = grant_figures(snapshot, state.beschikking, state.tranche)
    entries = [_entry_view(e, lang) for e in entries]
    lines = [_line_view(line, state.beschikking.amount.currency) for line in lines]
    return page(
        "beschikking.html",
        lang,
        user=user,
        b=state.beschikking,
        names=snapshot.organisations,
        ends_on=ends.get(nummer, state.spending_ends_on),
        stages=[(s, figures.stages[s]) for s in STAGES],
        entries=entries,
        lines=lines,
        years=portal.year_statuses(engine, Scope(nummer=nummer)).get(nummer, {}),
    )


def _entry_view(entry: Any, lang: str) -> Any:
    """An entry as a reader sees it: what its postings did, in the reader's words."""
    postings = [
        PostingLine(p.account, p.side, Money.from_minor_units(p.minor_units, p.currency))
        for p in entry.postings
    ]
    described = describe_entry(postings, entry.memo, lang)
    return _View(entry.sequence, entry.effective_on, described, entry.actor, entry.reason, postings)


@dataclass(frozen=True)
class _View:
    sequence: int
    effective_on: date
    memo: str
    actor: str
    reason: str
    postings: list[PostingLine]


def _line_view(row: Any, currency: str) -> dict[str, Any]:
    return {**row._mapping, "money": Money.from_minor_units(row.amount, currency)}


@router.get("/sisa")
def sisa(user: PageReader, engine: EngineDep, lang: Lang) -> Response:
    rows = sisa_status_rows(engine)
    years = sorted({y for row in rows for y in row.years})
    return page("sisa.html", lang, user=user, rows=rows, years=years)


# --- downloads and charts ----------------------------------------------------------------------


@router.get("/reports/tranches.xlsx")
def tranches_workbook(user: PageReader, engine: EngineDep, lang: Lang) -> Response:
    snapshot, _ = books_today(engine)
    content = reconciliation_workbook(
        build_tranche_reconciliation(snapshot), lang, snapshot.illustrative
    )
    return secured(
        Response(
            content,
            media_type=XLSX,
            headers={
                "Content-Disposition": f'attachment; filename="aansluiting-tranches-{snapshot.as_of}.xlsx"'
            },
        )
    )


@router.get("/charts/waterfall/{code}.png")
def waterfall(
    code: str, request: Request, user: PageReader, engine: EngineDep, lang: Lang
) -> Response:
    def draw(snapshot: Snapshot) -> bytes | None:
        envelope = next(
            (e for e in build_tranche_reconciliation(snapshot).envelopes if e.code == code), None
        )
        return charts.waterfall_png(envelope, lang) if envelope else None

    return chart(request, engine, ("waterfall", code, lang), draw)


@router.get("/charts/spending.png")
def spending(request: Request, user: PageReader, engine: EngineDep, lang: Lang) -> Response:
    return chart(
        request,
        engine,
        ("spending", lang),
        lambda s: charts.spending_png(charts.spending_per_year(s), lang),
    )


@router.get("/charts/cofinancing.png")
def cofinancing(request: Request, user: PageReader, engine: EngineDep, lang: Lang) -> Response:
    def draw(snapshot: Snapshot) -> bytes:
        return charts.cofinancing_png(charts.cofinancing_ratios(all_deal_progress(snapshot)), lang)

    return chart(request, engine, ("cofinancing", lang), draw)


def too_large_page(scope: dict[str, Any], limit: int) -> Response:
    """The page a browser gets for an upload over the limit, before any of it is read."""
    lang = language(Request(scope))
    megabytes = limit // (1024 * 1024)
    detail = (
        f"Het bestand is groter dan {megabytes} MB; er is niets ingelezen of geboekt."
        if lang == "nl"
        else f"The file is larger than {megabytes} MB; nothing was read or booked."
    )
    title = PAGES[lang]["too_large"]
    return page("error.html", lang, status=413, user=None, title=title, detail=detail)


def error_page(request: Request, status: int, detail: str) -> Response:
    """A refusal for a browser: the dashboard's page, with the same status as the API's."""
    lang = language(request)
    words = PAGES[lang]
    title = {404: words["not_found"], 403: words["forbidden"], 413: words["too_large"]}.get(
        status, words["refused"]
    )
    return page("error.html", lang, status=status, user=None, title=title, detail=detail)
