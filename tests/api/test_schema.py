"""Schemathesis against the app's own OpenAPI schema: generated requests to every operation, as
the role that may make them, never get a 5xx, and every response (refusals included) matches
what the schema documents: status code, content type, headers and body."""

import re

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from api.app import create_app
from api.http.users import add_user
from ledger.db.service import LedgerService
from ledger.regio.db.service import RegioService
from tests.scenarios.flow import zwolle_world

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


@pytest.fixture
def served(ledger: LedgerService):
    zwolle_world(RegioService(ledger.engine))
    tokens = {
        "finance": add_user(ledger.engine, "fo", "finance"),
        "auditor": add_user(ledger.engine, "acc", "auditor"),
        "region": add_user(ledger.engine, "zwolle", "region", "GM-ZWOLLE"),
    }
    app = create_app(ledger.engine.url.render_as_string(hide_password=False))
    with TestClient(app):  # runs the lifespan: the app's engine is made here
        yield app, tokens


#: The operations the API was asked for; the schema must document each of them.
ISSUE_OPERATIONS = {
    "GET /healthz",
    "POST /api/v1/envelopes",
    "POST /api/v1/tranches/{code}/shifts",
    "POST /api/v1/tranches/{code}/reservations",
    "POST /api/v1/deals",
    "POST /api/v1/beschikkingen",
    "POST /api/v1/beschikkingen/{nummer}/payments",
    "POST /api/v1/beschikkingen/{nummer}/extensions",
    "POST /api/v1/beschikkingen/{nummer}/settlement",
    "POST /api/v1/beschikkingen/{nummer}/repayments",
    "GET /api/v1/reports/tranches",
    "GET /api/v1/journal/entries",
    "GET /api/v1/journal/entries/{sequence}",
    "POST /api/v1/journal/entries/{sequence}/reversal",
    "GET /api/v1/beschikkingen",
    "GET /api/v1/beschikkingen/{nummer}/statements/template",
    "POST /api/v1/beschikkingen/{nummer}/statements",
    "GET /api/v1/beschikkingen/{nummer}/statements/{statement_id}/errors.xlsx",
    "POST /api/v1/beschikkingen/{nummer}/final",
    "GET /api/v1/sisa/{year}",
    "GET /api/v1/sisa/{year}/movements",
    "GET /api/v1/journal/verify",
    # the read API
    "GET /api/v1/envelopes",
    "GET /api/v1/envelopes/{code}",
    "GET /api/v1/tranches",
    "GET /api/v1/tranches/{code}",
    "GET /api/v1/deals",
    "GET /api/v1/deals/{code}",
    "GET /api/v1/beschikkingen/{nummer}",
    "GET /api/v1/beschikkingen/{nummer}/payments",
    "GET /api/v1/beschikkingen/{nummer}/statements",
    "GET /api/v1/beschikkingen/{nummer}/statements/{statement_id}",
    "GET /api/v1/beschikkingen/{nummer}/statements/{statement_id}/file",
    "GET /api/v1/organisations",
    "GET /api/v1/organisations/{code}",
    "GET /api/v1/published-figures",
    "GET /api/v1/sisa/{year}/status",
    "GET /api/v1/sisa/{year}/submissions",
    "GET /api/v1/sisa/{year}/submissions/{submission}",
    "GET /api/v1/audit/trail",
    "POST /api/v1/reconciliations",
    "GET /api/v1/reconciliations",
    "GET /api/v1/reconciliations/{id}",
    "GET /api/v1/reconciliations/{id}/workbook",
    "GET /api/v1/reconciliations/{id}/file",
}


def role_for(path: str) -> str:
    """The role that may call an operation, so that generated requests reach its logic."""
    if "/statements" in path or path.endswith("/final"):
        return "region"
    if path.startswith(("/api/v1/sisa", "/api/v1/audit")):
        return "auditor"
    return "finance"


