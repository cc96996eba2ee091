"""Users of the HTTP API and their bearer tokens. A token is shown once and stored only as its
SHA-256; lookups compare in constant time."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import (
    CheckConstraint,
    Column,
    DateTime,
    Engine,
    ForeignKey,
    String,
    insert,
    select,
    update,
)
from sqlmodel import Field, SQLModel

from ledger.db.journal import Clock, utc_now
from ledger.db.models import ID
from ledger.db.regio_rows import organisation
from ledger.db.unit_of_work import UnitOfWork
from ledger.errors import LedgerError

ROLES = ("finance", "region", "auditor")


class ApiUserRow(SQLModel, table=True):
    __tablename__ = "api_user"
    __table_args__ = (
        CheckConstraint("role IN ('finance', 'region', 'auditor')", name="role"),
        CheckConstraint("role <> 'region' OR organisation IS NOT NULL", name="region_organisation"),
    )

    id: int | None = Field(default=None, sa_column=Column(ID, primary_key=True, autoincrement=True))
    name: str = Field(sa_column=Column(String(200), nullable=False, unique=True))
    role: str = Field(sa_column=Column(String(10), nullable=False))
    organisation: str | None = Field(
        default=None, sa_column=Column(String(100), ForeignKey("organisation.code"))
    )
    token_hash: str = Field(sa_column=Column(String(64), nullable=False, unique=True))
    created_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))


user_table = ApiUserRow.__table__  # type: ignore[attr-defined]


@dataclass(frozen=True)
class User:
    name: str
    role: str
    organisation: str | None


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def add_user(
    engine: Engine,
    name: str,
    role: str,
    organisation_code: str | None = None,
    clock: Clock = utc_now,
) -> str:
    """Create a user; returns the token, which is not stored and cannot be shown again."""
    if role not in ROLES:
        raise LedgerError.single(
            "invalid_role",
            f"Role must be one of {', '.join(ROLES)}.",
            f"Rol moet {', '.join(ROLES)} zijn.",
        )
    if role == "region" and not organisation_code:
        raise LedgerError.single("organisation_missing", "A region user needs --organisation.",
                                 "Een regiogebruiker heeft --organisation nodig.")  # fmt: skip
    token = secrets.token_urlsafe(32)
    with UnitOfWork(engine, write=True) as uow:
        if organisation_code and organisation(uow.connection, organisation_code) is None:
            raise LedgerError.single("unknown_organisation", f"Organisation {organisation_code} is not known.",
                                     f"Organisatie {organisation_code} is niet bekend.")  # fmt: skip
        if (
            uow.connection.execute(select(user_table.c.id).where(user_table.c.name == name)).first()
            is not None
        ):
            raise LedgerError.single(
                "user_exists", f"User {name} already exists.", f"Gebruiker {name} bestaat al."
            )
        uow.connection.execute(insert(user_table).values(name=name, role=role, organisation=organisation_code,
                                                         token_hash=token_hash(token), created_at=clock()))  # fmt: skip
        uow.commit()
    return token


def user_for_token(engine: Engine, token: str) -> User | None:
    wanted = token_hash(token)
    with UnitOfWork(engine) as uow:
        row = uow.connection.execute(
            select(user_table).where(user_table.c.token_hash == wanted)
        ).first()
    if row is None or not hmac.compare_digest(row.token_hash, wanted):
        return None
    return User(row.name, row.role, row.organisation)


def issue_demo_token(
    engine: Engine,
    name: str,
    role: str,
    organisation_code: str | None = None,
    clock: Clock = utc_now,
) -> str:
    """For the demo only: create the user, or give an existing one a fresh token."""
    with UnitOfWork(engine) as uow:
        exists = (
            uow.connection.execute(select(user_table.c.id).where(user_table.c.name == name)).first()
            is not None
        )
    if not exists:
        return add_user(engine, name, role, organisation_code, clock)
    token = secrets.token_urlsafe(32)
    with UnitOfWork(engine, write=True) as uow:
        uow.connection.execute(
            update(user_table).where(user_table.c.name == name).values(token_hash=token_hash(token))
        )
        uow.commit()
    return token
