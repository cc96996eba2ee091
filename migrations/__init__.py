"""Alembic migrations of the regioledger schema; trigger SQL lives in ``sql/<dialect>/``. A new
revision moves ``ledger.db.revision.HEAD`` too (a test says so)."""
