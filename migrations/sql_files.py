"""Run the trigger SQL kept in ``migrations/sql/<dialect>/`` from a migration.

PostgreSQL files go to the driver as one script (plpgsql bodies keep their ``%`` and ``:``);
SQLite files are split into statements with ``sqlite3.complete_statement``.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from alembic import op

SQL_DIR = Path(__file__).resolve().parent / "sql"


def sqlite_statements(script: str) -> list[str]:
    statements, pending = [], ""
    for line in script.splitlines(keepends=True):
        if not pending and (not line.strip() or line.lstrip().startswith("--")):
            continue
        pending += line
        if sqlite3.complete_statement(pending):
            statements.append(pending.strip())
            pending = ""
    if pending.strip():
        raise ValueError(f"incomplete SQL statement at the end of the script: {pending[:80]!r}")
    return statements


def run_sql_file(name: str) -> None:
    bind = op.get_bind()
    dialect = bind.dialect.name
    script = (SQL_DIR / dialect / name).read_text(encoding="utf-8")
    if dialect == "postgresql":
        bind.connection.driver_connection.execute(script)  # type: ignore[union-attr]
        return
    for statement in sqlite_statements(script):
        bind.exec_driver_sql(statement)
