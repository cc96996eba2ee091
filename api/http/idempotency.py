"""The one ``Idempotency-Key`` mechanism of every POST.

A POST runs in a write transaction that first queues behind every other writer (the journal's
lock; on PostgreSQL the POSTs that wait together share one transaction, each in a savepoint of
its own and answered after the one COMMIT: ``ledger.db.group_commit``), then looks up its key:
the same key with the same request answers what the first one answered, without doing it again (header ``Idempotent-Replayed: true``); the same key with
another request is refused (409 ``idempotency_conflict``); a new key does the work and keeps its
answer in the same transaction. Claiming the key and doing the work commit together or not at
all, so two requests racing with one key can never both act: the second waits on the lock and
then finds the first one's answer (UNIQUE (actor, key) is the last line).

Without a key every POST is a new request: nothing is ever merged because it looks alike.
A refusal is not remembered: it changed nothing, so a retry is judged afresh.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from typing import Any

from fastapi.encoders import jsonable_encoder
from fastapi.responses import Response, StreamingResponse
from sqlalchemy import Connection, Engine

from api.http.requests import Answered, answered, answered_in_turn, remember
from api.http.users import User
from ledger.db.group_commit import grouped
from ledger.db.journal import serialise_writers
from ledger.db.unit_of_work import UnitOfWork
from ledger.errors import LedgerError
from ledger.said import said


def fingerprint(*parts: object) -> str:
    """What makes two requests the same request: operation, path, parameters and body."""
    return hashlib.sha256(json.dumps(jsonable_encoder(parts), sort_keys=True).encode()).hexdigest()


def entry_key(user: User, idempotency_key: str | None) -> str:
    """The journal key of what a request books: the client's key, or one of its own."""
    return f"api:{user.name}:{idempotency_key or uuid.uuid4().hex}"


def _replay(first: Answered, key: str, print_: str) -> Response:
    if first.fingerprint != print_:
        raise LedgerError.single(
            "idempotency_conflict",
            said(
                "Idempotency-Key {key!r} was used for another request; use a new key for a new request.",
                key=key,
            ),
        )
    headers = {**first.headers, "Idempotent-Replayed": "true"}
    return Response(
        first.body, status_code=first.status, media_type="application/json", headers=headers
    )


def replayed(engine: Engine, user: User, key: str | None, print_: str) -> Response | None:
    """Before expensive work (reading an upload): the first answer, if this key has one. Only a
    shortcut; ``once`` decides again inside the transaction."""
    if key is None:
        return None
    with UnitOfWork(engine) as uow:
        first = answered(uow.connection, user.name, key)
    return _replay(first, key, print_) if first else None


def as_json(content: Any) -> str:
    """The JSON of an answer: plain data as it is, without the copy ``jsonable_encoder`` makes
    of all of it first (a reconciliation's answer may hold 200,000 pairs); what only it can
    encode (a date, a model, a set) through it, and a mapping with such keys wholly by it."""
    try:
        return json.dumps(content, default=jsonable_encoder)
    except TypeError:  # a key json cannot write (jsonable_encoder turns it into text)
        return json.dumps(jsonable_encoder(content))


@dataclass(frozen=True)
class JsonText:
    """An answer already written as JSON (a JSON object's text, such as a kept reconciliation's,
    which may be 60 MB), with ``extra`` fields put in front of its own: answered in pieces of a
    megabyte, never copied whole."""

    text: str
    extra: dict[str, Any]

    def pieces(self, size: int = 1 << 20) -> Iterator[bytes]:
        head = json.dumps(self.extra)[:-1] if self.extra else "{"
        own = self.text.strip()
        yield (head + ("," if self.extra and own != "{}" else "")).encode()
        start = self.text.index("{") + 1
        for at in range(start, len(self.text), size):
            yield self.text[at : at + size].encode()

    def whole(self) -> str:
        return b"".join(self.pieces()).decode()


def once(
    engine: Engine,
    user: User,
    key: str | None,
    print_: str,
    status: int | Callable[[Any], int],
    run: Callable[[Connection], Any],
    headers: Callable[[Any], dict[str, str]] | None = None,
) -> Response:
    """Run ``run(connection)`` at most once per key, in the transaction that claims the key.
    ``status`` and ``headers`` may depend on what ``run`` answered. On PostgreSQL the
    transaction is shared with the writes waiting beside it (``ledger.db.group_commit``): one
    lock and one COMMIT for all, each answered after it."""
    return grouped(engine, partial(_claimed, user, key, print_, status, run, headers))


def _claimed(
    user: User,
    key: str | None,
    print_: str,
    status: int | Callable[[Any], int],
    run: Callable[[Connection], Any],
    headers: Callable[[Any], dict[str, str]] | None,
    connection: Connection,
) -> Response:
    """The answer kept under the key, or ``run``'s, kept under it now (uncommitted)."""
    if key is None:
        serialise_writers(connection)
    elif (first := answered_in_turn(connection, user.name, key)) is not None:
        return _replay(first, key, print_)
    content = run(connection)
    extra = headers(content) if headers else {}
    status = status(content) if callable(status) else status
    if isinstance(content, JsonText):
        if key is not None:
            remember(connection, user.name, key, Answered(print_, status, content.whole(), extra))
        return StreamingResponse(
            content.pieces(), status_code=status, media_type="application/json", headers=extra
        )
    body = as_json(content)
    if key is not None:
        remember(connection, user.name, key, Answered(print_, status, body, extra))
    return Response(body, status_code=status, media_type="application/json", headers=extra)
