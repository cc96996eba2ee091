"""The dashboard's sign-ins through an identity provider, as the database keeps them
(migration 0022).

A sign-in that has begun (``oidc_login``) holds what the provider's answer must match: the
``state`` it was sent with, the ``nonce`` its ID token must carry, the PKCE verifier, and the
hash of a secret in the browser's sign-in cookie, so an answer brought by another browser (login
CSRF) or a second time is refused. It is taken once, within ``LOGIN_LIFETIME``; older ones are
removed whenever a new one begins, and no more than ``MOST_PENDING`` are kept at once.

A session that a sign-in started (``oidc_session``) is the dashboard's server-side session as
for a token's: a random secret in the same cookie, stored as its hash, ending when it expires or
the user signs out. It keeps the claims that place its user, so every page places the user again
(a mapping revoked since refuses them at once), and the ID token, for signing out at the
provider too.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Column, DateTime, Engine, String, Text, delete, func, insert, select, update
from sqlmodel import Field, SQLModel

from api.http.users import SESSION_LIFETIME, token_hash
from ledger.db.journal import Clock, utc_now
from ledger.db.models import ID, table_of
from ledger.db.rows import aware
from ledger.db.unit_of_work import UnitOfWork

LOGIN_LIFETIME = timedelta(minutes=10)
MOST_PENDING = 10_000


class TooManySignIns(Exception):
    """More sign-ins have begun in the last minutes than the service keeps at once."""


class OidcLoginRow(SQLModel, table=True):
    __tablename__ = "oidc_login"

    id: int | None = Field(default=None, sa_column=Column(ID, primary_key=True, autoincrement=True))
    binding_hash: str = Field(sa_column=Column(String(64), nullable=False, unique=True))
    state: str = Field(sa_column=Column(String(100), nullable=False, unique=True))
    nonce: str = Field(sa_column=Column(String(100), nullable=False))
    code_verifier: str = Field(sa_column=Column(String(128), nullable=False))
    issuer: str = Field(sa_column=Column(String(500), nullable=False))
    lang: str = Field(sa_column=Column(String(5), nullable=False))
    started_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    used_at: datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True)))


class OidcSessionRow(SQLModel, table=True):
    __tablename__ = "oidc_session"

    id: int | None = Field(default=None, sa_column=Column(ID, primary_key=True, autoincrement=True))
    secret_hash: str = Field(sa_column=Column(String(64), nullable=False, unique=True))
    issuer: str = Field(sa_column=Column(String(500), nullable=False))
    name: str = Field(sa_column=Column(String(200), nullable=False))
    claims: str = Field(sa_column=Column(Text, nullable=False))
    id_token: str = Field(sa_column=Column(Text, nullable=False))
    started_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    expires_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    ended_at: datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True)))


login_table = table_of(OidcLoginRow)
oidc_session_table = table_of(OidcSessionRow)


@dataclass(frozen=True)
class PendingLogin:
    issuer: str
    state: str
    nonce: str
    code_verifier: str
    lang: str


@dataclass(frozen=True)
class ProviderSession:
    issuer: str
    claims: dict[str, Any]
    id_token: str
    expires_at: datetime


def begin_login(engine: Engine, pending: PendingLogin, clock: Clock = utc_now) -> str:
    """Keep a sign-in that begins; returns the secret for the browser's sign-in cookie."""
    binding = secrets.token_urlsafe(32)
    now = clock()
    with UnitOfWork(engine, write=True) as uow:
        uow.connection.execute(
            delete(login_table).where(login_table.c.started_at < now - LOGIN_LIFETIME)
        )
        kept = uow.connection.execute(select(func.count()).select_from(login_table)).scalar_one()
        if kept >= MOST_PENDING:
            raise TooManySignIns
        uow.connection.execute(
            insert(login_table).values(
                binding_hash=token_hash(binding),
                state=pending.state,
                nonce=pending.nonce,
                code_verifier=pending.code_verifier,
                issuer=pending.issuer,
                lang=pending.lang,
                started_at=now,
            )
        )
        uow.commit()
    return binding


def take_login(
    engine: Engine, state: str, binding: str, clock: Clock = utc_now
) -> PendingLogin | None:
    """The sign-in this browser began with this ``state``, taken once, while it is fresh; None
    when there is none (another browser's, used, expired or made up)."""
    now = clock()
    matches = (
        login_table.c.state == state,
        login_table.c.binding_hash == token_hash(binding),
        login_table.c.used_at.is_(None),
        login_table.c.started_at >= now - LOGIN_LIFETIME,
    )
    with UnitOfWork(engine, write=True) as uow:
        row = uow.connection.execute(select(login_table).where(*matches)).first()
        taken = uow.connection.execute(update(login_table).where(*matches).values(used_at=now))
        if row is None or taken.rowcount != 1:
            return None
        uow.commit()
    return PendingLogin(row.issuer, row.state, row.nonce, row.code_verifier, row.lang)


def start_provider_session(
    engine: Engine,
    issuer: str,
    name: str,
    claims: dict[str, Any],
    id_token: str,
    clock: Clock = utc_now,
) -> str:
    """A dashboard session for an identity the provider vouched for; returns its secret."""
    secret, now = secrets.token_urlsafe(32), clock()
    with UnitOfWork(engine, write=True) as uow:
        uow.connection.execute(
            insert(oidc_session_table).values(
                secret_hash=token_hash(secret),
                issuer=issuer,
                name=name[:200],
                claims=json.dumps(claims, sort_keys=True),
                id_token=id_token,
                started_at=now,
                expires_at=now + SESSION_LIFETIME,
            )
        )
        uow.commit()
    return secret


def provider_session(engine: Engine, secret: str, clock: Clock = utc_now) -> ProviderSession | None:
    """The open session the cookie's secret names, or None (ended, expired or unknown)."""
    with UnitOfWork(engine) as uow:
        row = uow.connection.execute(
            select(oidc_session_table).where(oidc_session_table.c.secret_hash == token_hash(secret))
        ).first()
    if row is None or row.ended_at is not None or aware(row.expires_at) <= clock():
        return None
    return ProviderSession(row.issuer, json.loads(row.claims), row.id_token, aware(row.expires_at))


def end_provider_session(
    engine: Engine, secret: str, clock: Clock = utc_now
) -> ProviderSession | None:
    """End the session the secret names; returns it (for signing out at its provider too)."""
    with UnitOfWork(engine, write=True) as uow:
        row = uow.connection.execute(
            select(oidc_session_table).where(
                oidc_session_table.c.secret_hash == token_hash(secret),
                oidc_session_table.c.ended_at.is_(None),
            )
        ).first()
        if row is None:
            return None
        uow.connection.execute(
            update(oidc_session_table)
            .where(oidc_session_table.c.id == row.id)
            .values(ended_at=clock())
        )
        uow.commit()
    return ProviderSession(row.issuer, json.loads(row.claims), row.id_token, aware(row.expires_at))
