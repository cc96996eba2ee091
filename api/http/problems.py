"""Errors as RFC 9457 ``application/problem+json`` with a stable ``code``; never a stack trace."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict

from ledger.errors import LedgerError

log = logging.getLogger("regioledger.api")
MEDIA_TYPE = "application/problem+json"

#: Refusals that are about the state of the books rather than a malformed request.
CONFLICTS = {"idempotency_conflict", "already_reversed", "beschikking_settled", "beschikking_converted", "year_final",
             "account_closed", "deal_exists", "beschikking_exists", "envelope_exists"}  # fmt: skip
NOT_FOUND = {
    "beschikking_not_found",
    "deal_not_found",
    "tranche_not_found",
    "entry_not_found",
    "unknown_account",
}


class ProblemDetail(BaseModel):
    """The body of every refusal (RFC 9457), as the OpenAPI schema documents it."""

    model_config = ConfigDict(extra="allow")
    type: str
    title: str
    status: int
    code: str
    detail: str | None = None
    problems: list[dict[str, object]] | None = None


_WHY = {
    401: "No valid bearer token.",
    403: "The user's role may not do this.",
    404: "Not found, or not this user's to see.",
    409: "Refused by the state of the books (a reused Idempotency-Key, a closed year, ...).",
    413: "The upload is over the size limit.",
    422: "The request is not valid; every problem is listed.",
}
#: Documented on every route, so that clients (and schemathesis) know what a refusal looks like.
RESPONSES: dict[int | str, dict[str, object]] = {
    status: {"description": why, "content": {MEDIA_TYPE: {"schema": ProblemDetail.model_json_schema()}}}
    for status, why in _WHY.items()
}  # fmt: skip


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV = "text/csv; charset=utf-8"


def file_response(*media_types: str, description: str = "The file.") -> dict[int | str, Any]:
    """OpenAPI for a route that answers with a file (or JSON) in one of ``media_types``."""
    return {
        200: {"description": description, "content": {m.split(";")[0]: {} for m in media_types}}
    }


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
    return JSONResponse(body, status_code=status, media_type=MEDIA_TYPE)


def install(app: FastAPI) -> None:
    @app.exception_handler(LedgerError)
    async def ledger_error(_request: Request, error: LedgerError) -> JSONResponse:
        status = 404 if error.code in NOT_FOUND else 409 if error.code in CONFLICTS else 422
        return problem(status, error.code, error.problems[0].message, error.problems[0].message_nl,
                       problems=[p.as_dict() for p in error.problems])  # fmt: skip

    @app.exception_handler(HTTPException)
    async def http_error(_request: Request, error: HTTPException) -> JSONResponse:
        code = {401: "unauthorized", 403: "forbidden", 404: "not_found", 405: "method_not_allowed", 413: "too_large"}.get(
            error.status_code, "http_error")  # fmt: skip
        response = problem(error.status_code, code, str(error.detail))
        for name, value in (error.headers or {}).items():
            response.headers[name] = value
        return response

    @app.exception_handler(RequestValidationError)
    async def invalid_request(_request: Request, error: RequestValidationError) -> JSONResponse:
        problems = [{"code": "invalid_request", "location": ".".join(str(p) for p in e["loc"]), "message": e["msg"]}
                    for e in error.errors()]  # fmt: skip
        return problem(422, "invalid_request", "The request is not valid.", problems=problems)

    @app.exception_handler(Exception)
    async def unexpected(_request: Request, error: Exception) -> JSONResponse:
        log.exception("unexpected error", exc_info=error)
        return problem(
            500, "internal_error", "Something went wrong on our side; nothing was booked."
        )
