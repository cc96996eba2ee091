"""`regioledger sisa export|final|toelichting|movements|explain`: the SiSa accountability."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from api.cli_options import (
    Beschikking,
    CommandFailed,
    DatabaseOption,
    ReportingYear,
    code,
    folder,
    open_ledger,
    writable_file,
)
from api.progress import progress
from ledger.db import regio_rows
from ledger.db.regio import RegioService
from ledger.db.unit_of_work import UnitOfWork
from ledger.regio.model import Who
from sisa.service import explain_figure, export_sisa, movement_schedule, recipients

sisa_app = typer.Typer(
    help="SiSa accountability: export, eindverantwoording, movements, drill-down.",
    no_args_is_help=True,
)

Year = ReportingYear
Nummer = Beschikking
Recipient = Annotated[
    str | None, typer.Option("--recipient", parser=code, help="Only this recipient (organisation code).")
]
Instrument = Annotated[
    str, typer.Option("--instrument", help="SPUK (default) or BU, which has its own export.")
]
Database = DatabaseOption
Format = Annotated[
    str, typer.Option("--format", help="xlsx, csv or json (default: from --out, else json).")
]


def _known_recipient(engine: object, recipient: str | None) -> None:
    if recipient is None:
        return
    with UnitOfWork(engine) as uow:  # type: ignore[arg-type]
        known = regio_rows.organisation(uow.connection, recipient)
    if known is None:
        raise CommandFailed("organisation_not_found", f"There is no organisation {recipient!r}.")


def _check_instrument(instrument: str) -> None:
    if instrument not in ("SPUK", "BU"):
        raise typer.BadParameter("--instrument must be SPUK or BU (a DU has no SiSa accountability)")


PerRecipient = Annotated[
    bool, typer.Option("--per-recipient", help="One file per recipient, in the folder --out.")
]


@sisa_app.command("export")
def export(year: Year, out: Annotated[Path | None, typer.Option("--out", help="File (or, with --per-recipient, folder) to write.")] = None,
           recipient: Recipient = None, instrument: Instrument = "SPUK", output_format: Format = "",
           per_recipient: PerRecipient = False, database: Database = None) -> None:  # fmt: skip
    """Write the SiSa annex of a year: one row per beschikking, yearly and cumulative figures in
    whole euros, validated before writing and again on the file read back. Exit 1 if refused."""
    _check_instrument(instrument)
    if per_recipient:
        export_per_recipient(year, folder(out), instrument, output_format or "xlsx", database)
        return
    writable_file(out)
    chosen = output_format or (out.suffix.lstrip(".") if out else "json")
    if chosen not in ("xlsx", "csv", "json"):
        raise typer.BadParameter("--format must be xlsx, csv or json")
    with open_ledger(database) as engine:
        _known_recipient(engine, recipient)
        content, result = export_sisa(engine, year, chosen, instrument=instrument, recipient=recipient)
    if content is None:
        typer.echo(
            f"SiSa {year}: export refused, nothing written ({len(result.problems)} problem(s)):",
            err=True,
        )
        for problem in result.problems:
            typer.echo(f"  [{problem.code}] {problem.nummer or '-'}: {problem.message}", err=True)
        raise typer.Exit(code=1)
    if out is None:
        typer.echo(content.decode("utf-8-sig") if chosen != "xlsx" else "use --out for xlsx")
    else:
        out.write_bytes(content)
        typer.echo(
            f"SiSa {year} ({instrument}): {len(result.rows)} beschikkingen, {len(result.corrections)} correction(s), written to {out}"
        )


@sisa_app.command("final")
def final(year: Year, nummer: Nummer,
          organisation: Annotated[str | None, typer.Option("--as", help="Mark as this region (organisation code).")] = None,
          toelichting: Annotated[str | None, typer.Option("--toelichting", help="Explanation for the final row.")] = None,
          database: Database = None) -> None:  # fmt: skip
    """Eindverantwoording: mark YEAR as the beschikking's last SiSa report. Locks its spending."""
    with open_ledger(database) as engine:
        who = Who(organisation or "finance-officer", f"Eindverantwoording {year}")
        RegioService(engine).mark_final(nummer, year, key=f"final:{nummer}", who=who, organisation=organisation,
                                        toelichting=toelichting)  # fmt: skip
    typer.echo(f"{nummer}: eindverantwoording over {year} recorded.")


