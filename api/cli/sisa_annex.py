"""``regioledger sisa annex show|set``: the annex definition a regeling's year follows, shown
or entered from JSON (every field once) until its first submission."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from api.cli.options import (
    By,
    CommandFailed,
    DatabaseOption,
    InputFile,
    open_ledger,
)
from ledger.errors import LedgerError
from ledger.text import NAME_LENGTH, check_identifier, check_text

if TYPE_CHECKING:
    from sisa.annex import Annex
from api.cli.sisa import Instrument, RegelingNeeded, Year, check_instrument, service

annex_app = typer.Typer(help="The annex definition of a regeling and year.", no_args_is_help=True)


@annex_app.command("show")
def annex_show(
    year: Year,
    regeling: RegelingNeeded,
    instrument: Instrument = "SPUK",
    database: DatabaseOption = None,
) -> None:
    """The annex a year's export of a regeling follows (entered, or the shipped default), as JSON:
    the shape ``annex set`` reads."""
    from ledger.db.unit_of_work import UnitOfWork

    check_instrument(instrument)
    with open_ledger(database) as engine, UnitOfWork(engine) as uow:
        found = service().annex_for(uow.connection, year, regeling, instrument)
    typer.echo(json.dumps(found.as_dict(), indent=2, ensure_ascii=False))


@annex_app.command("set")
def annex_set(
    year: Year,
    regeling: RegelingNeeded,
    definition: InputFile,
    by: By,
    database: DatabaseOption = None,
) -> None:
    """Enter the annex of a regeling and year from a JSON file (code, name, source, instrument,
    indicators: number, text, aard_controle, field), until the first submission that uses it."""
    annex = _read_annex(definition, year, regeling)
    with open_ledger(database) as engine:
        service().set_annex(engine, annex, by)
    typer.echo(
        f"annex {annex.code} for regeling {regeling} {year} ({annex.instrument}) entered by {by}."
    )


def _read_annex(path: Path, year: int, regeling: str) -> Annex:
    from sisa.annex import Annex, Indicator

    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        indicators = tuple(
            Indicator(str(i["number"]), str(i["text"]), str(i["aard_controle"]), str(i["field"]))
            for i in data["indicators"]
        )
        annex = Annex(
            year,
            str(data["code"]),
            str(data["name"]),
            str(data["source"]),
            indicators,
            regeling,
            str(data.get("instrument", "SPUK")),
            entered=True,
        )
    except (ValueError, KeyError, TypeError) as error:
        raise CommandFailed(
            "invalid_annex",
            f"{path} is not an annex definition ({type(error).__name__}: {error}); "
            "start from the output of `regioledger sisa annex show`.",
        ) from None
    check_instrument(annex.instrument)
    problems = check_identifier("code", annex.code) + check_text(
        "name", annex.name, limit=NAME_LENGTH
    )
    for field, text in [
        ("source", annex.source),
        *((f"indicator {i.number}", i.text) for i in annex.indicators),
    ]:
        problems += check_text(field, text)
    if problems:
        raise LedgerError(problems)
    return annex
