"""Users of the HTTP API, their bearer tokens and their dashboard sessions.

A token is shown once and stored only as its SHA-256, with the moment it expires; it can be
revoked, and rotating a user's token revokes the old one and issues a new one. A dashboard
session is a random secret in an HttpOnly cookie (stored as its SHA-256 too) that ends when it
expires, when the user signs out, or when the user's tokens are revoked: the cookie never holds
the API token itself. Lookups compare hashes in constant time.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Column,
    Connection,
    DateTime,
    Engine,
    ForeignKey,
    Index,
    String,
    func,
    insert,
    select,
    update,
)
from sqlmodel import Field, SQLModel

from ledger.db.journal import Clock, utc_now
from ledger.db.models import ID, table_of
from ledger.db.rows import aware
from ledger.db.unit_of_work import UnitOfWork
from ledger.errors import LedgerError, raise_if_any
from ledger.regio.db.rows import organisation
from ledger.said import said
from ledger.text import check_identifier


class Role(StrEnum):
    """Who a user is to the ledger: a finance officer writes, an auditor reads, a region reads
    and hands in for its own organisation."""

    FINANCE = "finance"
    REGION = "region"
    AUDITOR = "auditor"


ROLES = tuple(r.value for r in Role)
DEFAULT_TOKEN_LIFETIME = timedelta(days=90)
LONGEST_TOKEN_LIFETIME = timedelta(days=3650)
SESSION_LIFETIME = timedelta(hours=8)


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
    created_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))


class ApiTokenRow(SQLModel, table=True):
    __tablename__ = "api_token"
    __table_args__ = (CheckConstraint("expires_at > issued_at", name="lifetime"),)

    id: int | None = Field(default=None, sa_column=Column(ID, primary_key=True, autoincrement=True))
    user_id: int = Field(
        sa_column=Column(BigInteger, ForeignKey("api_user.id"), nullable=False, index=True)
    )
    token_hash: str = Field(sa_column=Column(String(64), nullable=False, unique=True))
    issued_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    expires_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    revoked_at: datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True)))
    revoked_by: str | None = Field(default=None, sa_column=Column(String(200)))


class WebSessionRow(SQLModel, table=True):
    __tablename__ = "web_session"

    id: int | None = Field(default=None, sa_column=Column(ID, primary_key=True, autoincrement=True))
    user_id: int = Field(
        sa_column=Column(BigInteger, ForeignKey("api_user.id"), nullable=False, index=True)
    )
    secret_hash: str = Field(sa_column=Column(String(64), nullable=False, unique=True))
    started_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    expires_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    ended_at: datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True)))


user_table = table_of(ApiUserRow)
#: A user name is one user whatever its letter case (migration 0017).
Index("uq_api_user_name_folded", func.lower(user_table.c.name), unique=True)
token_table = table_of(ApiTokenRow)
session_table = table_of(WebSessionRow)


@dataclass(frozen=True)
class User:
    name: str
    role: Role
    organisation: str | None
    expires_at: datetime | None = None  # of the token or session it signed in with


@dataclass(frozen=True)
class UserListing:
    name: str
    role: str
    organisation: str | None
    created_at: datetime
    token: str  # "active", "expired", "revoked" or "none"
    expires_at: datetime | None


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _user_row(connection: Connection, name: str):  # noqa: ANN202 - a row
    row = connection.execute(select(user_table).where(user_table.c.name == name)).first()
    if row is None:
        raise LedgerError.single("user_not_found", said("There is no user {name!r}.", name=name))
    return row


def check_lifetime(lifetime: timedelta) -> None:
    if not timedelta(minutes=1) <= lifetime <= LONGEST_TOKEN_LIFETIME:
        raise LedgerError.single(
            "invalid_lifetime",
            said("A token lives from one minute to {days} days.", days=LONGEST_TOKEN_LIFETIME.days),
        )


def _issue(connection: Connection, user_id: int, now: datetime, lifetime: timedelta) -> str:
    token = secrets.token_urlsafe(32)
    connection.execute(
        insert(token_table).values(
            user_id=user_id, token_hash=token_hash(token), issued_at=now, expires_at=now + lifetime
        )
    )
    return token


def add_user(
    engine: Engine,
    name: str,
    role: str,
    organisation_code: str | None = None,
    clock: Clock = utc_now,
    lifetime: timedelta = DEFAULT_TOKEN_LIFETIME,
) -> str:
    """Create a user; returns the token, which is not stored and cannot be shown again."""
    raise_if_any(check_identifier("User name", name))
    check_lifetime(lifetime)
    if role not in ROLES:
        raise LedgerError.single(
            "invalid_role",
            said("Role must be one of {names}.", names=", ".join(ROLES)),
        )
    if role == Role.REGION and not organisation_code:
        raise LedgerError.single(
            "organisation_missing",
            said("A region user needs --organisation."),
        )
    with UnitOfWork(engine, write=True) as uow:
        connection = uow.connection
        if organisation_code and organisation(connection, organisation_code) is None:
            raise LedgerError.single(
                "organisation_not_found",
                said(
                    "Organisation {organisation_code} is not known.",
                    organisation_code=organisation_code,
                ),
            )
        same_name = func.lower(user_table.c.name) == name.lower()  # one user whatever the case
        if connection.execute(select(user_table.c.id).where(same_name)).first() is not None:
            raise LedgerError.single("user_exists", said("User {name} already exists.", name=name))
        now = clock()
        user_id = connection.execute(
            insert(user_table)
            .values(name=name, role=role, organisation=organisation_code, created_at=now)
            .returning(user_table.c.id)
        ).scalar_one()
        token = _issue(connection, user_id, now, lifetime)
        uow.commit()
    return token


def revoke(engine: Engine, name: str, *, actor: str, clock: Clock = utc_now) -> int:
    """Revoke every token of a user and end their dashboard sessions; returns how many tokens."""
    with UnitOfWork(engine, write=True) as uow:
        count = _revoke(uow.connection, _user_row(uow.connection, name).id, actor, clock())
        uow.commit()
    return count


def _revoke(connection: Connection, user_id: int, actor: str, now: datetime) -> int:
    done = connection.execute(
        update(token_table)
        .where(token_table.c.user_id == user_id, token_table.c.revoked_at.is_(None))
        .values(revoked_at=now, revoked_by=actor)
    )
    connection.execute(
        update(session_table)
        .where(session_table.c.user_id == user_id, session_table.c.ended_at.is_(None))
        .values(ended_at=now)
    )
    return done.rowcount


def rotate(
    engine: Engine,
    name: str,
    *,
    actor: str,
    clock: Clock = utc_now,
    lifetime: timedelta = DEFAULT_TOKEN_LIFETIME,
) -> str:
    """A new token for a user; every earlier one is revoked. Returns the new token (shown once)."""
    check_lifetime(lifetime)
    with UnitOfWork(engine, write=True) as uow:
        user_id, now = _user_row(uow.connection, name).id, clock()
        _revoke(uow.connection, user_id, actor, now)
        token = _issue(uow.connection, user_id, now, lifetime)
        uow.commit()
    return token


def list_users(engine: Engine, clock: Clock = utc_now) -> list[UserListing]:
    now = clock()
    with UnitOfWork(engine) as uow:
        users = uow.connection.execute(select(user_table).order_by(user_table.c.name)).all()
        tokens = uow.connection.execute(select(token_table).order_by(token_table.c.id)).all()
    latest = {t.user_id: t for t in tokens}  # each user's newest token tells its state
    listed = []
    for row in users:
        token = latest.get(row.id)
        if token is None:
            state, expires = "none", None
        else:
            expires = aware(token.expires_at)
            state = "revoked" if token.revoked_at else "expired" if expires <= now else "active"
        listed.append(
            UserListing(row.name, row.role, row.organisation, aware(row.created_at), state, expires)
        )
    return listed


def user_for_token(engine: Engine, token: str, clock: Clock = utc_now) -> User | None:
    """The user of an active token (not revoked, not expired), or None."""
    wanted = token_hash(token)
    with UnitOfWork(engine) as uow:
        row = _token_row(uow.connection, wanted)
    if not _active(row, wanted, clock()):
        return None
    return User(row.name, Role(row.role), row.organisation, aware(row.expires_at))


def _token_row(connection: Connection, wanted: str, *, lock: bool = False) -> Any:
    """A token's row with its user's, by the token's hash; locked for the transaction if asked."""
    query = (
        select(
            token_table.c.user_id,
            token_table.c.token_hash,
            token_table.c.expires_at,
            token_table.c.revoked_at,
            user_table.c.name,
            user_table.c.role,
            user_table.c.organisation,
        )
        .join(user_table, user_table.c.id == token_table.c.user_id)
        .where(token_table.c.token_hash == wanted)
    )
    return connection.execute(query.with_for_update(of=token_table) if lock else query).first()


