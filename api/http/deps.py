"""Dependencies of the routers: the engine of the running app, the signed-in user, roles.

They are ``async`` on purpose: FastAPI runs a plain ``def`` dependency in its thread pool, and
that hop costs more than the work of these functions. The one that may touch the database
(the token lookup) does so in the thread pool only when the token is not in the cache.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from sqlalchemy import Engine
from starlette.concurrency import run_in_threadpool

from api.http.oidc import (
    IdentityUnknown,
    Issuer,
    TokenRefused,
    looks_like_jwt,
    user_for_claims,
    verify_access_token,
)
from api.http.users import Role, User, token_hash, user_for_token

TOKEN_CACHE_SECONDS = 30.0


class SignedInUsers:
    """Recently seen tokens (by their SHA-256, never the token) and their users, for ``ttl``
    seconds: a new or revoked token takes effect within that time; an expired one at once (each
    entry knows when its token expires)."""

    def __init__(
        self,
        ttl: float = TOKEN_CACHE_SECONDS,
        size: int = 10_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.ttl, self.size, self.clock = ttl, size, clock
        self._users: OrderedDict[str, tuple[float, User]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, hashed: str) -> User | None:
        with self._lock:
            found = self._users.get(hashed)
            expired = (
                found is not None
                and found[1].expires_at is not None
                and found[1].expires_at <= datetime.now(UTC)
            )
            if found is None or found[0] < self.clock() or expired:
                self._users.pop(hashed, None)
                return None
            return found[1]

    def put(self, hashed: str, user: User) -> None:
        with self._lock:
            self._users[hashed] = (self.clock() + self.ttl, user)
            self._users.move_to_end(hashed)
            while len(self._users) > self.size:
                self._users.popitem(last=False)


async def get_engine(request: Request) -> Engine:
    return request.app.state.engine


EngineDep = Annotated[Engine, Depends(get_engine)]


def _unauthorised(detail: str) -> HTTPException:
    return HTTPException(401, detail, headers={"WWW-Authenticate": "Bearer"})


async def user_from_token(request: Request, token: str) -> User | None:
    """The user a token belongs to, from the cache or the database; None if it is unknown."""
    users: SignedInUsers = request.app.state.signed_in
    hashed = token_hash(token)
    user = users.get(hashed)
    if user is None:
        user = await run_in_threadpool(user_for_token, request.app.state.engine, token)
        if user is not None:
            users.put(hashed, user)
    return user


async def current_user(request: Request) -> User:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise _unauthorised("A bearer token is required.")
    issuers = getattr(request.app.state, "oidc_issuers", ())
    if issuers and looks_like_jwt(token.strip()):
        return await run_in_threadpool(_provider_user, request, token.strip(), issuers)
    user = await user_from_token(request, token.strip())
    if user is None:
        raise _unauthorised("The token is not valid.")
    return user


def _provider_user(request: Request, token: str, issuers: tuple[Issuer, ...]) -> User:
    """The user an identity provider's access token names (``api.http.oidc``), or 401/403."""
    try:
        issuer, claims = verify_access_token(token, issuers, request.app.state.issuer_keys)
    except TokenRefused as refused:
        raise _unauthorised(str(refused)) from None
    try:
        return user_for_claims(request.app.state.engine, issuer, claims)
    except IdentityUnknown as unknown:
        raise HTTPException(403, str(unknown)) from None


UserDep = Annotated[User, Depends(current_user)]


def role(*allowed: str):  # noqa: ANN201 - a dependency factory
    async def check(user: UserDep) -> User:
        if user.role not in allowed:
            raise HTTPException(403, f"This needs the role {' or '.join(allowed)}.")
        return user

    return check


Finance = Annotated[User, Depends(role(Role.FINANCE))]
Reader = Annotated[User, Depends(role(Role.FINANCE, Role.AUDITOR))]
Anyone = UserDep
