"""Dependencies of the routers: the engine of the running app, the signed-in user, roles."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, HTTPException, Request
from sqlalchemy import Engine

from ledger.db.users import User, user_for_token


def get_engine(request: Request) -> Engine:
    return request.app.state.engine


EngineDep = Annotated[Engine, Depends(get_engine)]


def current_user(request: Request, engine: EngineDep) -> User:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token:
        raise HTTPException(
            401, "A bearer token is required.", headers={"WWW-Authenticate": "Bearer"}
        )
    user = user_for_token(engine, token.strip())
    if user is None:
        raise HTTPException(401, "The token is not valid.", headers={"WWW-Authenticate": "Bearer"})
    return user


UserDep = Annotated[User, Depends(current_user)]


def role(*allowed: str):  # noqa: ANN201 - a dependency factory
    def check(user: UserDep) -> User:
        if user.role not in allowed:
            raise HTTPException(403, f"This needs the role {' or '.join(allowed)}.")
        return user

    return check


Finance = Annotated[User, Depends(role("finance"))]
Reader = Annotated[User, Depends(role("finance", "auditor"))]
Anyone = UserDep
