"""Idempotency-Keys of API requests that book nothing in the journal themselves (an
organisation, a tranche, an eindverantwoording, an upload): per user and key, a fingerprint of
the request and the first answer. Bookings need no row here: their key is the journal entry's
key, checked in the same transaction as the booking."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Column, DateTime, Engine, Integer, String, Text, UniqueConstraint, select
from sqlalchemy.exc import IntegrityError
from sqlmodel import Field, SQLModel

from ledger.db.journal import Clock, utc_now
from ledger.db.models import ID
from ledger.db.unit_of_work import UnitOfWork


class ApiRequestRow(SQLModel, table=True):
    __tablename__ = "api_request"
    __table_args__ = (UniqueConstraint("actor", "key"),)

    id: int | None = Field(default=None, sa_column=Column(ID, primary_key=True, autoincrement=True))
    actor: str = Field(sa_column=Column(String(200), nullable=False))
    key: str = Field(sa_column=Column(String(200), nullable=False))
    fingerprint: str = Field(sa_column=Column(String(64), nullable=False))
    status: int = Field(sa_column=Column(Integer, nullable=False))
    body: str = Field(sa_column=Column(Text, nullable=False))
    created_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))


request_table = ApiRequestRow.__table__  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Answered:
    fingerprint: str
    status: int
    body: str


def answered(engine: Engine, actor: str, key: str) -> Answered | None:
    with UnitOfWork(engine) as uow:
        row = uow.connection.execute(
            select(request_table).where(request_table.c.actor == actor, request_table.c.key == key)
        ).first()
    return Answered(row.fingerprint, row.status, row.body) if row else None


def remember(
    engine: Engine, actor: str, key: str, answer: Answered, clock: Clock = utc_now
) -> None:
    """Keep the first answer; a concurrent twin that got there first wins, as it should."""
    try:
        with UnitOfWork(engine, write=True) as uow:
            uow.connection.execute(
                request_table.insert().values(actor=actor, key=key, fingerprint=answer.fingerprint,
                                              status=answer.status, body=answer.body, created_at=clock())
            )  # fmt: skip
            uow.commit()
    except IntegrityError:
        pass
