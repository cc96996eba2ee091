"""The floor of a statement import, as a whole process: the fastest honest reader of the file
(python-calamine, as the import uses) and a plain executemany of its lines into a table of the
same shape as ``statement_line`` (its key, checks and foreign key), in the same SQLite file
with the same settings (WAL, synchronous=FULL, foreign keys), in one transaction.

    python tests/benchmarks/statement_floor.py FILE.xlsx LEDGER.db
"""

import io
import sqlite3
import sys

from python_calamine import CalamineWorkbook

TABLES = (
    "CREATE TABLE floor_statement (id INTEGER PRIMARY KEY)",
    "CREATE TABLE floor_line (statement_id BIGINT NOT NULL REFERENCES floor_statement (id), "
    "row_number INTEGER NOT NULL, spent_on DATE NOT NULL, description TEXT NOT NULL, "
    "source VARCHAR(30) NOT NULL CHECK (source IN ('Rijk', 'Cofinanciering publiek', "
    "'Cofinanciering privaat', 'In natura')), amount BIGINT NOT NULL CHECK (amount <> 0), "
    "partner TEXT, programme_line VARCHAR(200), project TEXT, reference VARCHAR(200), "
    "explanation TEXT, PRIMARY KEY (statement_id, row_number))",
)


def main(path: str, database: str) -> None:
    with open(path, "rb") as handle:
        sheet = CalamineWorkbook.from_filelike(io.BytesIO(handle.read()))
    rows = sheet.get_sheet_by_name("Bestedingen").to_python()[1:]
    lines = [
        (
            1,
            number,
            r[1].isoformat(),
            r[2],
            r[3],
            round(r[4] * 100),
            r[5] or None,
            None,
            None,
            r[6],
            None,
        )
        for number, r in enumerate(rows, start=2)
    ]
    connection = sqlite3.connect(database, isolation_level=None)
    for pragma in ("foreign_keys = ON", "journal_mode = WAL", "synchronous = FULL"):
        connection.execute(f"PRAGMA {pragma}")
    for table in TABLES:
        connection.execute(table)
    connection.execute("BEGIN IMMEDIATE")
    connection.execute("INSERT INTO floor_statement VALUES (1)")
    connection.executemany(f"INSERT INTO floor_line VALUES ({', '.join(['?'] * 11)})", lines)
    connection.execute("COMMIT")
    connection.close()


if __name__ == "__main__":
    main(*sys.argv[1:3])
