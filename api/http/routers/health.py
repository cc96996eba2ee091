"""The service's health (``/healthz``: the database answers), readiness (``/readyz``: it answers
and its schema is at this code's migration head) and metrics (``/metrics``, Prometheus text)."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from sqlalchemy.exc import SQLAlchemyError

from api.http.deps import EngineDep
from api.http.public import Public
from ledger.db import queries
from ledger.db import revision as schema
from ledger.db.unit_of_work import UnitOfWork

router = APIRouter(prefix="", tags=["health"])


class HealthPublic(Public):
    status: str


@router.get("/healthz", operation_id="get_health")
def healthz(engine: EngineDep) -> HealthPublic:
    with UnitOfWork(engine) as uow:
        queries.database_answers(uow.connection)
    return HealthPublic(status="ok")


class ReadyPublic(Public):
    ready: bool
    database: str  # "answers" or what went wrong
    revision: str | None  # the schema's migration, as the database has it
    head: str  # the migration this code expects


@router.get(
    "/readyz",
    operation_id="get_readiness",
    response_model=ReadyPublic,
    responses={503: {"model": ReadyPublic, "description": "Not ready."}},
)
def readyz(engine: EngineDep) -> JSONResponse:
    """Ready to serve: the database answers and its schema is migrated to this code's head.
    503 with the reason otherwise (a load balancer sends no traffic until it is 200)."""
    head = schema.HEAD
    try:
        with UnitOfWork(engine) as uow:
            revision = queries.schema_revision(uow.connection)
    except SQLAlchemyError as error:
        answer = ReadyPublic(ready=False, database=type(error).__name__, revision=None, head=head)
        return JSONResponse(answer.model_dump(), status_code=503)
    answer = ReadyPublic(ready=revision == head, database="answers", revision=revision, head=head)
    return JSONResponse(answer.model_dump(), status_code=200 if answer.ready else 503)


@router.get(
    "/metrics",
    operation_id="get_metrics",
    responses={
        200: {
            "description": "Prometheus text format.",
            "content": {CONTENT_TYPE_LATEST.split(";")[0]: {"schema": {"type": "string"}}},
        }
    },
)
def metrics(request: Request) -> Response:
    """The service's metrics in Prometheus text: requests by route and status, latencies,
    bookings, refusals by code, uploads by outcome."""
    return Response(
        generate_latest(request.app.state.metrics.registry), media_type=CONTENT_TYPE_LATEST
    )
