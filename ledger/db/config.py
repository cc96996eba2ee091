"""Configuration from the environment (pydantic-settings); read when asked, never at import."""

from __future__ import annotations

from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """``REGIOLEDGER_DATABASE_URL``: an SQLAlchemy URL. The default is an SQLite file in the
    working directory; for PostgreSQL use ``postgresql://user@host:5432/dbname``."""

    model_config = SettingsConfigDict(env_prefix="REGIOLEDGER_", extra="ignore")

    database_url: str = "sqlite:///regioledger.db"


def get_settings() -> Settings:
    return Settings()
