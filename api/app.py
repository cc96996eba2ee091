"""The service as it is served: the HTTP API (``api.http``) with the dashboard and the
region's portal (``api.web``) on it, and the schema of both. ``create_app`` is what
``regioledger serve`` and ``uvicorn --factory api.app:create_app`` start."""

from __future__ import annotations

from fastapi import FastAPI

from api.http.app import create_api
from api.http.openapi import install_schema
from api.web import dashboard


def create_app(database_url: str | None = None) -> FastAPI:
    app = create_api(database_url, too_large_page=dashboard.too_large_page)
    dashboard.install(app)
    install_schema(app)
    return app
