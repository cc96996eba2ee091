"""Limits on uploaded statements, from the environment (``REGIOLEDGER_STATEMENT_*``)."""

from __future__ import annotations

from pydantic_settings import BaseSettings, SettingsConfigDict


class StatementLimits(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="REGIOLEDGER_STATEMENT_", extra="ignore")

    max_file_bytes: int = 25 * 1024 * 1024  # the upload itself
    max_unpacked_bytes: int = 250 * 1024 * 1024  # all parts of the zip, unpacked (zip bombs)
    max_compression_ratio: int = 200  # unpacked / packed size of any part
    max_cells: int = 3_000_000  # rows × columns of the statement sheet, as far as its last cell
    max_columns: int = (
        1000  # a statement has ten; a sheet a thousand wide is a mistake or an attack
    )
    max_text_length: int = 2000
