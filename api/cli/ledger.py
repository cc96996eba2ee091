"""Commands on the journal itself: the schema (``db upgrade|downgrade``), backup and restore,
``verify``, ``balance``, ``trial-balance`` and ``journal``. They sit at the top level of
``regioledger``."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer

from api.cli.options import (
    AsOf,
    CommandFailed,
    DatabaseOption,
    FormatOption,
    database_url,
    engine_for,
    open_ledger,
    open_reader,
    recorded_time,
    writable_file,
)
from ledger.db import revision as schema
from ledger.text import forbidden_character

ledger_app = typer.Typer()
db_app = typer.Typer(help="Create or migrate the database schema.", no_args_is_help=True)


@db_app.command("upgrade")
def db_upgrade(
    revision: Annotated[str, typer.Argument(help="Target revision.")] = "head",
    database: DatabaseOption = None,
) -> None:
    """Bring the database schema (tables, constraints, triggers) up to REVISION."""
    url = database_url(database)
    with open_ledger(url, migrated=False), schema_refusals(revision):
        from ledger.db import migrate  # alembic: only for the schema

        migrate.upgrade(url, revision)
    typer.echo(f"Database at {revision}: {url}")


@contextmanager
def schema_refusals(revision: str) -> Iterator[None]:
    """Alembic's refusals, and a migration's own (it names what it will not take over), as the
    one line every refusal is: a revision that does not exist, or a ledger a revision refuses."""
    from alembic.util.exc import CommandError

    try:
        yield
    except CommandError as error:
        raise CommandFailed(
            "unknown_revision",
            f"{revision!r} is not a revision of regioledger's schema ({error}); use head, base or "
            f"a revision number such as {schema.HEAD}.",
        ) from None
    except RuntimeError as error:  # raised by a migration's own check of the ledger
        raise CommandFailed("upgrade_refused", str(error)) from None


@db_app.command("downgrade")
def db_downgrade(
    revision: Annotated[str, typer.Argument(help="Target revision, e.g. base.")],
    database: DatabaseOption = None,
) -> None:
    """Take the schema back to REVISION. `base` removes every table: for development only."""
    with open_ledger(database, migrated=False), schema_refusals(revision):  # any revision
        from ledger.db import migrate

        migrate.downgrade(database_url(database), revision)
    typer.echo(f"Database at {revision}.")


@ledger_app.command()
def backup(
    out: Annotated[
        Path,
        typer.Option(
            "--out", callback=writable_file, help="The backup file to write (must not exist)."
        ),
    ],
    database: DatabaseOption = None,
) -> None:
    """A consistent backup while the ledger keeps working: SQLite's online backup, or pg_dump
    (custom format) for PostgreSQL."""
    from ledger.db.backup import backup as write_backup

    with open_ledger(database):
        write_backup(database_url(database), out)
    typer.echo(f"Backup written to {out} ({out.stat().st_size:,} bytes).")


@ledger_app.command()
def restore(
    file: Annotated[
        Path,
        typer.Argument(
            exists=True,
            dir_okay=False,
            readable=True,
            help="A backup made by `regioledger backup`.",
        ),
    ],
    database: DatabaseOption = None,
) -> None:
    """Restore a backup into an empty database (never over a ledger), then verify it."""
    from ledger.db.backup import restore as restore_backup
    from ledger.db.service import LedgerService

    url = database_url(database)
    engine_for(url).dispose()  # a URL that cannot be opened is said before anything is done
    restore_backup(file, url)
    with open_ledger(url) as engine:
        report = LedgerService(engine).verify()
    typer.echo(f"Restored {report.entries_checked} entries; last hash {report.last_hash}.")
    if not report.ok:
        typer.echo(
            f"BROKEN after restore: [{report.problems[0].code}] {report.problems[0].message}"
        )
        raise typer.Exit(code=1)
    typer.echo("OK: the restored journal is intact.")


@ledger_app.command()
def verify(database: DatabaseOption = None, output_format: FormatOption = "text") -> None:
    """Recheck every invariant of the journal: balance, hash chain, limits, reversal links and
    the stored totals; where the budget view is kept, that it agrees with the journal. Names
    the first broken entry; exits with status 1 if anything is wrong."""
    from dataclasses import replace

    from ledger.db.verify import verify_journal

    with open_reader(database) as reader:
        report = verify_journal(reader)
        budget_kept = bool(reader.rows("SELECT 1 FROM budget_article LIMIT 1"))
    if budget_kept:  # SQLAlchemy only for a ledger that keeps the budget view
        from ledger.db.unit_of_work import UnitOfWork
        from ledger.regio.db.begroting_check import budget_view_problems

        with open_ledger(database) as engine, UnitOfWork(engine) as uow:
            report = replace(
                report, problems=report.problems + budget_view_problems(uow.connection)
            )
    if output_format == "json":
        typer.echo(
            json.dumps(
                {
                    "ok": report.ok,
                    "entries_checked": report.entries_checked,
                    "accounts_checked": report.accounts_checked,
                    "last_hash": report.last_hash,
                    "problems": [p.as_dict() for p in report.problems],
                },
                indent=2,
            )
        )
    else:
        typer.echo(
            f"Checked {report.entries_checked} entries on {report.accounts_checked} accounts; "
            f"last hash {report.last_hash}."
        )
        if report.ok:
            agreed = "; the budget view agrees with it" if budget_kept else ""
            typer.echo(f"OK: the journal is intact{agreed}.")
        else:
            first = report.problems[0]
            typer.echo(f"BROKEN: first problem [{first.code}] {first.message}")
            for problem in report.problems[1:]:
                typer.echo(f"  also [{problem.code}] {problem.message}")
    if not report.ok:
        raise typer.Exit(code=1)


@ledger_app.command()
def balance(
    account: Annotated[str, typer.Argument(help="Account code.")],
    as_of: AsOf = None,
    recorded_as_of: Annotated[
        datetime | None,
        typer.Option(
            parser=recorded_time, help="As the books stood at this time (ISO 8601, with zone)."
        ),
    ] = None,
    database: DatabaseOption = None,
) -> None:
    """Print the balance of one account, now or as of a date or a recorded time."""
    from ledger.db.service import LedgerService

    with open_ledger(database) as engine:
        result = LedgerService(engine).balance(account, as_of=as_of, recorded_as_of=recorded_as_of)
    typer.echo(
        f"{result.account}: balance {result.balance} ({result.normal_side.value}-normal; "
        f"debits {result.debit_total}, credits {result.credit_total})"
    )


@ledger_app.command("export")
def export_command(
    output_format: Annotated[
        str, typer.Option("--format", help="hledger or beancount.", case_sensitive=False)
    ],
    out: Annotated[Path, typer.Option("--out", callback=writable_file, help="The journal file.")],
    as_of: AsOf = None,
    database: DatabaseOption = None,
) -> None:
    """Write the journal for hledger or beancount: every entry with its date, memo, actor,
    reason and source as metadata, postings in cents exact, currencies as commodities. Check
    it with `hledger -f FILE check` or `bean-check FILE`."""
    from ledger.db import queries
    from ledger.db.rows import stream_entries
    from ledger.db.unit_of_work import UnitOfWork
    from reports.journal_export import FORMATS, AccountInfo, export_lines

    chosen = output_format.lower()
    if chosen not in FORMATS:
        raise typer.BadParameter(f"use one of {', '.join(FORMATS)}", param_hint="--format")
    with open_ledger(database) as engine, UnitOfWork(engine) as uow:
        accounts = [AccountInfo(*row) for row in queries.account_kinds(uow.connection)]
        lines = export_lines(chosen, stream_entries(uow.connection), accounts, as_of)
        written = 0
        with out.open("w", encoding="utf-8") as handle:
            for line in lines:
                handle.write(line + "\n")
                written += 1
    typer.echo(f"{out} ({written:,} lines)")


@ledger_app.command("trial-balance")
def trial_balance_command(
    as_of: AsOf = None, database: DatabaseOption = None, output_format: FormatOption = "text"
) -> None:
    """Print every account's debit and credit totals and their sums per currency."""
    from ledger.db.service import LedgerService

    with open_ledger(database) as engine:
        result = LedgerService(engine).trial_balance(as_of=as_of)
    if output_format == "json":
        typer.echo(
            json.dumps(
                {
                    "balanced": result.is_balanced,
                    "accounts": [
                        {
                            "account": b.account,
                            "debit_total": str(b.debit_total.amount),
                            "credit_total": str(b.credit_total.amount),
                            "currency": b.debit_total.currency,
                        }
                        for b in result.balances
                    ],
                    "totals": {
                        c: {
                            "debit": str(result.debit_totals[c].amount),
                            "credit": str(result.credit_totals[c].amount),
                        }
                        for c in result.debit_totals
                    },
                },
                indent=2,
            )
        )
        return
    for b in result.balances:
        typer.echo(
            f"{b.account:<50} {b.debit_total.amount:>18} {b.credit_total.amount:>18} {b.debit_total.currency}"
        )
    for currency in result.debit_totals:
        typer.echo(
            f"{'TOTAL ' + currency:<50} {result.debit_totals[currency].amount:>18} "
            f"{result.credit_totals[currency].amount:>18}"
        )
    typer.echo("balanced" if result.is_balanced else "NOT BALANCED")


