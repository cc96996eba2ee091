"""``regioledger report``: the reconciliation, a deal's voortgang and the charts; and the demo
ledger's loading."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from api.cli.options import (
    AsOf,
    CommandFailed,
    DatabaseOption,
    Lang,
    check_format_of,
    database_url,
    folder,
    open_ledger,
    recorded_time,
    reporting_year,
    writable_file,
)
from ledger.clock import today

if TYPE_CHECKING:
    from ledger.regio.snapshot import Snapshot


report_app = typer.Typer(help="Reports on the Regio Deals.", no_args_is_help=True)


def read_snapshot(url: str, as_of: date) -> tuple[Snapshot, dict[str, date]]:
    from ledger.db.unit_of_work import UnitOfWork
    from ledger.regio.db.snapshot import load_snapshot, spending_ends

    with open_ledger(url) as engine, UnitOfWork(engine) as uow:
        return load_snapshot(uow.connection, as_of), spending_ends(uow.connection)


def print_reconciliation(url: str, as_of: date, output_format: str, lang: str) -> None:
    from reports.reconciliation import build_tranche_reconciliation
    from reports.render import render_text, to_json

    snapshot, _ = read_snapshot(url, as_of)
    reconciliation = build_tranche_reconciliation(snapshot)
    if output_format == "json":
        typer.echo(to_json(reconciliation, illustrative=snapshot.illustrative))
    else:
        typer.echo(render_text(reconciliation, lang, illustrative=snapshot.illustrative))


def demo(url: str, as_of: date, output_format: str, lang: str) -> None:
    """Migrate, load the published figures and the illustrative data (once), print the reconciliation."""
    from api.demo import demo_steps, load_demo  # the demo's data and workbooks: only here
    from api.progress import progress
    from ledger.db import migrate
    from ledger.regio.db.service import RegioService

    with open_ledger(url, migrated=False):
        migrate.upgrade(url)
    with open_ledger(url) as engine, progress("demo ledger", demo_steps()) as advance:
        load_demo(RegioService(engine), step=advance)
    print_reconciliation(url, as_of, output_format, lang)


Out = Annotated[
    Path | None, typer.Option("--out", callback=writable_file, help="Where to write the file.")
]


@report_app.command("tranches")
def report_tranches(
    as_of: AsOf = None,
    output_format: Annotated[str, typer.Option("--format", help="text, json or xlsx.")] = "text",
    lang: Lang = "nl",
    out: Out = None,
    database: DatabaseOption = None,
) -> None:
    """Tranche reconciliation per envelope: budget and its history, commitments, grants, payments,
    spending, co-financing, settlement, control totals, and published figures that differ."""
    from reports.reconciliation import build_tranche_reconciliation

    check_format_of(output_format, out)
    day = as_of or today()
    if output_format != "xlsx":
        print_reconciliation(database_url(database), day, output_format, lang)
        return
    if out is None:
        raise typer.BadParameter(
            "--format xlsx writes a file: give --out FILE.", param_hint="--out"
        )
    from reports.workbook import reconciliation_workbook  # XlsxWriter: only for the workbook

    snapshot, _ = read_snapshot(database_url(database), day)
    content = reconciliation_workbook(
        build_tranche_reconciliation(snapshot), lang, snapshot.illustrative
    )
    out.write_bytes(content)
    typer.echo(f"{out} ({len(content):,} bytes)")


@report_app.command("deal")
def report_deal(
    code: str,
    as_of: AsOf = None,
    output_format: Annotated[str, typer.Option("--format", help="json, xlsx or html.")] = "json",
    lang: Lang = "nl",
    out: Out = None,
    database: DatabaseOption = None,
) -> None:
    """Voortgang of one deal: granted, paid, spending by year and source, co-financing and
    in-kind against the Rijk's share (the multiplier), programme lines, open terugvordering."""
    from ledger.db.unit_of_work import UnitOfWork
    from ledger.regio.db.snapshot import deal_statement_spending
    from reports.deal_report import build_deal_progress
    from reports.reconciliation import SOURCES

    check_format_of(output_format, out)
    url = database_url(database)
    snapshot, _ = read_snapshot(url, as_of or today())
    with open_ledger(url) as engine, UnitOfWork(engine) as uow:
        lines = deal_statement_spending(uow.connection, snapshot, code)
    try:
        progress = build_deal_progress(snapshot, code, lines)
    except KeyError:
        raise CommandFailed(
            "deal_not_found", f"There is no deal {code!r}; `regioledger deals list` shows them."
        ) from None
    if output_format == "json":
        typer.echo(json.dumps(progress.as_dict(), indent=2, ensure_ascii=False))
        return
    if out is None:
        raise typer.BadParameter(
            f"--format {output_format} writes a file: give --out FILE.", param_hint="--out"
        )
    if output_format == "xlsx":
        from reports.deal_workbook import deal_workbook

        out.write_bytes(deal_workbook(progress, lang))
    else:
        from reports.html import standalone

        out.write_text(
            standalone(
                "deal.html", lang, p=progress, sources=SOURCES, illustrative=snapshot.illustrative
            ),
            encoding="utf-8",
        )
    typer.echo(str(out))


