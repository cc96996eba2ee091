"""A finance officer keeps the Rijksbegroting over HTTP: an article and its mutations are booked
once per Idempotency-Key, a kasschuif that does not add up is refused and books nothing, and the
budget report answers in JSON and as a workbook that opens with its numbers; auditors read it,
regions do not."""

from __future__ import annotations

from io import BytesIO

from openpyxl import load_workbook

from tests.api.test_http import api  # noqa: F401 - the fixture

W = {"reason": "Voorjaarsnota", "source_document": "Kamerstuk 29 697, nr. 146"}
AP = {"code": "IXB-AP", "ministry": "Financiën", "chapter": "IXB", "number": "10", "name": "AP"}
RD = {"code": "VII-RD", "ministry": "BZK", "chapter": "VII", "number": "2", "name": "Regio Deals"}


def _articles(client, finance) -> None:
    for n, article in enumerate((AP, {**RD, "tranches": ["T5"]})):
        made = client.post(
            "/api/v1/budget/articles",
            json={**article, **W},
            headers={**finance, "Idempotency-Key": f"article-{n}"},
        )
        assert made.status_code == 201, made.text


def _mutate(client, headers, code, key, **body):
    return client.post(
        f"/api/v1/budget/articles/{code}/mutations",
        json={**W, **body},
        headers={**headers, "Idempotency-Key": key},
    )


INITIAL = {
    "kind": "initial",
    "name": "Begroting 2024",
    "effective_on": "2024-01-01",
    "lines": [
        {"year": 2024, "side": "verplichtingen", "amount": "100000000.00"},
        {"year": 2024, "side": "uitgaven", "amount": "60000000.00"},
    ],
}
OVERBOEKING = {
    "kind": "overboeking",
    "from_article": "IXB-AP",
    "name": "Voorjaarsnota 2024",
    "effective_on": "2024-05-07",
    "lines": [
        {"year": 2024, "side": "verplichtingen", "amount": "80000000.00"},
        {"year": 2024, "side": "uitgaven", "amount": "50000000.00"},
    ],
}