@ledger_app.command("journal")
def journal_command(
    account: Annotated[str | None, typer.Option(help="Only entries on this account code.")] = None,
    deal: Annotated[str | None, typer.Option(help="Only entries on this deal's accounts.")] = None,
    beschikking: Annotated[
        str | None, typer.Option(help="Only entries on this beschikking's accounts.")
    ] = None,
    tranche: Annotated[
        str | None, typer.Option(help="Only entries on this tranche's accounts.")
    ] = None,
    limit: Annotated[
        int, typer.Option(min=1, max=1_000_000, help="At most this many entries.")
    ] = 1000,
    database: DatabaseOption = None,
    output_format: FormatOption = "text",
) -> None:
    """List journal entries with who booked them, why and on which source: the bookings
    behind any figure."""
    from ledger.accounts import Dimensions
    from ledger.db import queries
    from ledger.db.rows import load_entries
    from ledger.db.unit_of_work import UnitOfWork
    from ledger.money import Money

    dimensions = Dimensions(deal=deal, beschikking=beschikking, tranche=tranche)
    with open_ledger(database) as engine, UnitOfWork(engine) as uow:
        ids = queries.entry_ids_for(
            uow.connection, code=account, dimensions=dimensions, limit=limit
        )
        entries = load_entries(uow.connection, ids=ids)
    if output_format == "json":
        typer.echo(json.dumps([e.as_document() for e in entries], indent=2, ensure_ascii=False))
        return
    for e in entries:
        typer.echo(
            printable(
                f"#{e.sequence} {e.effective_on} {e.key} by {e.actor}: {e.memo} (reason: {e.reason}; source: {e.source_document or '-'})"
            )
        )
        for p in e.postings:
            amount = Money.from_minor_units(p.minor_units, p.currency)
            typer.echo(f"    {p.side:<6} {p.account:<60} {amount}")


def printable(line: str) -> str:
    """Text for a terminal: any character the text rule refuses is shown as its code point
    (a ledger written before the rule could hold one; a terminal must never act on it)."""
    if forbidden_character(line) is None:
        return line
    return "".join(f"\\u{ord(c):04x}" if forbidden_character(c) else c for c in line)
