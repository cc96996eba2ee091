"""``Idempotency-Key`` for the POSTs that book nothing in the journal themselves.

The same key with the same request answers what the first one answered, without doing it
again (header ``Idempotent-Replayed: true``); the same key with another request is refused
(409 ``idempotency_conflict``). A refusal is not remembered: a retry is judged afresh, and since
the refusal changed nothing, that is safe. Booking POSTs do not come here: their key is the
journal entry's key, so a retry finds the first booking in the same transaction.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any

from fastapi.encoders import jsonable_encoder
from fastapi.responses import Response
from sqlalchemy import Engine

from ledger.db.requests import Answered, answered, remember
from ledger.db.users import User
from ledger.errors import LedgerError


def fingerprint(*parts: object) -> str:
    """What makes two requests the same request: method, path, parameters and body."""
    return hashlib.sha256(json.dumps(jsonable_encoder(parts), sort_keys=True).encode()).hexdigest()


def replayed(engine: Engine, user: User, key: str | None, print_: str) -> Response | None:
    """The first answer to this key, or None if the key is new (or there is no key)."""
    if key is None:
        return None
    first = answered(engine, user.name, key)
    if first is None:
        return None
    if first.fingerprint != print_:
        raise LedgerError.single(
            "idempotency_conflict",
            f"Idempotency-Key {key!r} was used for another request; use a new key for a new request.",
            f"Idempotency-Key {key!r} is al voor een ander verzoek gebruikt; gebruik een nieuwe sleutel.",
        )  # fmt: skip
    return Response(first.body, status_code=first.status, media_type="application/json",
                    headers={"Idempotent-Replayed": "true"})  # fmt: skip


def answer(
    engine: Engine, user: User, key: str | None, print_: str, status: int, content: Any
) -> Response:
    """The JSON answer, kept under the key (if any) for retries."""
    body = json.dumps(jsonable_encoder(content))
    if key is not None:
        remember(engine, user.name, key, Answered(print_, status, body))
    return Response(body, status_code=status, media_type="application/json")


def once(
    engine: Engine, user: User, key: str | None, print_: str, status: int, run: Callable[[], Any]
) -> Response:
    """Run a request at most once per key: replay, refuse, or run and remember."""
    return replayed(engine, user, key, print_) or answer(engine, user, key, print_, status, run())
