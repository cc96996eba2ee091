"""Operating the service: a request id on every answer and log line, Prometheus metrics that
count what happened, JSON log lines on request, and readiness that knows the schema's head.
Over HTTP against a real server where the process's own output is what is checked."""

from __future__ import annotations

import json

import httpx
from prometheus_client.parser import text_string_to_metric_families

from ledger.db import migrate
from tests import server as server_process
from tests.api.test_http import PAYMENT, api  # noqa: F401 - the fixture

N = "/api/v1/beschikkingen/RD-2024-001"


def samples(client) -> dict[tuple[str, tuple], float]:
    text = client.get("/metrics").text
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


def test_a_request_id_is_taken_or_made_and_always_returned(api):  # noqa: F811
    client, headers = api
    given = client.get("/healthz", headers={"X-Request-ID": "klacht-2026-0042"})
    assert given.headers["x-request-id"] == "klacht-2026-0042"
    made = client.get("/healthz")
    assert len(made.headers["x-request-id"]) == 32
    odd = client.get("/healthz", headers={"X-Request-ID": "a b<script>"})
    assert odd.headers["x-request-id"] != "a b<script>"  # not echoed: a new one is made
    refused = client.get("/api/v1/beschikkingen", headers={"X-Request-ID": "r-1"})
    assert refused.status_code == 401 and refused.headers["x-request-id"] == "r-1"


def test_metrics_count_requests_bookings_and_refusals_by_code(api):  # noqa: F811
    client, headers = api
    before = samples(client)
    assert client.post(f"{N}/payments", json=PAYMENT, headers=headers["finance"]).status_code == 201
    assert client.get("/api/v1/beschikkingen/NOPE", headers=headers["finance"]).status_code == 404
    after = samples(client)

    def grew(name: str, **labels: str) -> float:
        key = (name, tuple(sorted(labels.items())))
        return after.get(key, 0) - before.get(key, 0)

    route = "/api/v1/beschikkingen/{nummer}/payments"
    assert grew("regioledger_requests_total", route=route, method="POST", status="201") == 1
    assert grew("regioledger_bookings_total", route=route) == 1
    assert grew("regioledger_refusals_total", code="beschikking_not_found") == 1
    assert grew("regioledger_request_seconds_count", route=route, method="POST") == 1


def test_readiness_says_the_database_answers_at_the_migration_head(api):  # noqa: F811
    client, _ = api
    ready = client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json() == {
        "ready": True,
        "database": "answers",
        "revision": migrate.head_revision(),
        "head": migrate.head_revision(),
    }


def test_readiness_is_503_on_a_database_that_is_not_migrated(tmp_path):
    from fastapi.testclient import TestClient

    from api.app import create_app

    url = f"sqlite:///{tmp_path / 'empty.db'}"
    with TestClient(create_app(url), raise_server_exceptions=False) as client:
        answer = client.get("/readyz")
    assert answer.status_code == 503 and answer.json()["ready"] is False


def test_json_log_lines_carry_the_request_id(database_url):
    process, base = server_process.start(
        database_url, capture=True, log_level="info", env={"REGIOLEDGER_LOG_FORMAT": "json"}
    )
    try:
        httpx.get(f"{base}/healthz", headers={"X-Request-ID": "volg-mij"})
    finally:
        output = server_process.stop(process)
    lines = [json.loads(line) for line in output.splitlines() if line.startswith("{")]
    mine = [line for line in lines if line["request_id"] == "volg-mij"]
    assert mine and mine[0]["route"] == "/healthz" and mine[0]["status"] == 200
    assert {"time", "level", "logger", "message", "ms"} <= set(mine[0])
