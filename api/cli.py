"""The ``regioledger`` command line. Each command parses, calls one service, prints."""

from __future__ import annotations

import json
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Annotated

import typer
from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError

from api import change_cli, regio_cli, sisa_cli, statement_cli
from api.cli_options import (
    AsOf,
    CommandFailed,
    DatabaseOption,
    TellingGroup,
    database_url,
    engine_for,
    lifetime,
    open_ledger,
    recorded_time,
    shown,
    writable_file,
)
from ledger.accounts import Dimensions
from ledger.db import migrate, queries
from ledger.db.rows import load_entries
from ledger.db.service import LedgerService
from ledger.db.unit_of_work import UnitOfWork
from ledger.errors import LedgerError
from ledger.money import Money
from ledger.posted import PostedEntry
from ledger.text import describe, forbidden_character

app = typer.Typer(
    help=(
        "regioledger: the double-entry ledger of the Dutch Regio Deals.\n\n"
        "The database is REGIOLEDGER_DATABASE_URL (default: sqlite:///regioledger.db in the "
        "current folder). Start with `regioledger db upgrade`."
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    cls=TellingGroup,
)
db_app = typer.Typer(help="Create or migrate the database schema.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(regio_cli.report_app, name="report")
app.add_typer(regio_cli.deals_app, name="deals")
app.add_typer(regio_cli.beschikkingen_app, name="beschikkingen")
app.add_typer(statement_cli.statement_app, name="statement")
app.add_typer(sisa_cli.sisa_app, name="sisa")
app.add_typer(change_cli.tranches_app, name="tranches")
app.add_typer(change_cli.regelingen_app, name="regelingen")
app.add_typer(change_cli.rules_app, name="rules")

FormatOption = Annotated[str, typer.Option("--format", help="text or json.")]


def fail(error: LedgerError) -> None:
    for problem in error.problems:
        typer.echo(f"error [{problem.code}]: {problem.message}", err=True)
    raise typer.Exit(code=1)


@db_app.command("upgrade")
def db_upgrade(
    revision: Annotated[str, typer.Argument(help="Target revision.")] = "head",
    database: DatabaseOption = None,
) -> None:
    """Bring the database schema (tables, constraints, triggers) up to REVISION."""
    url = database_url(database)
    with open_ledger(url, migrated=False):
        migrate.upgrade(url, revision)
    typer.echo(f"Database at {revision}: {url}")


@db_app.command("downgrade")
def db_downgrade(
    revision: Annotated[str, typer.Argument(help="Target revision, e.g. base.")],
    database: DatabaseOption = None,
) -> None:
    """Take the schema back to REVISION. `base` removes every table: for development only."""
    with open_ledger(database, migrated=False):  # any revision may be taken further back
        migrate.downgrade(database_url(database), revision)
    typer.echo(f"Database at {revision}.")


@app.command()
def backup(out: Annotated[Path, typer.Option("--out", callback=writable_file, help="The backup file to write (must not exist).")],
           database: DatabaseOption = None) -> None:  # fmt: skip
    """A consistent backup while the ledger keeps working: SQLite's online backup, or pg_dump
    (custom format) for PostgreSQL."""
    from ledger.db.backup import backup as write_backup

    with open_ledger(database):
        write_backup(database_url(database), out)
    typer.echo(f"Backup written to {out} ({out.stat().st_size:,} bytes).")


@app.command()
def restore(file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True,
                                                 help="A backup made by `regioledger backup`.")],
            database: DatabaseOption = None) -> None:  # fmt: skip
    """Restore a backup into an empty database (never over a ledger), then verify it."""
    from ledger.db.backup import restore as restore_backup

    url = database_url(database)
    engine_for(url).dispose()  # a URL that cannot be opened is said before anything is done
    restore_backup(file, url)
    with open_ledger(url) as engine:
        report = LedgerService(engine).verify()
    typer.echo(f"Restored {report.entries_checked} entries; last hash {report.last_hash}.")
    if not report.ok:
        typer.echo(f"BROKEN after restore: [{report.problems[0].code}] {report.problems[0].message}")
        raise typer.Exit(code=1)
    typer.echo("OK: the restored journal is intact.")


