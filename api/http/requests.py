"""Idempotency-Keys of API requests: per user and key, a fingerprint of the request and the first
answer (status, body, headers). Read and written inside the request's own write transaction
(``api.http.idempotency.once``), so claiming a key and doing the work commit together."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import (
    Column,
    Connection,
    DateTime,
    Integer,
    String,
    Text,
    UniqueConstraint,
    select,
    text,
)
from sqlmodel import Field, SQLModel

from ledger.db.errors import translate_database_error
from ledger.db.journal import (
    JOURNAL_LOCK_KEY,
    Clock,
    holds_journal_lock,
    note_journal_locked,
    utc_now,
)
from ledger.db.models import ID, table_of


class ApiRequestRow(SQLModel, table=True):
    __tablename__ = "api_request"
    __table_args__ = (UniqueConstraint("actor", "key"),)

    id: int | None = Field(default=None, sa_column=Column(ID, primary_key=True, autoincrement=True))
    actor: str = Field(sa_column=Column(String(200), nullable=False))
    key: str = Field(sa_column=Column(String(200), nullable=False))
    fingerprint: str = Field(sa_column=Column(String(64), nullable=False))
    status: int = Field(sa_column=Column(Integer, nullable=False))
    body: str = Field(sa_column=Column(Text, nullable=False))
    headers: str = Field(default="{}", sa_column=Column(Text, nullable=False, server_default="{}"))
    created_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))


request_table = table_of(ApiRequestRow)


@dataclass(frozen=True)
class Answered:
    fingerprint: str
    status: int
    body: str
    headers: dict[str, str] = field(default_factory=dict)


def answered(connection: Connection, actor: str, key: str) -> Answered | None:
    row = connection.execute(
        select(request_table).where(request_table.c.actor == actor, request_table.c.key == key)
    ).first()
    return _answer(row)


def answered_in_turn(connection: Connection, actor: str, key: str) -> Answered | None:
    """Queue behind every other writer (the journal lock), then look the key up: what a request
    with the same key that went first answered is seen. On PostgreSQL both in one round trip
    (``regioledger_request_in_turn``, whose read takes its snapshot after the lock)."""
    if connection.dialect.name != "postgresql" or holds_journal_lock(connection):
        return answered(connection, actor, key)  # SQLite's write transaction, or queued already
    row = connection.execute(
        text("SELECT * FROM regioledger_request_in_turn(:lock_key, :actor, :key)"),
        {"lock_key": JOURNAL_LOCK_KEY, "actor": actor, "key": key},
    ).first()
    note_journal_locked(connection)
    return _answer(row)


def _answer(row: Any) -> Answered | None:
    if row is None:
        return None
    return Answered(row.fingerprint, row.status, row.body, json.loads(row.headers or "{}"))


def remember(
    connection: Connection, actor: str, key: str, answer: Answered, clock: Clock = utc_now
) -> None:
    """Keep the first answer under the key, in the caller's transaction."""
    with translate_database_error():
        connection.execute(
            request_table.insert().values(
                actor=actor,
                key=key,
                fingerprint=answer.fingerprint,
                status=answer.status,
                body=answer.body,
                headers=json.dumps(answer.headers),
                created_at=clock(),
            )
        )