def _active(row: Any, wanted: str, now: datetime) -> bool:
    """The token is there (compared in constant time), not revoked and not expired."""
    return (
        row is not None
        and hmac.compare_digest(row.token_hash, wanted)
        and row.revoked_at is None
        and aware(row.expires_at) > now
    )


def start_session(
    engine: Engine, token: str, clock: Clock = utc_now, lifetime: timedelta = SESSION_LIFETIME
) -> tuple[User, str] | None:
    """Sign in with an API token: a dashboard session for its user and the session's secret
    (the cookie's value), or None when the token is not active.

    The token is read from the database, never from a cache, and under a lock on its row in the
    transaction that starts the session: a revocation or rotation committed before this one is
    seen (the token is refused), and one committed after it ends the new session too (it ends
    every open session of the user), so no session outlives its token's revocation."""
    wanted = token_hash(token)
    with UnitOfWork(engine, write=True) as uow:
        row, now = _token_row(uow.connection, wanted, lock=True), clock()
        if not _active(row, wanted, now):
            return None
        secret = secrets.token_urlsafe(32)
        ends = min(now + lifetime, aware(row.expires_at))
        uow.connection.execute(
            insert(session_table).values(
                user_id=row.user_id, secret_hash=token_hash(secret), started_at=now, expires_at=ends
            )
        )
        uow.commit()
    return User(row.name, Role(row.role), row.organisation, ends), secret


