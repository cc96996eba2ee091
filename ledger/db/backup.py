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
            f"{name} is not installed; it comes with the PostgreSQL client.",
            f"{name} is niet geïnstalleerd; het hoort bij de PostgreSQL-client.",
        )
    return found


def backup(url: str, target: Path) -> None:
    """Write a backup of the ledger at ``url`` to ``target`` (which must not exist yet)."""
    if target.exists():
        raise LedgerError.single(
            "backup_exists",
            f"{target} exists already; choose a new file.",
            f"{target} bestaat al; kies een nieuw bestand.",
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
        raise LedgerError.single(
            "backup_missing", f"No backup file {source}.", f"Geen back-upbestand {source}."
        )
    _refuse_if_not_empty(url)
    target = _sqlite_path(url)
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


def _sqlite_copy(source: Path, target: Path) -> None:
    """SQLite's online backup: page by page, consistent even while others write."""
    with closing(sqlite3.connect(source)) as origin, closing(sqlite3.connect(target)) as copy:
        origin.backup(copy)


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
            "The target database is not empty; restore into a new one.",
            "De doeldatabase is niet leeg; zet de back-up terug in een nieuwe.",
        )


def _run(command: list[str], name: str) -> None:
    done = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603 - our own arguments
    if done.returncode != 0:
        raise LedgerError.single(
            "backup_failed",
            f"{name} failed: {done.stderr.strip()[:500]}",
            f"{name} mislukte: {done.stderr.strip()[:500]}",
        )
