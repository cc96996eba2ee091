"""Text that may enter the ledger: no control characters. A NUL byte, an escape sequence or a
bidirectional override in a code, a name or a reason is never meant, breaks PostgreSQL text
columns, terminals or the reader's eye, and is refused at the door (422) on both databases
alike. Tabs and line breaks stay allowed in text."""

from __future__ import annotations

import re
from typing import Any

from fastapi import Request
from pydantic import BaseModel, field_validator

from ledger.errors import LedgerError

#: C0 controls (but tab, line feed, carriage return), DEL, zero-width characters and the
#: bidirectional overrides that make text read differently from what it is ("Trojan Source").
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


def has_control(value: str) -> bool:
    return CONTROL.search(value) is not None


class Body(BaseModel):
    """The base of every request body: its strings (also in lists) carry no control characters."""

    @field_validator("*", mode="after")
    @classmethod
    def _plain_text(cls, value: Any) -> Any:
        texts = value if isinstance(value, list) else [value]
        if any(isinstance(t, str) and has_control(t) for t in texts):
            raise ValueError("contains a control character (such as NUL); remove it")
        return value


async def plain_parameters(request: Request) -> None:
    """App-wide dependency: path and query parameters carry no control characters either."""
    for where, values in (("path", request.path_params), ("query", request.query_params)):
        for name, value in values.items():
            if isinstance(value, str) and has_control(value):
                raise LedgerError.single(
                    "invalid_text",
                    f"The {where} parameter {name!r} contains a control character (such as NUL); remove it.",
                    f"De {where}-parameter {name!r} bevat een stuurteken (zoals NUL); haal het weg.",
                    parameter=name,
                )  # fmt: skip
