"""The Rijksbegroting's view, for the finance officer: budget articles, the mutations of their
budget per year (each booked once per ``Idempotency-Key``, refused in the domain's words), a
mutation booked wrong reversed; and the budget report (finance officers and auditors) as JSON
or a workbook."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request, Response
from pydantic import Field
from sqlalchemy import Connection

from api.http.deps import EngineDep, Finance, Reader
from api.http.fields import (
    Body,
    Code,
    IdempotencyKey,
    IsoDate,
    Name,
    Nummer,
    OptionalCode,
    PathCode,
    Text,
)
from api.http.idempotency import entry_key, fingerprint, once
from api.http.links import BOOKED_LINKS, created
from api.http.problems import XLSX, file_response
from api.http.public import Public
from api.http.reading import AsOf
from api.http.writes import Booked, Recorded, Written, book_once, booked, service, who
from ledger.clock import today
from ledger.db.unit_of_work import UnitOfWork
from ledger.money import Money
from ledger.regio.begroting import Article, Line, Mutation, MutationKind, Stelsel
from ledger.regio.db.begroting_reads import load_budget_books
from ledger.regio.db.rows import beschikking_state
from ledger.regio.kasritme import Advance, yearly_instalments
from reports.budget import build_budget_report, render_budget_json
from reports.budget_workbook import budget_workbook

router = APIRouter(prefix="/api/v1", tags=["budget"])


class ScheduleSet(Public):
    """A payment schedule set: its beschikking and the key it is kept under."""

    nummer: str
    key: str


Short = Annotated[str, Field(min_length=1, max_length=20, pattern=r"^[A-Za-z0-9.\-]+$")]


class ArticleCreate(Body):
    code: Code
    ministry: Name
    chapter: Short  # the begrotingshoofdstuk, e.g. VII
    number: Short
    sub_article: Short | None = None
    name: Name
    tranches: list[Code] = Field(default_factory=list, max_length=50)
    reason: Text
    source_document: Text  # the publication that names the article


@router.post(
    "/budget/articles",
    operation_id="create_budget_article",
    status_code=201,
    response_model=Recorded,
    responses=created(),
)
def open_article(
    body: ArticleCreate, user: Finance, engine: EngineDep, idempotency_key: IdempotencyKey = None
) -> Response:
    """A budget article with the source that names it and the tranches whose beschikkingen it
    pays; the same article again changes nothing, another one under its code is refused."""
    article = Article(
        body.code,
        body.ministry,
        body.chapter,
        body.number,
        body.name,
        body.sub_article,
        tuple(body.tranches),
    )

    def run(connection: Connection) -> dict[str, str]:
        service(engine, connection).open_article(article, who=who(user, body))
        return {"code": body.code}

    return once(engine, user, idempotency_key, fingerprint("articles", body), 201, run)


class BudgetLine(Body):
    year: Annotated[int, Field(ge=2000, le=2100)]
    side: Stelsel
    amount: Annotated[
        str,
        Field(
            pattern=r"^-?[0-9]{1,13}(\.[0-9]{1,2})?$",
            description="In euros; only a kasschuif's lines may be below zero: -1234.50",
        ),
    ]


class MutationCreate(Written):
    kind: Literal["initial", "overboeking", "kasschuif", "loon_prijs"]
    name: Name
    effective_on: IsoDate
    lines: list[BudgetLine] = Field(min_length=1, max_length=40)
    from_article: Code | None = None


@router.post(
    "/budget/articles/{code}/mutations",
    operation_id="create_budget_mutation",
    status_code=201,
    response_model=Booked,
    responses=created(BOOKED_LINKS),
)
def record_mutation(
    code: PathCode,
    body: MutationCreate,
    user: Finance,
    engine: EngineDep,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    """A change of the article's budget per year: the budget as enacted, an overboeking from
    another article with its cash series, a kasschuif between years, a loon- en
    prijsbijstelling; one entry, never below zero in any year on any date."""
    mutation = Mutation(
        MutationKind(body.kind),
        code,
        body.name,
        body.effective_on,
        tuple(Line(ln.year, ln.side, Money.of(ln.amount)) for ln in body.lines),
        body.from_article,
    )
    return book_once(
        engine,
        user,
        idempotency_key,
        fingerprint("mutations", code, body),
        body,
        lambda regio, key, by: regio.record_budget_mutation(mutation, key=key, who=by),
    )


class MutationReversalCreate(Written):
    mutation: Annotated[str, Field(min_length=1, max_length=200)]  # the key it was booked under
    effective_on: IsoDate


@router.post(
    "/budget/reversals",
    operation_id="reverse_budget_mutation",
    status_code=201,
    response_model=Booked,
    responses=created(BOOKED_LINKS),
)
def reverse_mutation(
    body: MutationReversalCreate,
    user: Finance,
    engine: EngineDep,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    """A budget mutation booked wrong, reversed in full on a date; both stay in the journal."""
    key = entry_key(user, idempotency_key)
    return once(
        engine,
        user,
        idempotency_key,
        fingerprint("budget-reversals", body),
        201,
        lambda c: booked(
            service(engine, c).reverse_budget_mutation(
                body.mutation, on=body.effective_on, key=key, who=who(user, body)
            )
        ),
    )


@router.get(
    "/reports/budget",
    operation_id="get_budget_report",
    responses=file_response("application/json", XLSX, description="The budget report."),
)
def budget_report(
    request: Request,
    user: Reader,
    engine: EngineDep,
    at: AsOf,
    year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
    article: OptionalCode = None,
    format: Annotated[str, Query(pattern="^(json|xlsx)$")] = "json",  # noqa: A002 - the API's name
    lang: Annotated[str, Query(pattern="^(nl|en)$")] = "nl",
) -> Response:
    """Per budget article and year: the budget against the realisation of commitments, cash
    and receipts, the open commitments at each year's end, what left for the funds (DU), the
    kasreeks after ``year`` and the mutations behind every budget figure; as of a date and as
    the books stood at ``recorded_as_of``. Kept until the next write to the ledger (see
    ``api.http.cache``)."""
    day = at.as_of or today()

    def compute() -> bytes | str:
        with UnitOfWork(engine) as uow:
            books = load_budget_books(uow.connection, day, at.recorded_as_of)
        report = build_budget_report(books, as_of=day, year=year, article=article)
        return budget_workbook(report, lang) if format == "xlsx" else render_budget_json(report)

    key = ("budget report", day, at.recorded_as_of, year, article, format, lang)
    content = request.app.state.derived.get_or_compute(engine, key, compute)
    if format == "xlsx":
        return Response(
            content,
            media_type=XLSX,
            headers={"Content-Disposition": f'attachment; filename="begroting-{day}.xlsx"'},
        )
    return Response(content, media_type="application/json")


class AdvanceIn(Body):
    due_on: IsoDate
    amount: Annotated[str, Field(pattern=r"^[0-9]{1,13}(\.[0-9]{1,2})?$")]


class AdvancesPlan(Body):
    """The advances one by one, in the grant's currency."""

    kind: Literal["advances"]
    advances: list[AdvanceIn] = Field(min_length=1, max_length=60)