@app.command()
def verify(database: DatabaseOption = None, output_format: FormatOption = "text") -> None:
    """Recheck every invariant of the journal: balance, hash chain, limits, reversal links and
    the stored totals. Names the first broken entry; exits with status 1 if anything is wrong."""
    with open_ledger(database) as engine:
        report = LedgerService(engine).verify()
    if output_format == "json":
        typer.echo(json.dumps({"ok": report.ok, "entries_checked": report.entries_checked,
                               "accounts_checked": report.accounts_checked, "last_hash": report.last_hash,
                               "problems": [p.as_dict() for p in report.problems]}, indent=2))  # fmt: skip
    else:
        typer.echo(
            f"Checked {report.entries_checked} entries on {report.accounts_checked} accounts; "
            f"last hash {report.last_hash}."
        )
        if report.ok:
            typer.echo("OK: the journal is intact.")
        else:
            first = report.problems[0]
            typer.echo(f"BROKEN: first problem [{first.code}] {first.message}")
            for problem in report.problems[1:]:
                typer.echo(f"  also [{problem.code}] {problem.message}")
    if not report.ok:
        raise typer.Exit(code=1)


@app.command()
def balance(
    account: Annotated[str, typer.Argument(help="Account code.")],
    as_of: AsOf = None,
    recorded_as_of: Annotated[
        datetime | None,
        typer.Option(parser=recorded_time, help="As the books stood at this time (ISO 8601, with zone)."),
    ] = None,
    database: DatabaseOption = None,
) -> None:
    """Print the balance of one account, now or as of a date or a recorded time."""
    with open_ledger(database) as engine:
        result = LedgerService(engine).balance(account, as_of=as_of, recorded_as_of=recorded_as_of)
    typer.echo(
        f"{result.account}: balance {result.balance} ({result.normal_side.value}-normal; "
        f"debits {result.debit_total}, credits {result.credit_total})"
    )


@app.command("trial-balance")
def trial_balance_command(
    as_of: AsOf = None, database: DatabaseOption = None, output_format: FormatOption = "text"
) -> None:
    """Print every account's debit and credit totals and their sums per currency."""
    with open_ledger(database) as engine:
        result = LedgerService(engine).trial_balance(as_of=as_of)
    if output_format == "json":
        typer.echo(json.dumps({
            "balanced": result.is_balanced,
            "accounts": [{"account": b.account, "debit_total": str(b.debit_total.amount),
                          "credit_total": str(b.credit_total.amount), "currency": b.debit_total.currency}
                         for b in result.balances],
            "totals": {c: {"debit": str(result.debit_totals[c].amount), "credit": str(result.credit_totals[c].amount)}
                       for c in result.debit_totals},
        }, indent=2))  # fmt: skip
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


@app.command("journal")
def journal_command(
    account: Annotated[str | None, typer.Option(help="Only entries on this account code.")] = None,
    deal: Annotated[str | None, typer.Option(help="Only entries on this deal's accounts.")] = None,
    beschikking: Annotated[
        str | None, typer.Option(help="Only entries on this beschikking's accounts.")
    ] = None,
    tranche: Annotated[
        str | None, typer.Option(help="Only entries on this tranche's accounts.")
    ] = None,
    limit: Annotated[int, typer.Option(min=1, max=1_000_000, help="At most this many entries.")] = 1000,
    database: DatabaseOption = None,
    output_format: FormatOption = "text",
) -> None:
    """List journal entries with who booked them, why and on which source: the bookings
    behind any figure."""
    dimensions = Dimensions(deal=deal, beschikking=beschikking, tranche=tranche)
    with open_ledger(database) as engine, UnitOfWork(engine) as uow:
        ids = queries.entry_ids_for(uow.connection, code=account, dimensions=dimensions, limit=limit)
        entries = load_entries(uow.connection, ids=ids)
    if output_format == "json":
        typer.echo(json.dumps([posted_as_dict(e) for e in entries], indent=2, ensure_ascii=False))
        return
    for e in entries:
        typer.echo(printable(
            f"#{e.sequence} {e.effective_on} {e.key} by {e.actor}: {e.memo} (reason: {e.reason}; source: {e.source_document or '-'})"
        ))  # fmt: skip
        for p in e.postings:
            amount = Money.from_minor_units(p.minor_units, p.currency)
            typer.echo(f"    {p.side:<6} {p.account:<60} {amount}")


