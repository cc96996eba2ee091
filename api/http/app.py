"""The HTTP API as a FastAPI application: middleware, problems and the routers per resource.
The pages are added above it, in ``api.app``. The engine is made when the app starts, never at
import."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

from fastapi import Depends, FastAPI

from api.http import problems
from api.http.bodies import BodyLimit, reads_json
from api.http.cache import DerivedAnswers
from api.http.deps import SignedInUsers
from api.http.hosts import AllowedHosts
from api.http.oidc import IssuerKeys, issuers_from
from api.http.operations import Metrics, Observed, configure_logging
from api.http.reading import known_parameters
from api.http.routers import (
    accountability,
    audit,
    begroting,
    beschikkingen,
    budget,
    budget_events,
    deals,
    findings,
    health,
    identities,
    journal,
    organisations,
    payments,
    reconciliations,
    reports,
    rules,
    sisa,
    sisa_figures,
    statements,
)
from api.http.text import plain_parameters
from api.statements.limits import StatementLimits
from ledger.db.config import get_settings
from ledger.db.engine import make_engine

#: The routers, one per resource, in the order of the reference.
ROUTERS = (
    health,
    organisations,
    budget,
    budget_events,
    rules,
    deals,
    beschikkingen,
    payments,
    statements,
    accountability,
    sisa,
    sisa_figures,
    findings,
    journal,
    audit,
    reports,
    reconciliations,
    begroting,
    identities,
)


def create_api(
    database_url: str | None = None,
    *,
    too_large_page: Callable[[dict[str, Any], int], Any] | None = None,
) -> FastAPI:
    """The API's app; ``too_large_page`` is how a page says an upload was over the limit."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.engine = make_engine(database_url or get_settings().database_url)
        app.state.signed_in = SignedInUsers()
        app.state.derived = DerivedAnswers()
        app.state.issuer_keys = IssuerKeys()
        yield
        app.state.engine.dispose()

    app = FastAPI(
        title="regioledger",
        version="0.1.0",
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        dependencies=[Depends(plain_parameters), Depends(reads_json)],
        description='The money ledger of the Dutch Regio Deals. Money travels as strings: "1234.50".',
    )
    app.state.oidc_issuers = issuers_from(os.environ.get("REGIOLEDGER_OIDC_ISSUERS"))
    problems.install(app)
    app.add_middleware(
        BodyLimit, upload_limit=StatementLimits().max_file_bytes, page=too_large_page
    )
    app.add_middleware(AllowedHosts)
    app.state.metrics = Metrics()
    app.add_middleware(Observed, metrics=app.state.metrics)  # outermost: sees every answer
    configure_logging()
    for resource in ROUTERS:
        app.include_router(
            resource.router,
            responses=problems.RESPONSES,
            dependencies=[Depends(known_parameters)],
        )
    return app
