"""The Rijksbegroting's reads: articles, each budget cell's balance, the mutations behind it,
and the beschikkingen's flows per year that ``ledger.regio.begroting.realise`` turns into
commitments, cash and receipts. Every read is as of an effective date and as the books held
it at a moment (``Known``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Connection, case, extract, func, or_, select

from ledger.db.rows import account_table, entry_table, posting_table
from ledger.money import Money
from ledger.regio import chart
from ledger.regio.begroting import (
    BUDGET_LIKE,
    COMMITTED_STAGES,
    FX_DIFFERENCE,
    PAID_STAGES,
    Article,
    Flow,
    Grant,
    Realised,
    Stelsel,
    in_euros,
    parse_budget_account,
    per_year,
    realise_each,
)
from ledger.regio.db.begroting_tables import article_table, article_tranche_table, mutation_table
from ledger.regio.db.known import Known
from ledger.regio.db.schedules import schedules_as_of
from ledger.regio.db.tables import beschikking_table, deal_table
from ledger.regio.kasritme import Advance, Pace, pace
from ledger.regio.model import Instrument

Cell = tuple[str, int, Stelsel]  # article, year, side


@dataclass(frozen=True)
class MutationRecord:
    """A budget mutation as kept: what it is and the entry that books it."""

    key: str
    kind: str
    article: str
    from_article: str | None
    name: str
    effective_on: date
    reverses: str | None
    entry_id: int
    source: str | None  # the entry's source document
    reason: str


def articles(connection: Connection, known: Known) -> list[Article]:
    paid = connection.execute(
        select(article_tranche_table.c.article, article_tranche_table.c.tranche)
        .where(known.records(article_tranche_table.c.recorded_at))
        .order_by(article_tranche_table.c.tranche)
    ).all()
    rows = connection.execute(
        select(article_table)
        .where(known.records(article_table.c.recorded_at))
        .order_by(article_table.c.code)
    ).all()
    return [
        Article(
            r.code,
            r.ministry,
            r.chapter,
            r.number,
            r.name,
            r.sub_article,
            tuple(t for a, t in paid if a == r.code),
        )
        for r in rows
    ]


def article_sources(connection: Connection) -> dict[str, str]:
    return dict(connection.execute(select(article_table.c.code, article_table.c.source)).all())


def _net_credit() -> object:
    return func.sum(
        case(
            (posting_table.c.side == "credit", posting_table.c.amount),
            else_=-posting_table.c.amount,
        )
    )


def budget_cells(connection: Connection, as_of: date, known: Known) -> dict[Cell, Money]:
    """Each budget cell's balance (article, year, side) on ``as_of``."""
    query = (
        select(account_table.c.code, _net_credit())
        .select_from(
            posting_table.join(account_table, account_table.c.id == posting_table.c.account_id)
        )
        .where(
            account_table.c.code.like(BUDGET_LIKE),
            posting_table.c.effective_on <= as_of,
            known.entries(posting_table.c.entry_id),
        )
        .group_by(account_table.c.code)
    )
    cells: dict[Cell, Money] = {}
    for code, net in connection.execute(query):
        cell = parse_budget_account(code)
        if cell is not None:
            cells[cell] = Money.from_minor_units(int(net))
    return cells


def flows(connection: Connection, as_of: date, known: Known) -> list[Flow]:
    """The net movement per beschikking, stage and year of the stages realisation reads."""
    year = extract("year", posting_table.c.effective_on)
    stages = sorted(COMMITTED_STAGES | {"fx-eur", FX_DIFFERENCE})
    query = (
        select(account_table.c.code, account_table.c.currency, year, _net_credit())
        .select_from(
            posting_table.join(account_table, account_table.c.id == posting_table.c.account_id)
        )
        .where(
            account_table.c.beschikking.is_not(None),
            or_(*(account_table.c.code.like(chart.stage_like(stage)) for stage in stages)),
            posting_table.c.effective_on <= as_of,
            known.entries(posting_table.c.entry_id),
        )
        .group_by(account_table.c.code, account_table.c.currency, year)
    )
    found = []
    for code, currency, in_year, net in connection.execute(query):
        parsed = chart.parse(code)
        if parsed.stage in stages and int(net) != 0:
            found.append(
                Flow(
                    parsed.owner,
                    parsed.stage,
                    int(in_year),
                    Money.from_minor_units(int(net), currency),
                )
            )
    return found