def printable(line: str) -> str:
    """Text for a terminal: any character the text rule refuses is shown as its code point
    (a ledger written before the rule could hold one; a terminal must never act on it)."""
    if forbidden_character(line) is None:
        return line
    return "".join(f"\\u{ord(c):04x}" if forbidden_character(c) else c for c in line)


def posted_as_dict(entry: PostedEntry) -> dict[str, object]:
    return {
        "sequence": entry.sequence, "key": entry.key, "effective_on": entry.effective_on.isoformat(),
        "recorded_at": entry.recorded_at.isoformat(), "memo": entry.memo, "actor": entry.actor, "reason": entry.reason,
        "source_document": entry.source_document, "reverses": entry.reverses, "entry_hash": entry.entry_hash,
        "postings": [
            {"account": p.account, "side": p.side, "amount": str(Money.from_minor_units(p.minor_units, p.currency).amount),
             "currency": p.currency}
            for p in entry.postings
        ],
    }  # fmt: skip


users_app = typer.Typer(help="Users of the HTTP API and their tokens.", no_args_is_help=True)
app.add_typer(users_app, name="users")
ExpiresIn = Annotated[
    timedelta, typer.Option("--expires-in", parser=lifetime, help="How long the token works: 90d, 12h, 30m.")
]


@users_app.command("add")
def users_add(
    name: Annotated[str, typer.Argument(help="The user's name.")],
    role: Annotated[str, typer.Option("--role", help="finance, region or auditor.")],
    organisation: Annotated[
        str | None, typer.Option("--organisation", help="For a region: its organisation code.")
    ] = None,
    expires_in: ExpiresIn = "90d",  # type: ignore[assignment] - parsed by lifetime
    database: DatabaseOption = None,
) -> None:
    """Create an API user and print its bearer token once (only its hash is stored)."""
    from api.http.users import add_user

    with open_ledger(database) as engine:
        token = add_user(engine, name, role, organisation, lifetime=expires_in)
    until = datetime.now(UTC) + expires_in
    typer.echo(f"User {name} ({role}{', ' + organisation if organisation else ''}) created; the token works "
               f"until {until:%Y-%m-%d %H:%M} UTC. Token (shown once):")  # fmt: skip
    typer.echo(token)


@users_app.command("list")
def users_list(database: DatabaseOption = None, output_format: FormatOption = "text") -> None:
    """Every user with its role, organisation and the state of its token."""
    from api.http.users import list_users

    with open_ledger(database) as engine:
        users = list_users(engine)
    if output_format == "json":
        typer.echo(json.dumps([{"name": u.name, "role": u.role, "organisation": u.organisation, "token": u.token,
                                "expires_at": u.expires_at.isoformat() if u.expires_at else None} for u in users],
                              indent=2))  # fmt: skip
        return
    for u in users:
        until = f" until {u.expires_at:%Y-%m-%d %H:%M} UTC" if u.token == "active" and u.expires_at else ""
        typer.echo(f"{u.name:<24} {u.role:<8} {u.organisation or '-':<20} token {u.token}{until}")


@users_app.command("revoke")
def users_revoke(name: Annotated[str, typer.Argument(help="The user's name.")], database: DatabaseOption = None) -> None:
    """Revoke a user's tokens and end their dashboard sessions (a running server stops
    accepting the token within 30 seconds, the life of its token cache)."""
    from api.http.users import revoke

    with open_ledger(database) as engine:
        count = revoke(engine, name, actor="regioledger users revoke")
    typer.echo(f"{name}: {count} token(s) revoked.")


