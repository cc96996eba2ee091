"""A finance officer records budget events over HTTP: the same request twice books once, a
different one under the same key is refused, too much is refused in euros, an unknown
reservation is 404, and nobody but finance writes them."""

from __future__ import annotations

from tests.api.test_http import api  # noqa: F401 - the fixture

W = {"reason": "Voortgangsrapportage", "source_document": "Kamerbrief 7 mei 2024"}


def test_a_set_aside_is_booked_once_and_too_much_is_refused_in_euros(api):  # noqa: F811
    client, headers = api
    body = {
        **W,
        "purpose": "PETTEN",
        "name": "Petten",
        "amount": "1000.00",
        "effective_on": "2024-01-01",
    }
    finance = {**headers["finance"], "Idempotency-Key": "set-aside-1"}
    first = client.post("/api/v1/envelopes/RE-2022/set-asides", json=body, headers=finance)
    again = client.post("/api/v1/envelopes/RE-2022/set-asides", json=body, headers=finance)
    assert first.status_code == 201, first.text
    assert again.json()["entry"] == first.json()["entry"]
    other = client.post(
        "/api/v1/envelopes/RE-2022/set-asides", json={**body, "amount": "2.00"}, headers=finance
    )
    assert other.status_code == 409 and other.json()["code"] == "idempotency_conflict"
    much = client.post(
        "/api/v1/envelopes/RE-2022/set-asides",
        json={**body, "amount": "999999999.00"},
        headers={**headers["finance"], "Idempotency-Key": "set-aside-2"},
    )
    assert much.status_code in (409, 422) and much.json()["code"] == "envelope_overallocated"
    assert "€" in much.json()["problems"][0]["message_nl"]
    early = client.post(
        "/api/v1/envelopes/RE-2022/set-asides",
        json={**body, "effective_on": "2021-12-31"},
        headers={**headers["finance"], "Idempotency-Key": "set-aside-3"},
    )
    assert early.json()["code"] == "outside_envelope_period"


def test_a_release_of_an_unknown_reservation_is_404_and_auditors_write_nothing(api):  # noqa: F811
    client, headers = api
    body = {**W, "amount": "1.00", "effective_on": "2024-01-01"}
    missing = client.post(
        "/api/v1/reservations/NOPE/releases",
        json=body,
        headers={**headers["finance"], "Idempotency-Key": "release-1"},
    )
    assert missing.status_code == 404 and missing.json()["code"] == "reservation_not_found"
    transfer = {
        **W,
        "name": "Voorjaarsnota 2024",
        "amount": "257100000.00",
        "effective_on": "2024-05-07",
    }
    for role in ("auditor", "region"):
        refused = client.post(
            "/api/v1/tranches/T6/article-transfers", json=transfer, headers=headers[role]
        )
        assert refused.status_code == 403, role
