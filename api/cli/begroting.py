"""``regioledger begroting``: the Rijksbegroting's budget articles and the mutations of their
budget per year (``article add``, ``mutate``, ``reverse``); the report is ``regioledger report
budget``. Each write records who, why and on which source; without ``--key`` every run is a new
request."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Annotated

import typer

from api.cli.options import (
    By,
    DatabaseOption,
    Effective,
    Reason,
    RetryKey,
    SourceDocument,
    code,
    iso_date,
    open_ledger,
    write_key,
)

begroting_app = typer.Typer(
    help="The Rijksbegroting: budget articles and their budget per year.", no_args_is_help=True
)
article_app = typer.Typer(help="Budget articles.", no_args_is_help=True)
begroting_app.add_typer(article_app, name="article")

LINE = re.compile(r"(?P<year>[0-9]{4}):(?P<side>[a-z]+):(?P<amount>-?[0-9]{1,13}(\.[0-9]{1,2})?)")
SIDES = ("verplichtingen", "uitgaven", "ontvangsten")
KINDS = ("initial", "overboeking", "kasschuif", "loon_prijs")


def budget_line(value: str) -> tuple[int, str, Decimal]:
    found = LINE.fullmatch(value)
    if found is None or found["side"] not in SIDES:
        raise typer.BadParameter(
            f"{value!r} is not a budget line; write YEAR:SIDE:AMOUNT with SIDE one of "
            f"{', '.join(SIDES)}, e.g. 2025:uitgaven:30000000.00 (a kasschuif's lines may be "
            "negative)."
        )
    return int(found["year"]), found["side"], Decimal(found["amount"])


def mutation_kind(value: str) -> str:
    if value not in KINDS:
        raise typer.BadParameter(f"{value!r} is not a budget mutation; use {', '.join(KINDS)}.")
    return value


Lines = Annotated[
    list[str],
    typer.Option("--line", help="YEAR:SIDE:AMOUNT, once per year and side (repeat the option)."),
]


@article_app.command("add")
def add_article(
    article: Annotated[str, typer.Argument(parser=code, help="The article's code, e.g. VII-2.")],
    ministry: Annotated[str, typer.Option("--ministry", help="e.g. BZK.")],
    chapter: Annotated[str, typer.Option("--chapter", help="The begrotingshoofdstuk, e.g. VII.")],
    number: Annotated[str, typer.Option("--number", help="The article's number, e.g. 2.")],
    name: Annotated[str, typer.Option("--name", help="The article's name.")],
    by: By,
    reason: Reason,
    source: SourceDocument = None,
    sub_article: Annotated[str | None, typer.Option("--sub-article")] = None,
    tranches: Annotated[
        list[str] | None, typer.Option("--tranche", parser=code, help="A tranche it pays.")
    ] = None,
    database: DatabaseOption = None,
) -> None:
    """A budget article, with the source that names it and the tranches whose beschikkingen it
    pays (repeat --tranche)."""
    from ledger.regio.begroting import Article
    from ledger.regio.db.service import RegioService
    from ledger.regio.model import Who

    opened = Article(article, ministry, chapter, number, name, sub_article, tuple(tranches or ()))
    with open_ledger(database) as engine:
        RegioService(engine).open_article(opened, who=Who(by, reason, source))
    typer.echo(f"Article {article}: {ministry} {chapter} article {number} {name}.")


@begroting_app.command("mutate")
def mutate(
    article: Annotated[str, typer.Argument(parser=code, help="The article it changes.")],
    kind: Annotated[str, typer.Option("--kind", parser=mutation_kind, help=", ".join(KINDS))],
    name: Annotated[str, typer.Option("--name", help="e.g. Voorjaarsnota 2024.")],
    lines: Lines,
    on: Effective,
    by: By,
    reason: Reason,
    source: SourceDocument = None,
    from_article: Annotated[
        str | None, typer.Option("--from", parser=code, help="An overboeking's origin.")
    ] = None,
    key: RetryKey = None,
    database: DatabaseOption = None,
) -> None:
    """A change of an article's budget per year: the budget as enacted (initial), an
    overboeking from another article with its cash series, a kasschuif between years, a loon- en
    prijsbijstelling."""
    from ledger.money import Money
    from ledger.regio.begroting import Line, Mutation, MutationKind, Stelsel
    from ledger.regio.db.service import RegioService
    from ledger.regio.model import Who

    parsed = tuple(
        Line(year, Stelsel(side), Money.of(amount))
        for year, side, amount in map(budget_line, lines)
    )
    mutation = Mutation(MutationKind(kind), article, name, on, parsed, from_article)
    with open_ledger(database) as engine:
        posted = RegioService(engine).record_budget_mutation(
            mutation, key=write_key("begroting", key), who=Who(by, reason, source)
        )
    typer.echo(f"{name}: {kind} on article {article} booked (entry {posted.sequence}).")


@begroting_app.command("reverse")
def reverse(
    mutation: Annotated[str, typer.Argument(help="The key of the mutation booked wrong.")],
    on: Effective,
    by: By,
    reason: Reason,
    source: SourceDocument = None,
    key: RetryKey = None,
    database: DatabaseOption = None,
) -> None:
    """A budget mutation booked wrong, reversed in full on a date; both stay in the journal."""
    from ledger.regio.db.service import RegioService
    from ledger.regio.model import Who

    with open_ledger(database) as engine:
        posted = RegioService(engine).reverse_budget_mutation(
            mutation, on=on, key=write_key("begroting-reversal", key), who=Who(by, reason, source)
        )
    typer.echo(f"{mutation} reversed on {on} (entry {posted.sequence}).")


def read_budget(url: str, as_of: date, recorded_as_of=None):  # noqa: ANN001, ANN201
    from ledger.db.unit_of_work import UnitOfWork
    from ledger.regio.db.begroting_reads import load_budget_books

    with open_ledger(url) as engine, UnitOfWork(engine) as uow:
        return load_budget_books(uow.connection, as_of, recorded_as_of)


ADVANCE = re.compile(r"(?P<day>[0-9]{4}-[0-9]{2}-[0-9]{2}):(?P<amount>[0-9]{1,13}(\.[0-9]{1,2})?)")


def advance(value: str) -> tuple[date, Decimal]:
    found = ADVANCE.fullmatch(value)
    if found is not None:
        try:
            return date.fromisoformat(found["day"]), Decimal(found["amount"])
        except ValueError:  # a day that does not exist, such as 2025-02-30
            pass
    raise typer.BadParameter(
        f"{value!r} is not an advance; write DATE:AMOUNT, e.g. 2025-03-01:1000000.00."
    )


@begroting_app.command("schedule")
def schedule(
    nummer: Annotated[str, typer.Argument(parser=code, help="The beschikkingsnummer.")],
    on: Effective,
    by: By,
    reason: Reason,
    source: SourceDocument = None,
    advances: Annotated[
        list[str] | None,
        typer.Option("--advance", help="DATE:AMOUNT in the grant's currency (repeat)."),
    ] = None,
    yearly: Annotated[
        int | None, typer.Option("--yearly", min=1, max=20, help="Equal yearly advances.")
    ] = None,
    first_due: Annotated[
        date | None,
        typer.Option("--first-due", parser=iso_date, help="With --yearly: the first advance."),
    ] = None,
    key: RetryKey = None,
    database: DatabaseOption = None,
) -> None:
    """A beschikking's payment schedule (kasritme) from --on: its advances (--advance, repeated)
    or the grant in --yearly equal parts from --first-due; it replaces the schedule before it."""
    from ledger.money import Money
    from ledger.regio.db import rows as regio_rows
    from ledger.regio.db.service import RegioService
    from ledger.regio.kasritme import Advance, yearly_instalments
    from ledger.regio.model import Who

    if bool(advances) == (yearly is not None):
        raise typer.BadParameter("Give either --advance (repeated) or --yearly with --first-due.")
    with open_ledger(database) as engine:
        regio = RegioService(engine)
        if yearly is not None and first_due is None:
            raise typer.BadParameter("--yearly needs --first-due DATE.", param_hint="--first-due")
        with engine.connect() as connection:
            granted = regio_rows.beschikking_state(connection, nummer).granted
        if yearly is not None:
            planned = yearly_instalments(granted, first_due, yearly)
        else:
            currency = granted.currency
            planned = tuple(
                Advance(day, Money.of(amount, currency))
                for day, amount in map(advance, advances or [])
            )
        regio.set_payment_schedule(
            nummer, planned, on=on, key=write_key("schedule", key), who=Who(by, reason, source)
        )
    typer.echo(f"{nummer}: {len(planned)} advances planned from {on}.")
