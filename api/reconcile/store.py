"""The reconciliations kept: who matched which file (kept whole, with its SHA-256) against the
ledger, when, with which scope and moment, and the answer as it was given. Append-only, like
everything else the ledger keeps (triggers refuse UPDATE and DELETE)."""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from typing import Any

from sqlalchemy import (
    Column,
    Connection,
    DateTime,
    Index,
    LargeBinary,
    String,
    Text,
    insert,
    select,
)
from sqlmodel import Field, SQLModel

from ledger.db.models import ID, table_of
from ledger.db.rows import aware


class ReconciliationRow(SQLModel, table=True):
    __tablename__ = "reconciliation"
    __table_args__ = (Index("uq_reconciliation_public_id", "public_id", unique=True),)

    id: int | None = Field(default=None, sa_column=Column(ID, primary_key=True, autoincrement=True))
    public_id: str = Field(sa_column=Column(String(64), nullable=False))
    made_by: str = Field(sa_column=Column(String(200), nullable=False))
    made_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    filename: str = Field(sa_column=Column(Text, nullable=False))
    sha256: str = Field(sa_column=Column(String(64), nullable=False))
    content: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    answer: str = Field(sa_column=Column(Text, nullable=False))  # JSON: what was answered


reconciliation_table = table_of(ReconciliationRow)


@dataclass(frozen=True)
class Kept:
    number: int
    id: str
    made_by: str
    made_at: datetime
    filename: str
    sha256: str
    text: str  # the answer as it was written: a JSON object

    @cached_property
    def answer(self) -> dict[str, Any]:
        """The answer read back (a file of 200,000 lines makes a large one: where the text will
        do, use ``text``)."""
        found: dict[str, Any] = json.loads(self.text)
        return found


def new_public_id() -> str:
    return f"rec-{secrets.token_hex(10)}"


def keep(
    connection: Connection,
    *,
    public_id: str,
    made_by: str,
    made_at: datetime,
    filename: str,
    sha256: str,
    content: bytes,
    text: str,
) -> Kept:
    """Keep a reconciliation: the file as it came and the answer's JSON text as it was written."""
    number = connection.execute(
        insert(reconciliation_table).values(
            public_id=public_id,
            made_by=made_by,
            made_at=made_at,
            filename=filename,
            sha256=sha256,
            content=content,
            answer=text,
        )
    ).inserted_primary_key[0]
    return Kept(number, public_id, made_by, made_at, filename, sha256, text)


def _kept(row: Any) -> Kept:
    return Kept(
        row.id,
        row.public_id,
        row.made_by,
        aware(row.made_at),
        row.filename,
        row.sha256,
        row.answer,
    )


def kept(connection: Connection, public_id: str) -> Kept | None:
    c = reconciliation_table.c
    row = connection.execute(
        select(c.id, c.public_id, c.made_by, c.made_at, c.filename, c.sha256, c.answer).where(
            c.public_id == public_id
        )
    ).first()
    return None if row is None else _kept(row)


def kept_file(connection: Connection, public_id: str) -> tuple[str, bytes] | None:
    c = reconciliation_table.c
    row = connection.execute(select(c.filename, c.content).where(c.public_id == public_id)).first()
    return None if row is None else (row.filename, row.content)


def kept_list(connection: Connection, after: int, limit: int) -> list[Kept]:
    """Reconciliations in the order they were made, after a number; ``limit + 1`` read so the
    caller knows whether more follow."""
    c = reconciliation_table.c
    rows = connection.execute(
        select(c.id, c.public_id, c.made_by, c.made_at, c.filename, c.sha256, c.answer)
        .where(c.id > after)
        .order_by(c.id)
        .limit(limit + 1)
    )
    return [_kept(r) for r in rows]
