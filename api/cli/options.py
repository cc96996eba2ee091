"""What every command of the command line shares: the database option and how a ledger is
opened, the parameter types, and how a user's mistake is said.

A mistake gets one line and an exit status, never a traceback: 2 for a usage error (a date that
is no date, a year out of range, a file that is not there), 1 for a refusal (the ledger says no,
the database does not answer or is not migrated).

Start-up is part of the interface: this module and the command modules import nothing heavy at
their top (no SQLAlchemy, pandas, openpyxl or FastAPI); each command imports what it uses when
it runs, so ``regioledger --help`` and ``regioledger verify`` answer at once (make bench).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
import typer.core
from typer._click import (
    exceptions as click,  # Typer carries its own click; these are what it raises
)

from ledger.dates import parse_date
from ledger.db import revision as schema
from ledger.db.config import get_settings
from ledger.errors import LedgerError
from ledger.text import check_identifier, is_plain_integer

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from ledger.db.driver import Reader

FIRST_YEAR, LAST_YEAR = 2000, 2100
AMOUNT = re.compile(r"[0-9]{1,13}(\.[0-9]{1,2})?")


class TellingGroup(typer.core.TyperGroup):
    """The command group that says a user's mistake in one line, whichever command it comes
    from: a usage error is ``error [usage]: ...`` and exit 2; a refusal of the ledger, of the
    command line itself or of the file system is ``error [code]: message`` and exit 1."""

    def main(self, *args: Any, standalone_mode: bool = True, **kwargs: Any) -> Any:
        if not standalone_mode:
            return super().main(*args, standalone_mode=False, **kwargs)
        try:
            code = super().main(*args, standalone_mode=False, **kwargs)
        except click.NoArgsIsHelpError as asked:
            asked.show()
            sys.exit(asked.exit_code)
        except click.UsageError as error:
            command = error.ctx.command_path if error.ctx else "regioledger"
            typer.echo(
                f"error [usage]: {command}: {error.format_message()} (see {command} --help)",
                err=True,
            )
            sys.exit(2)
        except click.ClickException as error:
            error.show()
            sys.exit(error.exit_code)
        except typer.Abort:
            typer.echo("Aborted.", err=True)
            sys.exit(1)
        sys.exit(code if isinstance(code, int) else 0)

    def invoke(self, ctx: typer.Context) -> object:
        try:
            return super().invoke(ctx)
        except LedgerError as error:
            for problem in error.problems:
                typer.echo(f"error [{problem.code}]: {problem.message}", err=True)
        except CommandFailed as failed:
            typer.echo(f"error [{failed.code}]: {failed}", err=True)
        except OSError as error:
            where = f": {error.filename}" if error.filename else ""
            typer.echo(f"error [file]: {error.strerror or error}{where}", err=True)
        ctx.exit(1)


class CommandFailed(Exception):
    """A refusal of the command line itself: its message is the one line the user reads."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


DatabaseOption = Annotated[
    str | None, typer.Option("--database", help="Database URL; overrides REGIOLEDGER_DATABASE_URL.")
]


def database_url(option: str | None) -> str:
    return option or get_settings().database_url


