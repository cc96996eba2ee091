"""The service's health: the database answers."""

from __future__ import annotations

from fastapi import APIRouter

from api.http.deps import EngineDep
from api.http.public import Public
from ledger.db.unit_of_work import UnitOfWork

router = APIRouter(prefix="", tags=["health"])


class HealthPublic(Public):
    status: str


@router.get("/healthz")
def healthz(engine: EngineDep) -> HealthPublic:
    with UnitOfWork(engine) as uow:
        uow.connection.exec_driver_sql("SELECT 1")
    return HealthPublic(status="ok")
