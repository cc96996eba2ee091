"""The schema revision this code needs: the newest migration, as Alembic's script directory
names it (``ledger.db.migrate.head_revision``; ``tests/db/test_migrations.py`` holds the two
together, so a new migration moves this line too).

Stated here rather than asked of Alembic on every command: importing Alembic (and with it
SQLAlchemy) costs about 0.23 s, twice what ``regioledger verify`` on a small ledger takes in
all, since verify reads the journal through the plain driver."""

HEAD = "0022"

#: The revision a database is migrated to, as Alembic keeps it (no such table: never migrated).
STORED = "SELECT version_num FROM alembic_version"
