"""Configuration from the environment; read when asked, never at import.

Plain ``os.environ``, no settings library: every command of the command line reads it before
anything else is imported, and one variable needs no framework.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

DEFAULT_DATABASE_URL = "sqlite:///regioledger.db"


@dataclass(frozen=True)
class Settings:
    """``REGIOLEDGER_DATABASE_URL``: an SQLAlchemy URL. The default is an SQLite file in the
    working directory; for PostgreSQL use ``postgresql://user@host:5432/dbname``."""

    database_url: str = DEFAULT_DATABASE_URL


def get_settings() -> Settings:
    return Settings(os.environ.get("REGIOLEDGER_DATABASE_URL") or DEFAULT_DATABASE_URL)