@users_app.command("rotate")
def users_rotate(name: Annotated[str, typer.Argument(help="The user's name.")],
                 expires_in: ExpiresIn = "90d",  # type: ignore[assignment] - parsed by lifetime
                 database: DatabaseOption = None) -> None:  # fmt: skip
    """Give a user a new token (printed once); the old one stops working."""
    from api.http.users import rotate

    with open_ledger(database) as engine:
        token = rotate(engine, name, actor="regioledger users rotate", lifetime=expires_in)
    typer.echo(f"{name}: new token (shown once; the old one is revoked):")
    typer.echo(token)


@app.command("serve")
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port.")] = 8000,
    demo_users: Annotated[
        bool,
        typer.Option(
            "--demo-users", help="Create one demo user per role and print their tokens (demo only)."
        ),
    ] = False,
    database: DatabaseOption = None,
) -> None:
    """Serve the HTTP API on an existing ledger (SQLite or PostgreSQL); docs at /docs."""
    import uvicorn

    from api.http.app import create_app

    url = database_url(database)
    with open_ledger(url, migrated=False) as engine:
        migrate.upgrade(url)
        refuse_read_only(engine, url)
    if demo_users:
        print_demo_tokens(url)
    typer.echo(
        f"regioledger on http://{host}:{port}: dashboard http://{host}:{port}/dashboard, API docs http://{host}:{port}/docs"
    )
    uvicorn.run(
        create_app(url), host=host, port=port, workers=1, log_level="info", **SERVER_OPTIONS
    )


def refuse_read_only(engine: Engine, url: str) -> None:
    """A server books: a ledger it cannot write to is said before it starts, not found by the
    first request. Tried, not guessed from file modes (which root ignores)."""
    with engine.connect() as connection:
        if engine.dialect.name == "sqlite":
            try:
                connection.exec_driver_sql("BEGIN IMMEDIATE")
                connection.exec_driver_sql("ROLLBACK")
                return
            except OperationalError:
                pass
        elif connection.exec_driver_sql("SHOW transaction_read_only").scalar() != "on":
            return
    raise CommandFailed("read_only_database", f"The database at {shown(url)} is read-only; `regioledger serve` "
                                              "books, so it needs a database it can write to.")  # fmt: skip


#: uvloop and httptools (declared dependencies) instead of asyncio's loop and pure-Python h11.
SERVER_OPTIONS = {"loop": "uvloop", "http": "httptools"}

DEMO_USERS = (
    ("demo-finance", "finance", None),
    ("demo-region", "region", "RK-T5-ZWOLLE-II"),
    ("demo-auditor", "auditor", None),
)


def print_demo_tokens(url: str) -> None:
    from api.http.users import issue_demo_token

    with open_ledger(url) as engine:
        typer.echo("Demo users (for the demo only; tokens are new at every start):")
        for name, role, organisation in DEMO_USERS:
            token = issue_demo_token(engine, name, role, organisation)
            typer.echo(
                f"  {role:<8} {name:<14} {organisation or '':<18} Authorization: Bearer {token}"
            )


@app.command("demo")
def demo_command(
    as_of: AsOf = None,
    output_format: FormatOption = "text",
    lang: regio_cli.Lang = "nl",
    database: DatabaseOption = None,
) -> None:
    """Load the demo ledger (the published Regio Deals figures with their sources, plus labelled
    illustrative payments and spending) into the database, once, and print the reconciliation."""
    regio_cli.demo(database_url(database), as_of or date.today(), output_format, lang)


def refuse_odd_arguments(arguments: list[str]) -> None:
    """The text rule for what a user types: no control, format or private-use character in any
    argument (exit 2, as for any usage error)."""
    for number, argument in enumerate(arguments, start=1):
        if (found := forbidden_character(argument, free_text=True)) is not None:
            print(f"error [invalid_text]: argument {number} contains the character {describe(found)}; remove it.",
                  file=sys.stderr)  # fmt: skip
            sys.exit(2)


def main() -> None:
    """Run a command; a user's mistake is one line on stderr and exit 1 (2 for usage): see
    ``api.cli_options.TellingGroup``."""
    refuse_odd_arguments(sys.argv[1:])
    app()