def user_for_session(engine: Engine, secret: str, clock: Clock = utc_now) -> User | None:
    wanted = token_hash(secret)
    with UnitOfWork(engine) as uow:
        row = uow.connection.execute(
            select(
                user_table.c.name,
                user_table.c.role,
                user_table.c.organisation,
                session_table.c.secret_hash,
                session_table.c.expires_at,
                session_table.c.ended_at,
            )
            .join(user_table, user_table.c.id == session_table.c.user_id)
            .where(session_table.c.secret_hash == wanted)
        ).first()
    if row is None or not hmac.compare_digest(row.secret_hash, wanted) or row.ended_at is not None:
        return None
    expires = aware(row.expires_at)
    return User(row.name, Role(row.role), row.organisation, expires) if expires > clock() else None


def end_session(engine: Engine, secret: str, clock: Clock = utc_now) -> None:
    with UnitOfWork(engine, write=True) as uow:
        uow.connection.execute(
            update(session_table)
            .where(
                session_table.c.secret_hash == token_hash(secret),
                session_table.c.ended_at.is_(None),
            )
            .values(ended_at=clock())
        )
        uow.commit()


def issue_demo_token(
    engine: Engine,
    name: str,
    role: str,
    organisation_code: str | None = None,
    clock: Clock = utc_now,
) -> str:
    """For the demo only: create the user, or give an existing one a fresh token."""
    with UnitOfWork(engine) as uow:
        exists = uow.connection.execute(
            select(user_table.c.id).where(user_table.c.name == name)
        ).first()
    if exists is None:
        return add_user(engine, name, role, organisation_code, clock)
    return rotate(engine, name, actor="demo", clock=clock)
