"""Whose session a dashboard cookie names: a token's (``api.http.users``) or one an identity
provider's sign-in started (``api.http.oidc_sessions``), whose identity is placed again on every
page, so a mapping revoked since ends the session at once."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from sqlalchemy import Engine

from api.http.oidc import IdentityUnknown, Issuer, user_for_claims
from api.http.oidc_sessions import end_provider_session, provider_session
from api.http.users import User, user_for_session


def issuers_of(request: Request) -> tuple[Issuer, ...]:
    """The identity providers configured (``REGIOLEDGER_OIDC_ISSUERS``); none: tokens only."""
    return getattr(request.app.state, "oidc_issuers", ())


def placed(engine: Engine, issuer: Issuer, claims: dict[str, Any]) -> User:
    """The user an identity's claims place now (a mapping first), or ``IdentityUnknown``."""
    return user_for_claims(engine, issuer, {"exp": 0, **claims})


def session_user(request: Request, secret: str) -> User | None:
    """The user of the session the cookie's secret names, or None (ended, expired, unknown, or
    an identity that no longer places: that session is ended)."""
    engine = request.app.state.engine
    user = user_for_session(engine, secret)
    if user is not None or not issuers_of(request):
        return user
    session = provider_session(engine, secret)
    issuer = next((i for i in issuers_of(request) if session and i.issuer == session.issuer), None)
    if session is None or issuer is None:
        return None
    try:
        found = placed(engine, issuer, session.claims)
    except IdentityUnknown:
        end_provider_session(engine, secret)
        return None
    return User(found.name, found.role, found.organisation, session.expires_at)
