"""How a write over HTTP is made: who, why and on which source (``Written``, ``who``), what a
booking answers (``Booked``, ``booked``), the service on the request's connection, and the
bodies and path parts several routers share. Every POST goes through the one idempotency
mechanism, ``api.http.idempotency.once``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import Path, Response
from pydantic import Field
from sqlalchemy import Connection

from api.http.deps import Anyone
from api.http.fields import (
    POSITIVE_AMOUNT,
    Amount,
    Body,
    IsoDate,
    Text,
)
from api.http.idempotency import entry_key, once
from api.http.problems import Refusal
from api.http.public import Public
from api.http.users import Role, User
from ledger.posted import PostedEntry
from ledger.regio.db.service import RegioService
from ledger.regio.model import (
    Who,
)
from ledger.text import IDENTIFIER_PATTERN


class Written(Body):
    reason: Text
    source_document: Text | None = None


class Booked(Public):
    """What a booking POST answers: the journal entry it booked."""

    entry: int
    key: str
    entry_hash: str


class DealBooked(Booked):
    """A deal signed: its entry and its code."""

    code: str


class GrantBooked(Booked):
    """A beschikking granted (or made by conversion): its entry and its nummer."""

    nummer: str


class Recorded(Public):
    code: str


def who(user: User, body: Written) -> Who:
    return Who(user.name, body.reason, body.source_document)


def booked(posted: PostedEntry) -> dict[str, Any]:
    return {"entry": posted.sequence, "key": posted.key, "entry_hash": posted.entry_hash}


def service(engine: Any, connection: Connection) -> RegioService:
    return RegioService(engine, connection=connection)


def book_once(
    engine: Any,
    user: User,
    idempotency_key: str | None,
    print_: str,
    body: Written,
    operation: Callable[[RegioService, str, Who], PostedEntry],
) -> Response:
    """The whole answer of a route that books one entry: ``operation`` runs once per
    Idempotency-Key (``print_`` tells a retry from another request), on the request's
    connection, with the entry's key and who, why and on which source from ``body``; 201 with
    the entry it booked."""
    key = entry_key(user, idempotency_key)
    return once(
        engine,
        user,
        idempotency_key,
        print_,
        201,
        lambda c: booked(operation(service(engine, c), key, who(user, body))),
    )


#: A change, above or below zero: ASCII digits, at most 2 decimals.
SignedAmount = Annotated[
    str,
    Field(
        pattern="^-?" + POSITIVE_AMOUNT.removeprefix("^"),
        description="A change above or below zero: -1234.50 or 1234.50",
    ),
]


class Dated(Written):
    effective_on: IsoDate


class Reason(Body):
    reason: Text


class ExtensionCreate(Written):
    new_end: IsoDate
    effective_on: IsoDate


StatementId = Annotated[
    str, Path(pattern=IDENTIFIER_PATTERN, description="The statement's public id")
]


class Movement(Written):
    amount: Amount
    effective_on: IsoDate


def refuse_auditors(user: Anyone) -> None:
    if user.role == Role.AUDITOR:
        raise Refusal(403, "forbidden", "Auditors read; they do not write.")
