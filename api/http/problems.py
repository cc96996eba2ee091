"""Errors as RFC 9457 ``application/problem+json`` with a stable ``code``; never a stack trace.

Which status a refusal gets:
- 400: the body cannot be read at all (not JSON, nested too deeply, a broken multipart form);
- 401 / 403: no valid token / the role may not do this;
- 404: the thing asked for does not exist (or is not this user's to see);
- 405: the method is not one of the path's (``Allow`` lists those it has);
- 409: the request is well formed but refused: by the state of the books (a limit, a closed
  year, something that exists already, a date outside an object's life), or by a rule between
  its fields that a schema cannot state (an end before its start);
- 413 / 415: the body is too large / not of a type the route reads;
- 422: the request breaks a rule that the OpenAPI schema states (and only then).
"""

from __future__ import annotations

import logging
import re
from typing import Any

from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.http.operations import note_refusal
from ledger.errors import LedgerError

log = logging.getLogger("regioledger.api")
MEDIA_TYPE = "application/problem+json"

#: Refusals of the ledger that break a rule the schema states: the door's own checks.
INVALID = {"invalid_text", "invalid_identifier", "text_too_long", "invalid_date", "invalid_request"}
#: Refusals that say the thing asked for does not exist.
NOT_FOUND = {"entry_not_found", "unknown_account", "not_found"}


def status_of(code: str) -> int:
    if code in NOT_FOUND or code.endswith("_not_found"):
        return 404
    return 422 if code in INVALID else 409


class Refusal(HTTPException):
    """A refusal the API makes itself, with its stable code."""

    def __init__(self, status: int, code: str, detail: str, headers: dict[str, str] | None = None):
        super().__init__(status, detail, headers)
        self.code = code


class ProblemItem(BaseModel):
    """One thing that is wrong, by its stable ``code``; which other fields it has depends on
    what was refused: a rule of the ledger (``message``, ``message_nl``, ``entry``, ``account``,
    ``details``), a field of the request (``location``, ``message``) or a cell of a statement
    (``row``, ``column``, ``cell``, ``value``, ``message_nl``, ``message_en``, ``warning``)."""

    model_config = ConfigDict(extra="allow", title="ProblemItem")
    code: str
    message: str | None = None
    message_nl: str | None = None
    message_en: str | None = None
    location: str | None = None
    entry: str | None = None
    account: str | None = None
    details: dict[str, str] | None = None
    row: int | None = None
    column: str | None = None
    cell: str | None = None
    value: str | None = None
    warning: bool | None = None


class Problem(BaseModel):
    """The body of every refusal (RFC 9457): one component, referenced by every error answer."""

    model_config = ConfigDict(extra="allow", title="Problem")
    type: str
    title: str
    status: int
    code: str
    detail: str | None = None
    problems: list[ProblemItem] | None = None


def problem_components() -> dict[str, Any]:
    """The schemas ``Problem`` and ``ProblemItem`` as OpenAPI components."""
    found = Problem.model_json_schema(ref_template="#/components/schemas/{model}")
    return {"Problem": {k: v for k, v in found.items() if k != "$defs"}, **found["$defs"]}


PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}


_WHY = {
    400: "The body cannot be read (not JSON, nested too deeply, a broken multipart form).",
    401: "No valid bearer token.",
    403: "The user's role may not do this.",
    404: "Not found, or not this user's to see.",
    409: "Refused by the state of the books (a limit, a closed year, a reused Idempotency-Key, ...).",
    413: "The body is over the size limit.",
    415: "The body is not of a media type this operation reads.",
    422: "The request breaks a rule the schema states; every problem is listed.",
}
#: Documented on every route, so that clients (and schemathesis) know what a refusal looks like.
RESPONSES: dict[int | str, dict[str, object]] = {
    status: {
        "description": why,
        "content": {MEDIA_TYPE: {"schema": PROBLEM_REF}},
    }
    for status, why in _WHY.items()
}


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV = "text/csv; charset=utf-8"