@pytest.mark.heavy
def test_the_api_keeps_to_its_own_schema(served):
    app, tokens = served
    operations = [
        result.ok()
        for result in schemathesis.openapi.from_asgi("/openapi.json", app).get_all_operations()
    ]
    assert {f"{o.method.upper()} {o.path}" for o in operations} >= ISSUE_OPERATIONS

    for operation in operations:
        check_operation(operation, {"Authorization": f"Bearer {tokens[role_for(operation.path)]}"})


def check_operation(operation, auth: dict[str, str]) -> None:
    @given(case=operation.as_strategy())
    @settings(
        max_examples=40, deadline=None, suppress_health_check=list(HealthCheck), database=None
    )
    def keeps_to_schema(case):
        case.call_and_validate(headers=auth, checks=CHECKS)

    keeps_to_schema()


def test_every_operation_has_its_resource_tag_and_a_typed_answer(tmp_path):
    """One router per resource: every operation carries that resource's tag, and every JSON
    answer is a typed model (a named schema that names every field it may carry), not
    ``dict[str, Any]``. Downloads that come in
    several formats (xlsx, csv, html, or the same as JSON) are files, named by their media types."""
    schema = create_app(f"sqlite:///{tmp_path / 'schema.db'}").openapi()
    schemas = schema["components"]["schemas"]
    untyped, untagged = [], []
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            if len(operation.get("tags", [])) != 1:
                untagged.append(f"{method.upper()} {path}")
            for status, answer in operation["responses"].items():
                content = answer.get("content", {})
                if (
                    not status.startswith("2")
                    or len(content) != 1
                    or "application/json" not in content
                ):
                    continue
                shape = content["application/json"].get("schema", {})
                named = "$ref" in shape or "$ref" in shape.get("items", {})
                ref = shape.get("$ref") or shape.get("items", {}).get("$ref")
                if ref and schemas[ref.rsplit("/", 1)[-1]].get("additionalProperties") is not False:
                    untyped.append(f"{method.upper()} {path} {status}: {ref} takes any field")
                if (
                    not named
                    and shape.get("type") != "object"
                    or shape.get("additionalProperties") is True
                ):
                    untyped.append(f"{method.upper()} {path} {status}")
    assert untagged == [] and untyped == [], (untagged, untyped)
    tags = {
        tag
        for operations in schema["paths"].values()
        for op in operations.values()
        for tag in op["tags"]
    }
    assert {"budget", "deals", "beschikkingen", "payments", "statements", "sisa", "journal"} <= tags


VERBS = ("list", "get", "create", "set", "amend", "extend", "convert", "settle", "correct")
VERBS += ("record", "withdraw", "reverse", "release", "map", "revoke", "explain", "export")
VERBS += ("verify", "upload")


def test_operations_are_named_as_verbs_on_resources_and_refusals_share_one_problem():
    """For client generators: every operation id is a verb on a resource in snake case
    (``list_envelopes``, ``get_beschikking``, ``create_payment``), each once; every error answer
    refers to the one ``Problem`` component, whose ``problems`` are typed; every download is
    bytes (``format: binary``), never JSON with an empty schema."""
    schema = create_app("sqlite://").openapi()
    ids = [op["operationId"] for ops in schema["paths"].values() for op in ops.values()]
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
    misnamed = [i for i in ids if not re.fullmatch(r"[a-z]+(_[a-z]+)+", i) or "_api_" in i]
    assert misnamed == [] and all(i.split("_")[0] in VERBS for i in ids), misnamed
    problem = schema["components"]["schemas"]["Problem"]
    items = problem["properties"]["problems"]["anyOf"][0]["items"]
    assert items == {"$ref": "#/components/schemas/ProblemItem"}
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            for status, answer in operation["responses"].items():
                content = answer.get("content", {})
                if status.startswith(("4", "5")) and path != "/readyz":  # its 503 says why
                    assert content == {
                        "application/problem+json": {
                            "schema": {"$ref": "#/components/schemas/Problem"}
                        }
                    }, (method, path, status)
                for media, shape in content.items():
                    if not media.endswith("json") and not media.startswith("text/"):
                        assert shape["schema"].get("format") == "binary", (path, media)
                    assert shape.get("schema") != {}, (method, path, status, media)
