"""Limits on uploaded statements, from the environment (``REGIOLEDGER_STATEMENT_*``): each
field's variable is its name in capitals, e.g. ``REGIOLEDGER_STATEMENT_MAX_FILE_BYTES``. A limit
given in code wins over the environment, which wins over the default."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

PREFIX = "REGIOLEDGER_STATEMENT_"


def setting(name: str, default: int) -> int:
    """A whole number from ``REGIOLEDGER_STATEMENT_<NAME>``, or the default; anything else in
    the variable is refused when the limits are read, never guessed."""
    variable = PREFIX + name.upper()
    value = os.environ.get(variable, "").strip()
    if not value:
        return default
    if not (value.isascii() and value.isdigit()):
        raise ValueError(f"{variable}={value!r} is not a whole number.")
    return int(value)


def limit(name: str, default: int) -> int:
    """A field whose default is read from the environment each time limits are made."""
    return field(default_factory=lambda: setting(name, default))


@dataclass(frozen=True)
class StatementLimits:
    #: the upload itself
    max_file_bytes: int = limit("max_file_bytes", 25 * 1024 * 1024)
    #: all parts of the zip, unpacked (zip bombs)
    max_unpacked_bytes: int = limit("max_unpacked_bytes", 250 * 1024 * 1024)
    #: unpacked / packed size of any part
    max_compression_ratio: int = limit("max_compression_ratio", 200)
    #: rows × columns of the statement sheet, as far as its last cell
    max_cells: int = limit("max_cells", 3_000_000)
    #: a statement has ten; a sheet a thousand wide is a mistake or an attack
    max_columns: int = limit("max_columns", 1000)
    max_text_length: int = limit("max_text_length", 2000)