def test_mutations_are_booked_once_and_the_report_shows_budget_against_realisation(api):  # noqa: F811
    client, headers = api
    finance = headers["finance"]
    _articles(client, finance)
    first = _mutate(client, finance, "IXB-AP", "m-1", **INITIAL)
    again = _mutate(client, finance, "IXB-AP", "m-1", **INITIAL)
    assert first.status_code == 201, first.text
    assert again.json()["entry"] == first.json()["entry"]
    other = _mutate(client, finance, "IXB-AP", "m-1", **{**INITIAL, "name": "Anders"})
    assert other.status_code == 409 and other.json()["code"] == "idempotency_conflict"
    assert _mutate(client, finance, "VII-RD", "m-2", **OVERBOEKING).status_code == 201
    answer = client.get("/api/v1/reports/budget?year=2024", headers=headers["auditor"])
    assert answer.status_code == 200, answer.text
    rd = next(a for a in answer.json()["articles"] if a["code"] == "VII-RD")
    [y2024] = rd["years"]
    assert y2024["budget"]["uitgaven"] == "50000000.00"
    assert y2024["realised"]["verplichtingen"] == "30000000.00"  # RD-2024-001, granted in 2024
    assert [m["kind"] for m in rd["mutations"]] == ["overboeking"]
    book = client.get("/api/v1/reports/budget?format=xlsx", headers=finance)
    assert book.headers["content-type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    sheet = load_workbook(BytesIO(book.content))["VII-RD"]
    assert sheet.freeze_panes == "B5"
    assert [sheet.cell(5, 1).value, sheet.cell(5, 4).value] == [2024, 50000000]
    assert client.get("/api/v1/reports/budget", headers=headers["region"]).status_code == 403


def test_a_kasschuif_that_does_not_add_up_is_refused_and_books_nothing(api):  # noqa: F811
    client, headers = api
    finance = headers["finance"]
    _articles(client, finance)
    assert _mutate(client, finance, "IXB-AP", "m-1", **INITIAL).status_code == 201
    before = client.get("/api/v1/journal/verify", headers=finance).json()
    skewed = _mutate(
        client,
        finance,
        "IXB-AP",
        "m-2",
        kind="kasschuif",
        name="Scheef",
        effective_on="2024-06-01",
        lines=[
            {"year": 2024, "side": "uitgaven", "amount": "-1.00"},
            {"year": 2025, "side": "uitgaven", "amount": "2.00"},
        ],
    )
    assert skewed.status_code == 409 and skewed.json()["code"] == "kasschuif_not_neutral"
    assert "kasschuif" in skewed.json()["problems"][0]["message_nl"]
    too_much = _mutate(
        client,
        finance,
        "IXB-AP",
        "m-3",
        kind="kasschuif",
        name="Te veel",
        effective_on="2024-06-01",
        lines=[
            {"year": 2024, "side": "uitgaven", "amount": "-60000000.01"},
            {"year": 2025, "side": "uitgaven", "amount": "60000000.01"},
        ],
    )
    assert too_much.json()["code"] == "budget_exceeded", too_much.text
    after = client.get("/api/v1/journal/verify", headers=finance).json()
    assert after["entries_checked"] == before["entries_checked"]
    reversed_ = client.post(
        "/api/v1/budget/reversals",
        json={**W, "mutation": "nope", "effective_on": "2024-06-01"},
        headers={**finance, "Idempotency-Key": "rev"},
    )
    assert reversed_.status_code == 404 and reversed_.json()["code"] == "budget_mutation_not_found"


def test_a_payment_schedule_is_set_once_and_its_expected_cash_is_in_the_report(api):  # noqa: F811
    client, headers = api
    finance = headers["finance"]
    _articles(client, finance)
    yearly = {"kind": "yearly", "count": 3, "first_due": "2024-09-15"}
    body = {**W, "effective_on": "2024-09-01", "plan": yearly}
    url = "/api/v1/beschikkingen/RD-2024-001/payment-schedules"
    first = client.post(url, json=body, headers={**finance, "Idempotency-Key": "kasritme"})
    again = client.post(url, json=body, headers={**finance, "Idempotency-Key": "kasritme"})
    assert first.status_code == 201, first.text
    assert again.json() == first.json()
    both = {**body, "plan": {**yearly, "advances": [{"due_on": "2025-01-01", "amount": "1.00"}]}}
    refused = client.post(url, json=both, headers={**finance, "Idempotency-Key": "both"})
    assert refused.status_code == 422
    answer = client.get("/api/v1/reports/budget?as_of=2024-12-31", headers=finance).json()
    rd = next(a for a in answer["articles"] if a["code"] == "VII-RD")
    # three advances of €10M from 15 September 2024, nothing paid
    assert rd["expected_cash"] == {
        "2024": "10000000.00",
        "2025": "10000000.00",
        "2026": "10000000.00",
    }
    assert rd["behind_schedule"] == [
        {
            "nummer": "RD-2024-001",
            "due": "10000000.00",
            "paid": "0.00",
            "behind": "10000000.00",
            "currency": "EUR",
        }
    ]
    missing = client.post(
        "/api/v1/beschikkingen/NOPE/payment-schedules",
        json=body,
        headers={**finance, "Idempotency-Key": "nope"},
    )
    assert missing.status_code == 404


def test_the_euros_paid_travel_with_a_payment_and_a_euro_grant_refuses_them(api):  # noqa: F811
    client, headers = api
    refused = client.post(
        "/api/v1/beschikkingen/RD-2024-001/payments",
        json={
            "amount": "1000.00",
            "paid_on": "2024-10-01",
            "reason": "voorschot",
            "eur_paid": "1000.00",
            "source_document": "Bankafschrift",
        },
        headers={**headers["finance"], "Idempotency-Key": "eur-paid"},
    )
    assert refused.status_code == 409 and refused.json()["code"] == "eur_paid_for_eur_grant"
    assert "euro" in refused.json()["problems"][0]["message_nl"]
