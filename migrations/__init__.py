"""Alembic migrations of the regioledger schema; trigger SQL lives in ``sql/<dialect>/``."""
