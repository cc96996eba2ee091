"""Backup and restore of the whole ledger.

SQLite: SQLite's online backup API, a consistent copy taken while the ledger keeps working;
restore copies the backup into a new database file the same way. PostgreSQL: the documented
route, ``pg_dump --format=custom`` and ``pg_restore`` into an empty database (tables and rows
first, then indexes, constraints and triggers, so that the append-only triggers do not stand
in the way of the restore itself). After a restore, ``verify`` must come out clean: the chain
of hashes proves that nothing was lost or changed on the way.
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from contextlib import closing
from pathlib import Path

from sqlalchemy import inspect
from sqlalchemy.engine import make_url

from ledger.db.engine import make_engine, normalise_url
from ledger.errors import LedgerError
from ledger.said import said


def _sqlite_path(url: str) -> Path | None:
    parsed = make_url(normalise_url(url))
    return (
        Path(parsed.database) if parsed.get_backend_name() == "sqlite" and parsed.database else None
    )


def _libpq_url(url: str) -> str:
    return (
        make_url(normalise_url(url))
        .set(drivername="postgresql")
        .render_as_string(hide_password=False)
    )


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise LedgerError.single(
            "tool_missing",
            said("{name} is not installed; it comes with the PostgreSQL client.", name=name),
        )
    return found


def backup(url: str, target: Path) -> None:
    """Write a backup of the ledger at ``url`` to ``target`` (which must not exist yet)."""
    if target.exists():
        raise LedgerError.single(
            "backup_exists",
            said("{target} exists already; choose a new file.", target=target),
        )
    source = _sqlite_path(url)
    if source is not None:
        _sqlite_copy(source, target)
        return
    _run(
        [_tool("pg_dump"), "--format=custom", "--no-owner", f"--file={target}", _libpq_url(url)],
        "pg_dump",
    )


def restore(source: Path, url: str) -> None:
    """Restore ``source`` into the empty database at ``url``; refuses to overwrite a ledger."""
    if not source.is_file():
        raise LedgerError.single("backup_missing", said("No backup file {source}.", source=source))
    target = _sqlite_path(url)
    _refuse_if_not_a_backup(source, "sqlite" if target is not None else "postgresql")
    _refuse_if_not_empty(url)
    if target is not None:
        _sqlite_copy(source, target)
        return
    _run(
        [
            _tool("pg_restore"),
            "--no-owner",
            "--exit-on-error",
            f"--dbname={_libpq_url(url)}",
            str(source),
        ],
        "pg_restore",
    )


#: How each kind of backup begins: an SQLite database file, and pg_dump's custom format.
BACKUP_MAGIC = {"sqlite": b"SQLite format 3\x00", "postgresql": b"PGDMP"}


def _refuse_if_not_a_backup(source: Path, dialect: str) -> None:
    """A backup of the target's kind, by how its file begins: anything else is said as such,
    before the target is touched."""
    with source.open("rb") as file:
        start = file.read(16)
    if start.startswith(BACKUP_MAGIC[dialect]):
        return
    other = next((d for d, magic in BACKUP_MAGIC.items() if start.startswith(magic)), None)
    hint = (
        said("it is a backup of {other}: restore it into a {other} database", other=other)
        if other
        else said("make one with `regioledger backup --out FILE`")
    )
    raise LedgerError.single(
        "not_a_backup",
        said(
            "{source} is not a backup of a {dialect} ledger; {hint}.",
            source=source,
            dialect=dialect,
            hint=hint,
        ),
    )


def _sqlite_copy(source: Path, target: Path) -> None:
    """SQLite's online backup: page by page, consistent even while others write. A damaged
    backup leaves no file where none was."""
    existed = target.exists()
    try:
        with closing(sqlite3.connect(source)) as origin, closing(sqlite3.connect(target)) as copy:
            origin.backup(copy)
    except sqlite3.DatabaseError as error:
        if not existed:
            target.unlink(missing_ok=True)
        raise LedgerError.single(
            "not_a_backup",
            said(
                "{source} cannot be read as an SQLite ledger ({error}); use another backup.",
                source=source,
                error=error,
            ),
        ) from None


def _refuse_if_not_empty(url: str) -> None:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            tables = inspect(connection).get_table_names()
    finally:
        engine.dispose()
    if tables:
        raise LedgerError.single(
            "restore_target_not_empty",
            said("The target database is not empty; restore into a new one."),
        )


def _run(command: list[str], name: str) -> None:
    done = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603 - our own arguments
    if done.returncode != 0:
        raise LedgerError.single(
            "backup_failed",
            said("{name} failed: {strip}", name=name, strip=done.stderr.strip()[:500]),
        )
