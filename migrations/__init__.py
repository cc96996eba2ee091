"""Alembic migrations of the regioledger schema; trigger SQL lives in ``sql/<dialect>/``."""

#: The newest revision: what this code's schema is. Said here, not asked of Alembic, so that a
#: command can check a ledger is migrated without importing Alembic; a test holds it to
#: Alembic's own head (``tests/db/test_migrations.py``).
HEAD_REVISION = "0018"