@sisa_app.command("toelichting")
def toelichting(year: Year, nummer: Nummer, text: Annotated[str, typer.Option("--text", help="The explanation.")],
                database: Database = None) -> None:  # fmt: skip
    """Record the toelichting of a beschikking's SiSa row for a year."""
    import hashlib

    with open_ledger(database) as engine:
        key = f"toelichting:{nummer}:{year}:{hashlib.sha256(text.encode()).hexdigest()[:16]}"
        RegioService(engine).add_toelichting(nummer, year, text, key=key, who=Who("finance-officer", text))
    typer.echo(f"{nummer} {year}: toelichting recorded.")


@sisa_app.command("movements")
def movements(year: Year, recipient: Recipient = None, instrument: Instrument = "SPUK",
              output_format: Annotated[str, typer.Option("--format", help="text or json.")] = "text",
              database: Database = None) -> None:  # fmt: skip
    """Movement schedule (BBV art. 52a) per beschikking: opening balance of received but unspent
    Rijk money, received, spent, repaid, closing."""
    _check_instrument(instrument)
    with open_ledger(database) as engine:
        _known_recipient(engine, recipient)
        schedule = movement_schedule(engine, year, instrument, recipient)
    if output_format == "json":
        typer.echo(json.dumps([m.as_dict() for m in schedule], indent=2))
        return
    for m in schedule:
        typer.echo(f"{m.nummer:<34} {m.recipient:<24} begin {m.opening.amount:>16} ontvangen {m.received.amount:>16} "
                   f"besteed {m.spent.amount:>16} terugbetaald {m.repaid.amount:>14} eind {m.closing.amount:>16}")  # fmt: skip


@sisa_app.command("explain")
def explain(year: Year, nummer: Nummer,
            indicator: Annotated[str, typer.Option("--indicator", help="02, 03, 04, 06 or 07.")],
            database: Database = None) -> None:  # fmt: skip
    """The bookings and statement lines behind one figure of the SiSa export."""
    with open_ledger(database) as engine:
        with UnitOfWork(engine) as uow:
            regio_rows.beschikking_state(uow.connection, nummer)  # an unknown beschikking is said
        found = explain_figure(engine, year, nummer, indicator)
    if found is None:
        raise typer.BadParameter(
            "--indicator must name a figure of the annex (02, 03, 04, 06 or 07 by default)"
        )
    typer.echo(json.dumps(found, indent=2, ensure_ascii=False, default=str))


def export_per_recipient(
    year: int, folder: Path | None, instrument: str, chosen: str, database: str | None
) -> None:
    """Each recipient its own file (``sisa-YEAR-INSTRUMENT-ORG.xlsx``), with a progress bar;
    a refused recipient is reported and the others are still written. Exit 1 if any was refused."""
    if folder is None or chosen not in ("xlsx", "csv"):
        raise typer.BadParameter(
            "--per-recipient writes xlsx or csv files into the folder given by --out"
        )
    folder.mkdir(parents=True, exist_ok=True)
    refused = []
    with open_ledger(database) as engine:
        organisations = recipients(engine, year, instrument)
        with progress(f"SiSa {year}", len(organisations)) as advance:
            for organisation in organisations:
                content, result = export_sisa(
                    engine, year, chosen, instrument=instrument, recipient=organisation
                )
                if content is None:
                    refused.append((organisation, result.problems))
                else:
                    (folder / f"sisa-{year}-{instrument}-{organisation}.{chosen}").write_bytes(
                        content
                    )
                advance(note=organisation)
    typer.echo(
        f"SiSa {year} ({instrument}): {len(organisations) - len(refused)} of {len(organisations)} recipients written to {folder}"
    )
    for organisation, problems in refused:
        typer.echo(
            f"  {organisation}: refused ({len(problems)} problem(s)): {problems[0].message}",
            err=True,
        )
    if refused:
        raise typer.Exit(code=1)