def attachment(filename: str) -> dict[str, str]:
    """The header that offers a download under ``filename``, made safe for the header: what is
    not an ASCII letter, digit, '.', '_' or '-' becomes '_' (a region's file name may hold
    anything the text rule allows)."""
    safe = "".join(c if c.isascii() and (c.isalnum() or c in "._-") else "_" for c in filename)
    return {"Content-Disposition": f'attachment; filename="{safe}"'}


def file_response(
    *media_types: str, description: str = "The file.", model: type[BaseModel] | None = None
) -> dict[int | str, Any]:
    """OpenAPI for a route that answers with a file in one of ``media_types`` (bytes: ``format:
    binary``), or with JSON (``model``'s schema, else an object)."""
    content = {m.split(";")[0]: {"schema": BINARY} for m in media_types if m != JSON}
    if JSON in media_types and model is None:
        content[JSON] = {"schema": {"type": "object", "additionalProperties": True}}
    answer: dict[str, Any] = {"description": description, "content": content}
    if model is not None:
        answer["model"] = model  # FastAPI states its schema for the JSON form
    return {200: answer}


JSON = "application/json"
BINARY = {"type": "string", "format": "binary"}


def problem(status: int, code: str, title: str, detail: str = "", **extra: object) -> JSONResponse:
    body = {
        "type": f"https://regioledger.invalid/problems/{code}",
        "title": title,
        "status": status,
        "code": code,
    }
    if detail:
        body["detail"] = detail
    body.update(extra)
    note_refusal(code)
    return JSONResponse(body, status_code=status, media_type=MEDIA_TYPE)


#: Codes for the statuses the framework raises by itself.
HTTP_CODES = {
    400: "invalid_body",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "too_large",
    415: "unsupported_media_type",
}


def allowed_methods(request: Request) -> str:
    """Every method the request's path has, as the OpenAPI schema states them (the router names
    only those of the first route that matches the path)."""
    methods: set[str] = set()
    for template, operations in request.app.openapi()["paths"].items():
        if re.fullmatch(re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template)), request.url.path):
            methods.update(method.upper() for method in operations)
    if "GET" in methods:
        methods.add("HEAD")
    return ", ".join(sorted(methods))


def install(app: FastAPI) -> None:
    @app.exception_handler(LedgerError)
    async def ledger_error(_request: Request, error: LedgerError) -> JSONResponse:
        return problem(
            status_of(error.code),
            error.code,
            error.problems[0].message,
            error.problems[0].message_nl,
            problems=[p.as_dict() for p in error.problems],
        )

    @app.exception_handler(StarletteHTTPException)  # the framework's own, and FastAPI's subclass
    async def http_error(request: Request, error: StarletteHTTPException) -> JSONResponse:
        status = error.status_code
        code = getattr(error, "code", None) or HTTP_CODES.get(status, "http_error")
        response = problem(status, code, str(error.detail))
        for name, value in (error.headers or {}).items():
            response.headers[name] = value
        if status == 405:
            response.headers["Allow"] = allowed_methods(request)
        return response

    @app.exception_handler(RequestValidationError)
    async def invalid_request(_request: Request, error: RequestValidationError) -> JSONResponse:
        errors = error.errors()
        if any(e.get("type") == "json_invalid" for e in errors):
            return problem(400, "invalid_json", "The body is not valid JSON.")
        problems = [
            {
                "code": "invalid_request",
                "location": ".".join(str(p) for p in e["loc"]),
                "message": e["msg"],
            }
            for e in errors
        ]
        return problem(422, "invalid_request", "The request is not valid.", problems=problems)

    @app.exception_handler(Exception)
    async def unexpected(_request: Request, error: Exception) -> JSONResponse:
        log.exception("unexpected error", exc_info=error)
        return problem(
            500, "internal_error", "Something went wrong on our side; nothing was booked."
        )
