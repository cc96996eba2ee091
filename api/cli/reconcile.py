"""`regioledger reconcile FILE`: the ministry's own record matched against the ledger, kept,
its outcome printed (and written as a workbook with ``--out``). Nothing is booked."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

import typer

from api.cli.options import (
    AsOf,
    By,
    DatabaseOption,
    FormatOption,
    InputFile,
    Lang,
    code,
    open_ledger,
    recorded_time,
    writable_file,
)


def reconcile_command(
    file: InputFile,
    by: By,
    tranche: Annotated[
        str | None,
        typer.Option(
            "--tranche", parser=code, help="Also match every beschikking of this tranche."
        ),
    ] = None,
    everything: Annotated[
        bool, typer.Option("--all", help="Match every beschikking of the ledger.")
    ] = False,
    as_of: AsOf = None,
    recorded_as_of: Annotated[
        datetime | None,
        typer.Option(
            "--recorded-as-of",
            parser=recorded_time,
            help="As the books stood at this time (ISO 8601, with zone).",
        ),
    ] = None,
    window: Annotated[
        int, typer.Option("--window", min=0, max=366, help="Days a date may differ and match.")
    ] = 7,
    out: Annotated[
        Path | None,
        typer.Option("--out", callback=writable_file, help="Write the answer as a workbook."),
    ] = None,
    lang: Lang = "nl",
    output_format: FormatOption = "text",
    database: DatabaseOption = None,
) -> None:
    """Match the ministry's list of commitments, payments and repayments (CSV or .xlsx, see the
    reconciliation contract) against the ledger: per beschikking what matches, what is only in
    the file or only in the ledger, what differs in amount or date. The answer is kept (the
    API's GET /api/v1/reconciliations lists it); nothing is booked. Exit 0 when everything
    matches, 1 when anything does not."""
    from api.reconcile.service import Scope, reconcile_file  # pandas: only when reconciling
    from api.reconcile.workbook import WORDS, reconciliation_answer_workbook
    from ledger.db.unit_of_work import UnitOfWork
    from reports.matching import MATCHED

    scope = Scope(tranche, everything, as_of, recorded_as_of, window)
    content = file.read_bytes()
    with open_ledger(database) as engine, UnitOfWork(engine, write=True) as uow:
        kept = reconcile_file(uow.connection, content, file.name, by, scope)
        uow.commit()
    answer = {**kept.answer}
    if out is not None:
        out.write_bytes(reconciliation_answer_workbook(answer, "en" if lang == "en" else "nl"))
    if output_format == "json":
        typer.echo(json.dumps(answer, indent=2, ensure_ascii=False))
    else:
        _print(answer, WORDS["en" if lang == "en" else "nl"], out)
    disagreements = sum(n for o, n in answer["counts"].items() if o != MATCHED)
    if disagreements or answer["problems"]:
        raise typer.Exit(1)


def _print(answer: dict[str, Any], words: dict[str, str], out: Path | None) -> None:
    from reports.matching import MATCHED, OUTCOMES

    typer.echo(
        f"{answer['id']}: {answer['filename']} ({answer['lines_in_file']} lines in the file, "
        f"{answer['lines_read']} read, {answer['problem_count']} problems)"
    )
    typer.echo("  " + ", ".join(f"{words[o]} {answer['counts'][o]}" for o in OUTCOMES))
    for b in answer["beschikkingen"]:
        for pair in b["pairs"]:
            if pair["outcome"] == MATCHED:
                continue
            line, item = pair["file"], pair["ledger"]
            left = f"line {line['line']} {line['date']} {line['amount']}" if line else "-"
            right = f"{item['ref']} {item['date']} {item['amount']}" if item else "-"
            typer.echo(
                f"  {b['nummer']} {pair['kind']}: {words[pair['outcome']]}: {left} | {right}"
            )
    for problem in answer["problems"]:
        typer.echo(f"  line {problem['line']}: {problem['message']}")
    if (unlisted := answer["problem_count"] - len(answer["problems"])) > 0:
        typer.echo(
            f"  … and {unlisted:,} more problems (the first {len(answer['problems']):,} listed)"
        )
    if out is not None:
        typer.echo(f"  workbook written to {out}")