def shown(url: str) -> str:
    """A database URL as it may be printed: without its password."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    from ledger.db.engine import normalise_url

    try:
        return make_url(normalise_url(url)).render_as_string(hide_password=True)
    except ArgumentError:
        return "(not a database URL)"


def invalid_url(url: str) -> CommandFailed:
    return CommandFailed(
        "invalid_database_url",
        f"{url[:80]!r} is not a database URL regioledger can open; use sqlite:///FILE or "
        "postgresql://USER@HOST:PORT/DATABASE.",
    )


#: What regioledger runs on: SQLite, and PostgreSQL through psycopg (``postgresql://`` means it).
DRIVERS = ("sqlite", "sqlite+pysqlite", "postgresql+psycopg")


def engine_for(url: str) -> Engine:
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError, NoSuchModuleError

    from ledger.db.engine import make_engine, normalise_url

    try:
        if make_url(normalise_url(url)).drivername not in DRIVERS:  # mysql://, asyncpg, ...
            raise invalid_url(url)
        return make_engine(url)
    except (ArgumentError, NoSuchModuleError, ImportError, ValueError):
        raise invalid_url(url) from None


def sqlite_file(url: str) -> Path | None:
    """The file of an SQLite ledger (also in the ``file:PATH?mode=ro&uri=true`` form)."""
    from ledger.db.driver import sqlite_path

    if (plain := sqlite_path(url)) is not None:
        return Path(plain)
    from sqlalchemy.engine import make_url

    from ledger.db.engine import normalise_url

    parsed = make_url(normalise_url(url))
    if (
        parsed.get_backend_name() != "sqlite"
        or not parsed.database
        or parsed.database == ":memory:"
    ):
        return None
    name = parsed.database
    if parsed.query.get("uri") == "true" and name.startswith("file:"):
        name = name.removeprefix("file:").split("?", 1)[0]
    return Path(name)


def check_file(url: str) -> None:
    """An SQLite ledger is a file that must be there (opening it would make an empty one)."""
    path = sqlite_file(url)
    if path is not None and not path.is_file():
        raise CommandFailed(
            "no_ledger",
            f"There is no ledger at {path}: run `regioledger db upgrade` first "
            "(or give --database).",
        )


def check_ledger(engine: Engine, url: str) -> None:
    """The database answers and is migrated to the revision this code needs."""
    from sqlalchemy import text
    from sqlalchemy.exc import SQLAlchemyError

    check_file(url)
    try:
        with engine.connect() as connection:
            found = connection.execute(text(schema.STORED)).scalar()
    except SQLAlchemyError as error:
        if "alembic_version" not in str(error):
            raise database_failed(url, error) from None
        found = None
    check_revision(found, url)


def check_revision(found: str | None, url: str) -> None:
    if found != schema.HEAD:
        raise CommandFailed(
            "not_migrated",
            f"The database at {shown(url)} is {'not migrated' if found is None else f'at revision {found}'}; "
            f"this regioledger needs revision {schema.HEAD}: run `regioledger db upgrade`.",
        )


def database_failed(url: str, error: Exception) -> CommandFailed:
    detail = str(getattr(error, "orig", None) or error).strip().splitlines()[0][:200]
    return CommandFailed(
        "database_unavailable", f"The database at {shown(url)} did not answer: {detail}"
    )


@contextmanager
def open_ledger(database: str | None, *, migrated: bool = True) -> Iterator[Engine]:
    """The engine of an existing, migrated ledger for one command; disposed afterwards."""
    from sqlalchemy.exc import SQLAlchemyError

    url = database_url(database)
    engine = engine_for(url)
    try:
        if migrated:
            check_ledger(engine, url)
        yield engine
    except SQLAlchemyError as error:
        raise database_failed(url, error) from None
    finally:
        engine.dispose()


@contextmanager
def open_reader(database: str | None) -> Iterator[Reader]:
    """The plain driver on an existing, migrated ledger, for a command that only reads the
    journal (``ledger.db.driver``): no SQLAlchemy for the URLs regioledger writes."""
    from ledger.db import driver

    url = database_url(database)
    if not driver.opened_directly(url):
        engine_for(url).dispose()  # a URL the engine cannot take is said as such
    check_file(url)
    try:
        with driver.open_reader(url) as reader:
            check_revision(migrated_revision(reader), url)
            yield reader
    except database_errors() as error:
        raise database_failed(url, error) from None


def migrated_revision(reader: Reader) -> str | None:
    """The revision the ledger is at; None when it was never migrated."""
    try:
        rows = reader.rows(schema.STORED)
    except database_errors() as error:
        if "alembic_version" not in str(error):
            raise
        if reader.dialect == "postgresql":
            reader.connection.rollback()
        return None
    return rows[0][0] if rows else None


def database_errors() -> tuple[type[Exception], ...]:
    """The base errors of the database libraries this process has loaded (the drivers'
    PEP 249 ``Error``, SQLAlchemy's): what the database says, never a bug of ours."""
    bases = (("sqlite3", "Error"), ("psycopg", "Error"), ("sqlalchemy.exc", "SQLAlchemyError"))
    return tuple(getattr(sys.modules[m], name) for m, name in bases if m in sys.modules)


# --- parameter types -----------------------------------------------------------------------


def iso_date(value: str) -> date:
    try:
        return parse_date(value, "the date")
    except LedgerError as error:
        raise typer.BadParameter(error.problems[0].message) from None


def reporting_year(value: str) -> int:
    if not is_plain_integer(value) or not FIRST_YEAR <= int(value) <= LAST_YEAR:
        raise typer.BadParameter(
            f"{value!r} is not a reporting year from {FIRST_YEAR} to {LAST_YEAR}."
        )
    return int(value)


def recorded_time(value: str) -> datetime:
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(
            f"{value!r} is not a time; write e.g. 2025-06-30T17:00:00+02:00."
        ) from None
    if moment.tzinfo is None:
        raise typer.BadParameter(f"{value!r} has no time zone; add one, e.g. +02:00.")
    return moment


def code(value: str) -> str:
    if problems := check_identifier("the code", value):
        raise typer.BadParameter(problems[0].message)
    return value


def amount(value: str) -> Decimal:
    """An amount as the API takes it: ASCII digits, a point, at most two decimals, above zero."""
    if not AMOUNT.fullmatch(value) or Decimal(value) <= 0:
        raise typer.BadParameter(
            f"{value!r} is not an amount; write e.g. 1250000.00 (a point, no thousands separator)."
        )
    return Decimal(value)


def lifetime(value: str) -> timedelta:
    """``90d``, ``12h`` or ``30m``."""
    units = {"d": "days", "h": "hours", "m": "minutes"}
    number, unit = value[:-1], value[-1:]
    if unit not in units or not is_plain_integer(number):
        raise typer.BadParameter(f"{value!r} is not a lifetime; write e.g. 90d, 12h or 30m.")
    return timedelta(**{units[unit]: int(number)})


def writable_file(value: Path | None) -> Path | None:
    """A file to write: not a folder, in a folder that exists."""
    if value is None:
        return None
    if value.is_dir():
        raise typer.BadParameter(f"{value} is a folder; give a file name.")
    if not value.parent.is_dir():
        raise typer.BadParameter(f"the folder {value.parent} does not exist.")
    return value


def folder(value: Path | None) -> Path | None:
    if value is not None and value.exists() and not value.is_dir():
        raise typer.BadParameter(f"{value} is a file; give a folder.")
    return value


AsOf = Annotated[
    date | None, typer.Option("--as-of", parser=iso_date, help="Effective date YYYY-MM-DD.")
]
ReportingYear = Annotated[
    int, typer.Option("--year", parser=reporting_year, help="The reporting year.")
]
Beschikking = Annotated[
    str, typer.Option("--beschikking", parser=code, help="The beschikkingsnummer.")
]
InputFile = Annotated[
    Path, typer.Argument(exists=True, dir_okay=False, readable=True, help="The file to read.")
]
FormatOption = Annotated[str, typer.Option("--format", help="text or json.")]
#: File name endings that say a format: a --format that says another one is a usage error.
FORMAT_ENDINGS = {".xlsx": "xlsx", ".csv": "csv", ".json": "json", ".html": "html", ".txt": "text"}


def check_format_of(output_format: str, out: Path | None) -> None:
    """A --format that contradicts the --out file's ending (JSON into ``z.xlsx``) is refused
    before anything is written."""
    said = FORMAT_ENDINGS.get(out.suffix.lower()) if out is not None else None
    if said is not None and said != output_format:
        raise typer.BadParameter(
            f"--format {output_format} contradicts the file name {out.name}; give --format {said} "
            f"or a file name that ends in the format's own ending.",
            param_hint="--format",
        )


def language(value: str) -> str:
    if value not in LANGUAGES:
        raise typer.BadParameter(f"{value!r} is not a language of regioledger: use nl or en.")
    return value


LANGUAGES = ("nl", "en")
Lang = Annotated[str, typer.Option("--lang", parser=language, help="nl (default) or en.")]

# --- who, why and on which source: what every write of the command line records -------------

By = Annotated[
    str, typer.Option("--by", help="Who does this (a name); recorded with what is written.")
]
Reason = Annotated[str, typer.Option("--reason", help="Why; recorded with what is written.")]
SourceDocument = Annotated[
    str | None, typer.Option("--source", help="The document that says so: title, date, kenmerk.")
]
RetryKey = Annotated[
    str | None,
    typer.Option(
        "--key",
        parser=code,
        help=(
            "A retry key: the same key with the same details does it once. Without one, every run is new."
        ),
    ),
]
Effective = Annotated[
    date, typer.Option("--on", parser=iso_date, help="The effective date YYYY-MM-DD.")
]
AmountOption = Annotated[
    Decimal, typer.Option("--amount", parser=amount, help="The amount, e.g. 1250000.00.")
]


def write_key(kind: str, key: str | None) -> str:
    """The key of a command-line write: the user's retry key, or a new one (never made up from
    the content, so two genuine, identical writes stay two)."""
    import uuid

    return f"cli:{kind}:{key or uuid.uuid4().hex}"
