"""Bounded request bodies, and the media types a route reads.

Every body is counted while it streams in, before any parsing and before the token is looked
at: a JSON body over 1 MiB, or an upload over the statement limit, is answered 413 as soon as it
passes the limit (at once when its ``Content-Length`` says so), and nothing beyond the limit is
read, kept in memory or spooled to disk. A route that reads JSON refuses another declared media
type with 415.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from fastapi import Request

from api.http.problems import Refusal, problem
from ledger.errors import LedgerError
from ledger.text import check_text

JSON_LIMIT = 1024 * 1024
#: Multipart framing around an uploaded file (boundaries, part headers, the year field).
MULTIPART_OVERHEAD = 64 * 1024
UPLOAD_PATHS = re.compile(
    r"^/(api/v1/(beschikkingen/[^/]+/statements|reconciliations)"
    r"|dashboard/(beschikkingen/[^/]+/[0-9]{4}/statement|reconciliations))$"
)
FILENAME_LENGTH = 255


def upload_body(description: str, *media_types: str) -> dict[str, Any]:
    """The OpenAPI request body of an upload: one multipart field ``file`` (the route reads the
    form itself, streaming, under the upload limit), with the media types it may be: the first
    as the field's ``contentMediaType`` and all of them as its part's ``encoding``. What is in
    the file (a workbook's cells, a CSV's lines) no schema can say: the route checks it and
    answers 422 with every problem."""
    file: dict[str, Any] = {"type": "string", "format": "binary", "description": description}
    if media_types:
        file["contentMediaType"] = media_types[0]
    schema = {
        "type": "object",
        "required": ["file"],
        "additionalProperties": False,
        "properties": {"file": file},
    }
    form: dict[str, Any] = {"schema": schema}
    if media_types:
        form["encoding"] = {"file": {"contentType": ", ".join(media_types)}}
    return {"required": True, "content": {"multipart/form-data": form}}


def too_large(limit: int) -> Refusal:
    return Refusal(
        413, "too_large", f"The body is larger than {limit:,} bytes; nothing was read beyond that."
    )


class BodyLimit:
    """ASGI middleware: counts each request body and cuts it off at its route's limit."""

    def __init__(
        self,
        app: Any,
        upload_limit: int,
        page: Callable[[dict[str, Any], int], Any] | None = None,
    ) -> None:
        self.app = app
        self.upload_limit = upload_limit + MULTIPART_OVERHEAD
        self.page = page  # how a browser's page says the limit (the dashboard's uploads)

    def limit_for(self, scope: dict[str, Any]) -> int:
        return self.upload_limit if UPLOAD_PATHS.match(scope.get("path", "")) else JSON_LIMIT

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(scope)
        declared = dict(scope.get("headers") or []).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > limit:
            browser = self.page is not None and scope.get("path", "").startswith("/dashboard")
            response = (
                self.page(scope, limit)
                if browser
                else problem(413, "too_large", str(too_large(limit).detail))
            )
            await response(scope, receive, send)
            return
        received = 0

        async def counted_receive() -> dict[str, Any]:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise too_large(limit)
            return message

        await self.app(scope, counted_receive, send)


async def reads_json(request: Request) -> None:
    """App-wide dependency: a route with a JSON body refuses another declared media type."""
    field = getattr(request.scope.get("route"), "body_field", None)
    if field is None or getattr(field.field_info, "media_type", None) != "application/json":
        return  # no body, or a form (the dashboard's sign-in)
    declared = request.headers.get("content-type")
    if declared is None:
        return
    media_type = declared.split(";")[0].strip().lower()
    if media_type != "application/json" and not media_type.endswith("+json"):
        raise Refusal(
            415,
            "unsupported_media_type",
            f"This operation reads application/json, not {media_type}.",
        )


async def read_upload(request: Request, max_bytes: int) -> tuple[bytes, str]:
    """The uploaded file (the body is counted while it streams: see ``api.http.bodies``) and its
    name, which follows the text rule like every other text."""
    return await upload_from_form(await request.form(max_files=1, max_fields=5), max_bytes)


async def upload_from_form(form: Any, max_bytes: int) -> tuple[bytes, str]:
    """The file of a form's field ``file`` and its name (the name under the text rule)."""
    upload = form.get("file")
    if upload is None or isinstance(upload, str) or not (upload.filename or upload.size):
        raise Refusal(422, "file_missing", "Send the workbook as multipart field 'file'.")
    content = await upload.read(max_bytes + 1)
    if len(content) > max_bytes:
        raise too_large(max_bytes)
    filename = (upload.filename or "upload.xlsx").replace("\\", "/").rsplit("/", 1)[
        -1
    ] or "upload.xlsx"
    if problems := check_text("The file name", filename, limit=FILENAME_LENGTH, free_text=False):
        raise LedgerError(problems)
    return content, filename
