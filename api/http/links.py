"""OpenAPI links: what a POST made, and the GET that reads it back (for clients, and for the
stateful phase of schemathesis, which follows them)."""

from __future__ import annotations

from typing import Any

#: operationIds of the GETs the links point at (set on those routes).
GET_ENTRY = "get_journal_entry"
GET_DEAL_REPORT = "get_deal_report"
CREATE_PAYMENT = "create_payment"
UPLOAD_STATEMENT = "upload_statement"

BOOKED_LINKS = {
    "GetEntry": {"operationId": GET_ENTRY, "parameters": {"sequence": "$response.body#/entry"}},
}
DEAL_LINKS = {
    **BOOKED_LINKS,
    "GetDealReport": {
        "operationId": GET_DEAL_REPORT,
        "parameters": {"code": "$response.body#/code"},
    },
}
GRANT_LINKS = {
    **BOOKED_LINKS,
    "PayIt": {"operationId": CREATE_PAYMENT, "parameters": {"nummer": "$response.body#/nummer"}},
}


def created(links: dict[str, Any] | None = None) -> dict[int | str, dict[str, Any]]:
    """The 201 answer of a POST, with the links to what it made."""
    response: dict[str, Any] = {"description": "Created."}
    if links:
        response["links"] = links
    return {201: response}
