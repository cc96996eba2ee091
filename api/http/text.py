"""A net under the declared parameter rules: path and query parameters follow the one text rule
(``ledger.text``) even where a route declares no pattern; a refusal names the parameter."""

from __future__ import annotations

from fastapi import Request

from ledger.errors import LedgerError
from ledger.said import said
from ledger.text import describe, forbidden_character


async def plain_parameters(request: Request) -> None:
    """App-wide dependency: no control, format or private-use character in a parameter."""
    for where, values in (("path", request.path_params), ("query", request.query_params)):
        for name, value in values.items():
            if isinstance(value, str) and (found := forbidden_character(value)) is not None:
                raise LedgerError.single(
                    "invalid_text",
                    said(
                        "The {where} parameter {name!r} contains the character {describe}; remove it.",
                        where=where,
                        name=name,
                        describe=describe(found),
                    ),
                    parameter=name,
                )