class YearlyPlan(Body):
    """The grant as it stands, in ``count`` equal yearly advances from ``first_due``."""

    kind: Literal["yearly"]
    count: Annotated[int, Field(ge=1, le=20)]
    first_due: IsoDate


class ScheduleCreate(Written):
    effective_on: IsoDate
    plan: Annotated[AdvancesPlan | YearlyPlan, Field(discriminator="kind")]


@router.post(
    "/beschikkingen/{nummer}/payment-schedules",
    operation_id="set_payment_schedule",
    status_code=201,
    response_model=ScheduleSet,
    responses=created(),
)
def set_schedule(
    nummer: Nummer,
    body: ScheduleCreate,
    user: Finance,
    engine: EngineDep,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    """A beschikking's payment schedule (kasritme) from ``effective_on``: its advances one by
    one, or the grant in equal yearly parts (``plan``); it replaces the schedule before it from
    that day. Never before the decision, after today or past the grant."""
    key = entry_key(user, idempotency_key)

    def run(connection: Connection) -> dict[str, str]:
        state = beschikking_state(connection, nummer)
        plan = body.plan
        if isinstance(plan, YearlyPlan):
            planned = yearly_instalments(state.granted, plan.first_due, plan.count)
        else:
            currency = state.granted.currency
            planned = tuple(Advance(a.due_on, Money.of(a.amount, currency)) for a in plan.advances)
        service(engine, connection).set_payment_schedule(
            nummer, planned, on=body.effective_on, key=key, who=who(user, body)
        )
        return {"nummer": nummer, "key": key}

    return once(engine, user, idempotency_key, fingerprint("schedules", nummer, body), 201, run)