@report_app.command("underspending")
def report_underspending(
    as_of: AsOf = None,
    output_format: Annotated[str, typer.Option("--format", help="text or json.")] = "text",
    lang: Lang = "nl",
    database: DatabaseOption = None,
) -> None:
    """Onderbesteding: the SPUK and BU beschikkingen whose Rijk spending, at its pace so far,
    will not reach the grant by the end of the spending period, with the terugvordering that
    would follow."""
    from reports.render import render_underspending, underspending_json
    from reports.underspending import underspending

    snapshot, ends = read_snapshot(database_url(database), as_of or today())
    rows = underspending(snapshot, ends)
    if output_format == "json":
        typer.echo(json.dumps([underspending_json(u) for u in rows], indent=2))
    else:
        typer.echo(render_underspending(rows, snapshot.as_of, lang))


@report_app.command("charts")
def report_charts(
    out: Annotated[Path, typer.Option("--out", callback=folder, help="Folder for the PNG files.")],
    as_of: AsOf = None,
    lang: Lang = "nl",
    database: DatabaseOption = None,
) -> None:
    """The charts as PNG: a waterfall per envelope, spending per year by source, co-financing
    per deal against the 1:1 line."""
    from reports import charts
    from reports.deal_report import all_deal_progress
    from reports.reconciliation import build_tranche_reconciliation

    snapshot, _ = read_snapshot(database_url(database), as_of or today())
    out.mkdir(parents=True, exist_ok=True)
    files = {
        f"waterfall-{e.code}.png": charts.waterfall_png(e, lang)
        for e in build_tranche_reconciliation(snapshot).envelopes
    }
    files["spending.png"] = charts.spending_png(charts.spending_per_year(snapshot), lang)
    files["cofinancing.png"] = charts.cofinancing_png(
        charts.cofinancing_ratios(all_deal_progress(snapshot)), lang
    )
    for name, content in files.items():
        (out / name).write_bytes(content)
        typer.echo(str(out / name))


@report_app.command("budget")
def report_budget(
    year: Annotated[
        int | None, typer.Option("--year", parser=reporting_year, help="One budget year.")
    ] = None,
    article: Annotated[str | None, typer.Option("--article", help="One article's code.")] = None,
    as_of: AsOf = None,
    recorded_as_of: Annotated[
        datetime | None,
        typer.Option(parser=recorded_time, help="As the books stood at this time (with zone)."),
    ] = None,
    output_format: Annotated[str, typer.Option("--format", help="text, json or xlsx.")] = "text",
    lang: Lang = "nl",
    out: Out = None,
    database: DatabaseOption = None,
) -> None:
    """The Rijksbegroting's view: per article and year, the budget against the realisation of
    commitments, cash and receipts, the open commitments, the kasreeks of the later years and
    the mutations behind every budget figure."""
    from api.cli.begroting import read_budget
    from reports.budget import build_budget_report, render_budget_json, render_budget_text

    check_format_of(output_format, out)
    day = as_of or today()
    books = read_budget(database_url(database), day, recorded_as_of)
    report = build_budget_report(books, as_of=day, year=year, article=article)
    if output_format == "json":
        typer.echo(render_budget_json(report), nl=False)
    elif output_format == "xlsx":
        if out is None:
            raise typer.BadParameter(
                "--format xlsx writes a file: give --out FILE.", param_hint="--out"
            )
        from reports.budget_workbook import budget_workbook

        content = budget_workbook(report, lang)
        out.write_bytes(content)
        typer.echo(f"{out} ({len(content):,} bytes)")
    else:
        typer.echo(render_budget_text(report, lang), nl=False)
