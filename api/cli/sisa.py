"""`regioledger sisa export|submit|annex|final|toelichting|movements|explain`: the SiSa
accountability. ``export`` is a preview and records nothing; ``submit`` hands rows in and
freezes them; ``annex set`` enters a regeling's annex of a year until its first submission."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Annotated

import typer

from api.cli.options import (
    AmountOption,
    Beschikking,
    By,
    CommandFailed,
    DatabaseOption,
    ReportingYear,
    RetryKey,
    check_format_of,
    code,
    folder,
    iso_date,
    open_ledger,
    writable_file,
)

if TYPE_CHECKING:
    pass


def service() -> ModuleType:
    """``sisa.service`` (pandas and pandera), imported by the commands that use it only."""
    import sisa.service

    return sisa.service


sisa_app = typer.Typer(
    help="SiSa accountability: export, eindverantwoording, movements, drill-down.",
    no_args_is_help=True,
)

Year = ReportingYear
Nummer = Beschikking
Recipient = Annotated[
    str | None,
    typer.Option("--recipient", parser=code, help="Only this recipient (organisation code)."),
]
Instrument = Annotated[
    str, typer.Option("--instrument", help="SPUK (default) or BU, which has its own export.")
]
Format = Annotated[
    str, typer.Option("--format", help="xlsx, csv or json (default: from --out, else json).")
]


def _known_recipient(engine: object, recipient: str | None) -> None:
    from ledger.db.unit_of_work import UnitOfWork
    from ledger.regio.db import rows as regio_rows

    if recipient is None:
        return
    with UnitOfWork(engine) as uow:  # type: ignore[arg-type]
        known = regio_rows.organisation(uow.connection, recipient)
    if known is None:
        raise CommandFailed("organisation_not_found", f"There is no organisation {recipient!r}.")


def check_instrument(instrument: str) -> None:
    if instrument not in ("SPUK", "BU"):
        raise typer.BadParameter(
            "--instrument must be SPUK or BU (a DU has no SiSa accountability)"
        )


PerRecipient = Annotated[
    bool, typer.Option("--per-recipient", help="One file per recipient, in the folder --out.")
]


Regeling = Annotated[
    str | None,
    typer.Option(
        "--regeling",
        parser=code,
        help=(
            "The regeling (SiSa block): an export of a year holds every block unless this narrows "
            "it to one; a submission is per block."
        ),
    ),
]


def _say_refused(problems: list, heading: str) -> None:
    typer.echo(heading, err=True)
    for problem in problems:
        typer.echo(
            f"  [{problem.code}] {problem.recipient or '-'} {problem.nummer or '-'}: {problem.message}",
            err=True,
        )


@sisa_app.command("export")
def export(
    year: Year,
    out: Annotated[
        Path | None, typer.Option("--out", help="File (or, with --per-recipient, folder) to write.")
    ] = None,
    recipient: Recipient = None,
    instrument: Instrument = "SPUK",
    regeling: Regeling = None,
    output_format: Format = "",
    per_recipient: PerRecipient = False,
    database: DatabaseOption = None,
) -> None:
    """A preview of the SiSa annex of a year (records nothing): one row per beschikking, yearly
    and cumulative figures in whole euros (a BU: whole dollars), validated before writing and on
    the file read back. Recipients whose rows fail are left out and named; exit 1 if any was."""
    check_instrument(instrument)
    if per_recipient:
        export_per_recipient(
            year, folder(out), instrument, output_format or "xlsx", database, regeling
        )
        return
    writable_file(out)
    chosen = _format(output_format, out, "json")
    with open_ledger(database) as engine:
        _known_recipient(engine, recipient)
        content, result = service().export_sisa_year(
            engine, year, chosen, instrument=instrument, recipient=recipient, regeling=regeling
        )
    if content is None:
        _say_refused(
            result.problems,
            f"SiSa {year}: export refused, nothing written ({len(result.problems)} problem(s)):",
        )
        raise typer.Exit(code=1)
    if out is None:
        typer.echo(content.decode("utf-8-sig") if chosen != "xlsx" else "use --out for xlsx")
    else:
        out.write_bytes(content)
        typer.echo(
            f"SiSa {year} ({instrument}): {len(result.rows)} beschikkingen, {len(result.corrections)} correction(s), "
            f"written to {out} (a preview: nothing is submitted)"
        )
    if result.refused:
        _say_refused(
            result.refused,
            f"SiSa {year}: {len(result.refused)} row(s) left out, their recipients not written:",
        )
        raise typer.Exit(code=1)


def _format(output_format: str, out: Path | None, default: str) -> str:
    chosen = output_format or (out.suffix.lstrip(".") if out and out.suffix else default)
    if chosen not in ("xlsx", "csv", "json"):
        raise typer.BadParameter("--format must be xlsx, csv or json")
    check_format_of(chosen, out)
    return chosen


@sisa_app.command("submit")
def submit(
    year: Year,
    by: By,
    recipient: Recipient = None,
    instrument: Instrument = "SPUK",
    regeling: Regeling = None,
    output_format: Format = "xlsx",
    out: Annotated[
        Path | None,
        typer.Option("--out", help="A folder to keep a copy of each submitted file in."),
    ] = None,
    database: DatabaseOption = None,
) -> None:
    """Submit the rows of a year: one submission per recipient, frozen as handed in; the next
    submission of the year carries the correction table (was / wordt / reden) against it.
    Recipients whose rows fail are not submitted and are named; exit 1 if any was."""
    check_instrument(instrument)
    chosen = _format(output_format, None, "xlsx")
    folder(out)
    with open_ledger(database) as engine:
        _known_recipient(engine, recipient)
        result = service().submit_sisa(
            engine,
            year,
            chosen,
            actor=by,
            instrument=instrument,
            recipient=recipient,
            regeling=regeling,
        )
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
    for made in result.submitted:
        where = ""
        if out is not None:
            target = out / f"sisa-{year}-{instrument}-{made.recipient}-{made.public_id}.{chosen}"
            target.write_bytes(result.contents[made.public_id])
            where = f", copy in {target}"
        typer.echo(
            f"{made.public_id}: {made.recipient} {year} ({instrument}), {len(made.figures)} row(s), sha256 {made.sha256}{where}"
        )
    if result.refused:
        _say_refused(result.refused, f"SiSa {year}: {len(result.refused)} row(s) not submitted:")
        raise typer.Exit(code=1)


RegelingNeeded = Annotated[
    str, typer.Option("--regeling", parser=code, help="The regeling's code.")
]


@sisa_app.command("final")
def final(
    year: Year,
    nummer: Nummer,
    organisation: Annotated[
        str | None, typer.Option("--as", help="Mark as this region (organisation code).")
    ] = None,
    toelichting: Annotated[
        str | None, typer.Option("--toelichting", help="Explanation for the final row.")
    ] = None,
    key: RetryKey = None,
    database: DatabaseOption = None,
) -> None:
    """Eindverantwoording: mark YEAR as the beschikking's last SiSa report. Locks its spending.
    Once: a second one is refused (already_final); change a toelichting before it instead."""
    import hashlib
    import uuid

    from ledger.regio.db.service import RegioService
    from ledger.regio.model import Who

    # Without --key every run is a new request; with one, a retry with the same details is
    # done once (the toelichting is part of the details).
    said = hashlib.sha256((toelichting or "").encode()).hexdigest()[:12]
    with open_ledger(database) as engine:
        who = Who(organisation or "finance-officer", f"Eindverantwoording {year}")
        RegioService(engine).mark_final(
            nummer,
            year,
            key=f"final:{nummer}:{year}:{key or uuid.uuid4().hex}:{said}",
            who=who,
            organisation=organisation,
            toelichting=toelichting,
        )
    typer.echo(f"{nummer}: eindverantwoording over {year} recorded.")


@sisa_app.command("deadline")
def deadline(
    year: Year,
    until: Annotated[
        date,
        typer.Option("--until", parser=iso_date, help="The last day a correction is made on YEAR."),
    ],
    source: Annotated[
        str,
        typer.Option(
            "--source",
            help="The year's Procedure aanlevering SiSa-verantwoordingsinformatie (title, "
            "date, Staatscourant), chapter 3.2.",
        ),
    ],
    by: By,
    database: DatabaseOption = None,
) -> None:
    """The deadline for corrections of YEAR after submission: until it a correction is made on
    YEAR (`POST /api/v1/beschikkingen/{nummer}/sisa-corrections`); after it, in a later year's figures. Set once."""
    from ledger.regio.db.service import RegioService
    from ledger.regio.model import Who

    with open_ledger(database) as engine:
        RegioService(engine).set_correction_deadline(year, until, who=Who(by, source, source))
    typer.echo(f"corrections of {year} are made on {year} until {until} ({source}).")


