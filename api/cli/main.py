"""The ``regioledger`` command line: the groups put together, ``serve`` and ``demo``, and the
text rule for what a user types. Each command parses, calls one service, prints."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated

import typer

from api.cli import (
    begroting,
    ledger,
    reconcile,
    regio,
    reports,
    sisa,
    sisa_annex,
    statements,
    users,
)
from api.cli.options import (
    AsOf,
    CommandFailed,
    DatabaseOption,
    FormatOption,
    Lang,
    TellingGroup,
    check_file,
    database_url,
    open_ledger,
    shown,
)
from ledger.clock import today
from ledger.text import describe, forbidden_character

if TYPE_CHECKING:
    from sqlalchemy import Engine

app = typer.Typer(
    help=(
        "regioledger: the double-entry ledger of the Dutch Regio Deals.\n\n"
        "The database is REGIOLEDGER_DATABASE_URL (default: sqlite:///regioledger.db in the "
        "current folder). Start with `regioledger db upgrade`."
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # plain help: rich's import alone would be most of --help's time
    cls=TellingGroup,
)
app.add_typer(ledger.ledger_app)
app.add_typer(ledger.db_app, name="db")
app.add_typer(reports.report_app, name="report")
app.add_typer(regio.deals_app, name="deals")
app.add_typer(regio.beschikkingen_app, name="beschikkingen")
app.add_typer(regio.tranches_app, name="tranches")
app.add_typer(regio.regelingen_app, name="regelingen")
app.add_typer(regio.rules_app, name="rules")
app.add_typer(statements.statement_app, name="statement")
sisa.sisa_app.add_typer(sisa_annex.annex_app, name="annex")
app.add_typer(sisa.sisa_app, name="sisa")
app.add_typer(users.users_app, name="users")
app.add_typer(begroting.begroting_app, name="begroting")
app.command("reconcile")(reconcile.reconcile_command)


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
    create: Annotated[
        bool,
        typer.Option("--create", help="Make the SQLite ledger when its file is not there yet."),
    ] = False,
    database: DatabaseOption = None,
) -> None:
    """Serve the HTTP API on an existing ledger (SQLite or PostgreSQL); docs at /docs. A ledger
    that is not there is refused (a typo in --database would otherwise serve an empty one)."""
    import os

    import uvicorn

    from api.app import create_app
    from api.http.hosts import ALLOWED_HOSTS_VARIABLE, hosts_for
    from ledger.db import migrate

    url = database_url(database)
    if not create:
        check_file(url)
    if not os.environ.get(ALLOWED_HOSTS_VARIABLE):
        if not (hosts := hosts_for(host)):
            raise CommandFailed(
                "allowed_hosts_missing",
                f"Listening on every address ({host}), the service cannot know the names users "
                f"will type: set {ALLOWED_HOSTS_VARIABLE}, e.g. regioledger.example.nl.",
            )
        os.environ[ALLOWED_HOSTS_VARIABLE] = hosts  # the app, made below, reads it
    with open_ledger(url, migrated=False) as engine:
        migrate.upgrade(url)
        refuse_read_only(engine, url)
    if demo_users:
        print_demo_tokens(url)
    typer.echo(
        f"regioledger on http://{host}:{port}: dashboard http://{host}:{port}/dashboard, API docs http://{host}:{port}/docs"
    )
    uvicorn.run(  # logging is the app's own (api.http.operations): JSON on request, ids
        create_app(url),
        host=host,
        port=port,
        workers=1,
        log_level="info",
        log_config=None,
        access_log=False,
        **SERVER_OPTIONS,
    )


def refuse_read_only(engine: Engine, url: str) -> None:
    """A server books: a ledger it cannot write to is said before it starts, not found by the
    first request. Tried, not guessed from file modes (which root ignores)."""
    from sqlalchemy.exc import OperationalError

    with engine.connect() as connection:
        if engine.dialect.name == "sqlite":
            try:  # write the header's user_version as it is, in a transaction rolled back
                transaction = connection.execution_options(write=True).begin()
                version = connection.exec_driver_sql("PRAGMA user_version").scalar()
                connection.exec_driver_sql(f"PRAGMA user_version = {int(version)}")
                transaction.rollback()
                return
            except OperationalError:
                pass
        elif connection.exec_driver_sql("SHOW transaction_read_only").scalar() != "on":
            return
    raise CommandFailed(
        "read_only_database",
        f"The database at {shown(url)} is read-only; `regioledger serve` "
        "books, so it needs a database it can write to.",
    )


#: uvloop and httptools (declared dependencies) instead of asyncio's loop and pure-Python h11.
SERVER_OPTIONS = {"loop": "uvloop", "http": "httptools"}

DEMO_USERS = (
    ("demo-finance", "finance", None),
    ("demo-region", "region", "GM0193"),
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
    lang: Lang = "nl",
    database: DatabaseOption = None,
) -> None:
    """Load the demo ledger (the published Regio Deals figures with their sources, plus labelled
    illustrative payments and spending) into the database, once, and print the reconciliation."""
    reports.demo(database_url(database), as_of or today(), output_format, lang)


def refuse_odd_arguments(arguments: list[str]) -> None:
    """The text rule for what a user types: no control, format or private-use character in any
    argument (exit 2, as for any usage error)."""
    for number, argument in enumerate(arguments, start=1):
        if (found := forbidden_character(argument, free_text=True)) is not None:
            print(
                f"error [invalid_text]: argument {number} contains the character {describe(found)}; remove it.",
                file=sys.stderr,
            )
            sys.exit(2)


def main() -> None:
    """Run a command; a user's mistake is one line on stderr and exit 1 (2 for usage): see
    ``api.cli.options.TellingGroup``."""
    refuse_odd_arguments(sys.argv[1:])
    app()
