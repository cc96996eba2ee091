"""`regioledger statement template|import`: the region's side of the spending statements."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from api.cli.options import (
    Beschikking,
    DatabaseOption,
    InputFile,
    ReportingYear,
    code,
    open_ledger,
    writable_file,
)
from ledger.errors import LedgerError

if TYPE_CHECKING:
    from api.statements.service import ImportResult

statement_app = typer.Typer(
    help="Regions' Excel spending statements (bestedingsoverzichten).", no_args_is_help=True
)

Nummer = Beschikking
Year = ReportingYear


@statement_app.command("template")
def template(
    nummer: Nummer,
    year: Year,
    out: Annotated[Path, typer.Option("--out", callback=writable_file, help="The .xlsx to write.")],
    database: DatabaseOption = None,
) -> None:
    """Write an empty statement workbook for a beschikking and year: the Bestedingen sheet with
    its headers and the beschikkingsnummer filled in, drop-down lists, formats, instructions."""
    from api.statements.service import template_for

    with open_ledger(database) as engine:
        content = template_for(engine, nummer, year)
    out.write_bytes(content)
    typer.echo(f"Template for {nummer} {year} written to {out}")


@statement_app.command("import")
def import_command(
    file: InputFile,
    nummer: Nummer,
    year: Year,
    organisation: Annotated[
        str | None,
        typer.Option("--as", parser=code, help="Upload as this region (organisation code)."),
    ] = None,
    errors_out: Annotated[
        Path | None,
        typer.Option(
            "--errors-out",
            callback=writable_file,
            help="Write the workbook back with its errors marked.",
        ),
    ] = None,
    output_format: Annotated[str, typer.Option("--format", help="text or json.")] = "text",
    database: DatabaseOption = None,
) -> None:
    """Read, validate and book a statement in one transaction: all lines or nothing. Exit 1 if refused."""
    from api.statements.collector import cycle_collection_paused

    with cycle_collection_paused():  # the imports too: what they make lives as long as the process
        result, content = _import(file, nummer, year, organisation, database)
    if errors_out is not None and result.problems:
        from api.statements.workbooks import errors_workbook  # openpyxl: only for a refusal

        errors_out.write_bytes(errors_workbook(content, result.problems))
    _print(result, output_format, errors_out)
    if not result.is_booked:
        raise typer.Exit(code=1)


def _import(
    file: Path, nummer: str, year: int, organisation: str | None, database: str | None
) -> tuple[ImportResult, bytes]:
    from api.cli.background import imported_meanwhile
    from api.progress import progress
    from api.statements.problems import StatementProblem, StatementRefused  # the workbook readers
    from api.statements.reader import read_ahead

    content = file.read_bytes()
    # The booking machinery (SQLAlchemy, the ledger's tables) loads on a second thread while
    # python-calamine parses the sheet, which it does without holding the GIL.
    read = read_ahead(content, while_parsing=imported_meanwhile("api.statements.service"))
    from api.statements.service import ImportResult, import_statement

    with open_ledger(database) as engine:
        try:
            with progress(f"{file.name}", 3) as advance:
                result = import_statement(
                    engine,
                    nummer,
                    year,
                    content,
                    filename=file.name,
                    uploader=organisation or "finance-officer",
                    organisation=organisation,
                    phase=advance,
                    read=read,
                )
        except StatementRefused as refused:
            result = ImportResult(nummer, year, "", problems=refused.problems)
        except LedgerError as error:
            if error.code.endswith("_not_found"):
                raise
            result = ImportResult(
                nummer,
                year,
                "",
                problems=[
                    StatementProblem("ledger_refused", value=p.message_nl) for p in error.problems
                ],
            )
    return result, content


def _print(result: ImportResult, output_format: str, errors_out: Path | None) -> None:
    if output_format == "json":
        typer.echo(json.dumps(result.as_dict(), indent=2, ensure_ascii=False))
        return
    if result.is_booked:
        booked = result.booked
        assert booked is not None
        what = (
            "was booked before; nothing new booked"
            if booked.reused
            else f"booked as entry {booked.entry}"
        )
        typer.echo(f"Statement {result.nummer} {result.year}: {booked.line_count} lines, {what}.")
        for source, amount in booked.totals.items():
            typer.echo(f"  {source:<24} {amount}")
        if booked.replaced_statement:
            typer.echo(
                f"  replaces statement {booked.replaced_statement} (reversed by entry {booked.reversal_entry})"
            )
    else:
        typer.echo(
            f"Statement {result.nummer} {result.year} refused: {len(result.problems)} problem(s); nothing booked."
        )
        for problem in result.problems:
            typer.echo(
                f"  {problem.cell or '-':>7} [{problem.code}] {problem.message('nl')} / {problem.message('en')}"
            )
        if errors_out is not None:
            typer.echo(f"Your workbook with the errors marked: {errors_out}")
    for warning in result.warnings:
        typer.echo(f"  warning {warning.cell or '-'}: {warning.message('nl')}")