def grants(connection: Connection) -> dict[str, Grant]:
    query = select(
        beschikking_table.c.nummer,
        deal_table.c.tranche,
        beschikking_table.c.instrument,
        beschikking_table.c.usd_per_eur,
    ).select_from(beschikking_table.join(deal_table, deal_table.c.code == beschikking_table.c.deal))
    return {
        nummer: Grant(
            nummer,
            tranche,
            instrument in (Instrument.DU, Instrument.DO),
            Decimal(rate) if rate else None,
        )
        for nummer, tranche, instrument, rate in connection.execute(query)
    }


def mutations(connection: Connection, as_of: date, known: Known) -> list[MutationRecord]:
    rows = connection.execute(
        select(mutation_table, entry_table.c.source_document, entry_table.c.reason)
        .join(entry_table, entry_table.c.id == mutation_table.c.entry_id)
        .where(mutation_table.c.effective_on <= as_of, known.entries(mutation_table.c.entry_id))
        .order_by(mutation_table.c.effective_on, mutation_table.c.id)
    ).all()
    return [
        MutationRecord(
            r.key,
            r.kind,
            r.article,
            r.from_article,
            r.name,
            r.effective_on,
            r.reverses,
            r.entry_id,
            r.source_document,
            r.reason,
        )
        for r in rows
    ]


@dataclass(frozen=True)
class BudgetBooks:
    """Everything the budget report reads, as of one date and as the books held it then."""

    articles: list[Article]
    sources: dict[str, str]
    cells: dict[Cell, Money]
    realised: dict[tuple[str, int], Realised]
    mutations: list[MutationRecord]
    each: dict[tuple[str, int, str], Realised]  # per article, year and beschikking
    paces: dict[str, tuple[str, Pace]] = field(default_factory=dict)  # nummer: (article, pace)
    expected: dict[tuple[str, int], Money] = field(default_factory=dict)  # from the schedules


def load_budget_books(
    connection: Connection, as_of: date, recorded_as_of: datetime | None = None
) -> BudgetBooks:
    known = Known.at_moment(connection, recorded_as_of)
    held = articles(connection, known)
    article_of = {t: a.code for a in held for t in a.tranches}
    found, granted = flows(connection, as_of, known), grants(connection)
    each = realise_each(found, granted, article_of)
    paces = schedule_paces(schedules_as_of(connection, as_of, known), found, granted, as_of)
    paces_by_article = {
        n: (article_of[granted[n].tranche], p)
        for n, p in paces.items()
        if granted[n].tranche in article_of
    }
    return BudgetBooks(
        held,
        article_sources(connection),
        budget_cells(connection, as_of, known),
        per_year(each),
        mutations(connection, as_of, known),
        each,
        paces_by_article,
        expected_cash(paces_by_article, granted),
    )


def schedule_paces(
    schedules: dict[str, tuple[Advance, ...]],
    found: list[Flow],
    granted: dict[str, Grant],
    as_of: date,
) -> dict[str, Pace]:
    """Each scheduled beschikking's payments against its schedule, in the grant's currency:
    the grant as it stands is what its committed stages hold, the paid what its paid stages do."""
    committed: dict[str, Money] = {}
    paid: dict[str, Money] = {}
    for flow in found:
        if flow.nummer not in schedules or flow.stage not in COMMITTED_STAGES:
            continue
        zero = Money.zero(flow.amount.currency)
        committed[flow.nummer] = committed.get(flow.nummer, zero) + flow.amount
        if flow.stage in PAID_STAGES:
            paid[flow.nummer] = paid.get(flow.nummer, zero) + flow.amount
    paces = {}
    for nummer, advances in schedules.items():
        zero = Money.zero(advances[0].amount.currency)
        paces[nummer] = pace(
            nummer, advances, committed.get(nummer, zero), paid.get(nummer, zero), as_of
        )
    return paces


def expected_cash(
    paces: dict[str, tuple[str, Pace]], granted: dict[str, Grant]
) -> dict[tuple[str, int], Money]:
    """The expected cash per article and year from the schedules, in euros (a DU's is the
    fund's, left out)."""
    expected: dict[tuple[str, int], Money] = {}
    for nummer, (article, p) in paces.items():
        if granted[nummer].leaves_article:
            continue
        for year, amount in p.expected.items():
            euros = in_euros(amount, granted[nummer])
            expected[(article, year)] = expected.get((article, year), Money.zero()) + euros
    return expected