@sisa_app.command("finding")
def finding(
    year: Year,
    nummer: Nummer,
    indicator: Annotated[
        str,
        typer.Option("--indicator", help="The figure it is about: rijk_year, in_kind_year, …"),
    ],
    kind: Annotated[str, typer.Option("--kind", help="fout or onzekerheid.")],
    amount: AmountOption,
    toelichting: Annotated[str, typer.Option("--toelichting", help="What it is.")],
    by: By,
    database: DatabaseOption = None,
) -> None:
    """An accountant's fout or onzekerheid about a beschikking's figure of YEAR; shown in the
    year's SiSa export in its own table. It changes no figure."""
    from ledger.db.journal import serialise_writers, utc_now
    from ledger.db.unit_of_work import UnitOfWork
    from ledger.money import Money
    from ledger.regio.db import rows as regio_rows
    from sisa.findings import Finding, record_finding

    with open_ledger(database) as engine, UnitOfWork(engine, write=True) as uow:
        serialise_writers(uow.connection)
        currency = regio_rows.beschikking_state(uow.connection, nummer).beschikking.amount.currency
        found = Finding(
            year, nummer, indicator, kind, Money.of(amount, currency), toelichting, by, utc_now()
        )
        record_finding(uow.connection, found)
        uow.commit()
    typer.echo(f"{nummer} {year} {indicator}: {kind} of {amount} recorded by {by}.")


