"""The OpenAPI schema as the contract, and ``/docs``: a reference page rendered by the service
itself from that schema (no script at all, nothing loaded from outside the service).

The schema states the bearer-token security of every operation but health, readiness and metrics, so that
clients and fuzzers know which requests need a token.
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from fastapi.responses import HTMLResponse, Response

from api.http.headers import secured
from api.http.problems import problem_components
from reports.html import render

#: Operations that need no token.
PUBLIC_PATHS = {"/healthz", "/readyz", "/metrics"}  # metrics carry counts, never data
METHODS = ("get", "post", "put", "patch", "delete")


def build_schema(app: FastAPI) -> dict[str, Any]:
    schema = get_openapi(
        title=app.title, version=app.version, description=app.description, routes=app.routes
    )
    components = schema.setdefault("components", {})
    components.setdefault("schemas", {}).update(problem_components())
    components["securitySchemes"] = {
        "bearer": {
            "type": "http",
            "scheme": "bearer",
            "description": "A token from `regioledger users add`.",
        }
    }
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            if method in METHODS:
                _files_only(operation)
                if path not in PUBLIC_PATHS:
                    operation["security"] = [{"bearer": []}]
    return schema


def _files_only(operation: dict[str, Any]) -> None:
    """A download answers with its files alone: FastAPI's JSON placeholder (an empty schema)
    beside them is no answer the route gives, and a client generator would read it as JSON."""
    content = operation.get("responses", {}).get("200", {}).get("content", {})
    if len(content) > 1 and content.get("application/json") == {"schema": {}}:
        del content["application/json"]


def install_schema(app: FastAPI) -> None:
    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = build_schema(app)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]

    @app.get("/docs", include_in_schema=False)
    def docs() -> Response:
        schema = app.openapi()
        operations = [
            {
                "method": method.upper(),
                "path": path,
                **operation,
                "body": json.dumps(_body_schema(operation, schema), indent=2, ensure_ascii=False),
            }
            for path, methods in schema["paths"].items()
            for method, operation in methods.items()
            if method in METHODS
        ]
        return secured(
            HTMLResponse(
                render("api_docs.html", "en", user=None, schema=schema, operations=operations)
            )
        )


def _body_schema(operation: dict[str, Any], schema: dict[str, Any]) -> Any:
    content = operation.get("requestBody", {}).get("content", {})
    found = next(iter(content.values()), {}).get("schema")
    if found and "$ref" in found:
        name = found["$ref"].rsplit("/", 1)[-1]
        return schema["components"]["schemas"].get(name, found)
    return found
