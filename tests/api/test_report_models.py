"""The two reports' JSON answers are typed: on the demo ledger (every kind of tranche change,
difference, deal and spending it holds), the tranche reconciliation and every deal's voortgang
read as the API answers them validate against their models, which forbid any field they do not
name, and the schema states those models for the JSON form beside the workbook's bytes."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.demo import load_demo
from api.http.report_models import DealProgressPublic, TrancheReportPublic
from api.http.users import add_user
from ledger.regio.db.service import RegioService


@pytest.fixture
def demo(ledger):
    load_demo(RegioService(ledger.engine))
    token = add_user(ledger.engine, "financien", "finance")
    url = ledger.engine.url.render_as_string(hide_password=False)
    with TestClient(create_app(url), raise_server_exceptions=False) as client:
        client.headers["Authorization"] = f"Bearer {token}"
        yield client


@pytest.mark.heavy
def test_the_reports_json_answers_hold_to_their_models(demo):
    tranches = demo.get("/api/v1/reports/tranches")
    assert tranches.status_code == 200
    report = TrancheReportPublic.model_validate(tranches.json())
    kinds = {c.kind for e in report.envelopes for t in e.tranches for c in t.history}
    assert len(kinds) >= 3 and report.differences and report.deals  # the models were exercised
    for deal in report.deals:
        answer = demo.get(f"/api/v1/reports/deals/{deal.code}")
        assert answer.status_code == 200, answer.text
        DealProgressPublic.model_validate(answer.json())


def test_the_schema_states_the_models_beside_the_workbook():
    schema = create_app("sqlite://").openapi()
    for path, model in (
        ("/api/v1/reports/tranches", "TrancheReportPublic"),
        ("/api/v1/reports/deals/{code}", "DealProgressPublic"),
    ):
        content = schema["paths"][path]["get"]["responses"]["200"]["content"]
        assert content["application/json"]["schema"] == {"$ref": f"#/components/schemas/{model}"}
        xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        assert content[xlsx]["schema"] == {"type": "string", "format": "binary"}