@sisa_app.command("toelichting")
def toelichting(
    year: Year,
    nummer: Nummer,
    text: Annotated[str, typer.Option("--text", help="The explanation.")],
    organisation: Annotated[
        str | None, typer.Option("--as", help="Set it as this region (organisation code).")
    ] = None,
    database: DatabaseOption = None,
) -> None:
    """Set (or change) the toelichting of a beschikking's SiSa row for a year, until that row
    is submitted; the latest counts."""
    import hashlib

    from ledger.regio.model import Who

    with open_ledger(database) as engine:
        key = f"toelichting:{nummer}:{year}:{hashlib.sha256(text.encode()).hexdigest()[:16]}"
        service().add_toelichting(
            engine,
            nummer,
            year,
            text,
            key=key,
            who=Who(organisation or "finance-officer", text),
            organisation=organisation,
        )
    typer.echo(f"{nummer} {year}: toelichting recorded.")


@sisa_app.command("movements")
def movements(
    year: Year,
    recipient: Recipient = None,
    instrument: Instrument = "SPUK",
    output_format: Annotated[str, typer.Option("--format", help="text or json.")] = "text",
    database: DatabaseOption = None,
) -> None:
    """Movement schedule (BBV art. 52a) per beschikking: opening balance of received but unspent
    Rijk money, received, spent, repaid, closing."""
    check_instrument(instrument)
    with open_ledger(database) as engine:
        _known_recipient(engine, recipient)
        from sisa.explain import movement_schedule

        schedule = movement_schedule(engine, year, instrument, recipient)
    if output_format == "json":
        typer.echo(json.dumps([m.as_dict() for m in schedule], indent=2))
        return
    for m in schedule:
        typer.echo(
            f"{m.nummer:<34} {m.recipient:<24} begin {m.opening.amount:>16} ontvangen {m.received.amount:>16} "
            f"besteed {m.spent.amount:>16} terugbetaald {m.repaid.amount:>14} eind {m.closing.amount:>16}"
        )


@sisa_app.command("explain")
def explain(
    year: Year,
    nummer: Nummer,
    indicator: Annotated[str, typer.Option("--indicator", help="02, 03, 04, 06 or 07.")],
    database: DatabaseOption = None,
) -> None:
    """The bookings and statement lines behind one figure of the SiSa export."""
    from ledger.db.unit_of_work import UnitOfWork
    from ledger.regio.db import rows as regio_rows

    with open_ledger(database) as engine:
        with UnitOfWork(engine) as uow:
            regio_rows.beschikking_state(uow.connection, nummer)  # an unknown beschikking is said
        from sisa.explain import explain_figure

        found = explain_figure(engine, year, nummer, indicator)
    if found is None:
        raise typer.BadParameter(
            "--indicator must name a figure of the annex (02, 03, 04, 06 or 07 by default)"
        )
    typer.echo(json.dumps(found, indent=2, ensure_ascii=False, default=str))


def export_per_recipient(
    year: int,
    folder: Path | None,
    instrument: str,
    chosen: str,
    database: str | None,
    regeling: str | None = None,
) -> None:
    """Each recipient its own file (``sisa-YEAR-INSTRUMENT-ORG.xlsx``), with a progress bar;
    a refused recipient is reported and the others are still written. Exit 1 if any was refused."""
    from api.progress import progress

    if folder is None or chosen not in ("xlsx", "csv"):
        raise typer.BadParameter(
            "--per-recipient writes xlsx or csv files into the folder given by --out"
        )
    folder.mkdir(parents=True, exist_ok=True)
    refused = []
    with open_ledger(database) as engine:
        organisations = service().recipients(engine, year, instrument, regeling)
        with progress(f"SiSa {year}", len(organisations)) as advance:
            for organisation in organisations:
                content, result = service().export_sisa(
                    engine,
                    year,
                    chosen,
                    instrument=instrument,
                    recipient=organisation,
                    regeling=regeling,
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
