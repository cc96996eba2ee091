"""The integrity rules as a finance officer, a region and an auditor meet them over HTTP: no
silent merges, the generic reversal refusing what the domain owns, corrections, the SiSa
lifecycle (previews, submissions, annexes, toelichting), regelingen and the rules."""

from __future__ import annotations

from sqlalchemy import select

from ledger.db.unit_of_work import UnitOfWork
from sisa.db import submission_table
from tests.api.test_http import PAYMENT, api  # noqa: F401 - the fixture
from tests.statements.builders import openpyxl_workbook

N = "/api/v1/beschikkingen/RD-2024-001"
W = {"reason": "test"}


def submissions(client) -> int:
    engine = client.app.state.engine
    with UnitOfWork(engine) as uow:
        return len(uow.connection.execute(select(submission_table.c.id)).all())


def test_two_genuine_identical_payments_without_a_key_are_two_payments(api):  # noqa: F811
    client, headers = api
    first = client.post(f"{N}/payments", json=PAYMENT, headers=headers["finance"])
    second = client.post(f"{N}/payments", json=PAYMENT, headers=headers["finance"])
    assert (first.status_code, second.status_code) == (201, 201)
    assert first.json()["entry"] != second.json()["entry"]
    assert "idempotent-replayed" not in second.headers


def test_a_retry_with_the_same_key_says_it_is_a_replay(api):  # noqa: F811
    client, headers = api
    keyed = {**headers["finance"], "Idempotency-Key": "pay-1"}
    first = client.post(f"{N}/payments", json=PAYMENT, headers=keyed)
    again = client.post(f"{N}/payments", json=PAYMENT, headers=keyed)
    assert again.status_code == 201 and again.headers["idempotent-replayed"] == "true"
    assert again.json() == first.json()
    other = client.post(f"{N}/payments", json={**PAYMENT, "amount": "2.00"}, headers=keyed)
    assert other.status_code == 409 and other.json()["code"] == "idempotency_conflict"


def test_the_generic_reversal_refuses_a_convenants_entry_and_names_the_operation(api):  # noqa: F811
    client, headers = api
    entries = client.get("/api/v1/journal/entries", headers=headers["finance"]).json()["items"]
    signing = next(
        e for e in entries if e["memo"].startswith("Convenant ZWOLLE-II") or e["key"] == "sign"
    )
    response = client.post(
        f"/api/v1/journal/entries/{signing['sequence']}/reversal",
        json={"reason": "oops", "effective_on": "2024-12-01"},
        headers=headers["finance"],
    )
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "correct_through_domain"
    assert "/amendments" in body["detail"]
    assert (
        client.get("/api/v1/reports/tranches", headers=headers["finance"]).json()["ties_out"]
        is True
    )


def test_a_wijzigingsbeschikking_over_http_changes_the_listing(api):  # noqa: F811
    client, headers = api
    response = client.post(
        f"{N}/amendments",
        json={**W, "amount": "25000000.00", "effective_on": "2024-10-01"},
        headers=headers["finance"],
    )
    assert response.status_code == 201, response.text
    [row] = [
        b
        for b in client.get("/api/v1/beschikkingen", headers=headers["finance"]).json()["items"]
        if b["nummer"] == "RD-2024-001"
    ]
    assert row["amount"] == "25000000.00" and row["decided_amount"] == "30000000.00"


def test_a_region_withdraws_its_own_statement_and_hands_it_in_again(api):  # noqa: F811
    client, headers = api
    rows = [["RD-2024-001", "01-03-2025", "Factuur", "Rijk", "2.700,00", None, None, "F1"]]

    def upload(who):
        return client.post(
            f"{N}/statements?year=2025",
            headers=headers[who],
            files={"file": ("s.xlsx", openpyxl_workbook(rows), "application/octet-stream")},
        )

    first = upload("region")
    assert first.status_code == 201, first.text
    statement = first.json()["statement_id"]
    path = f"{N}/statements/{statement}/withdrawal"
    assert (
        client.post(path, json={"reason": "niet van ons"}, headers=headers["other"]).status_code
        == 404
    )
    assert (
        client.post(path, json={"reason": "kijken"}, headers=headers["auditor"]).status_code == 403
    )
    withdrawn = client.post(path, json={"reason": "verkeerd bestand"}, headers=headers["region"])
    assert withdrawn.status_code == 201, withdrawn.text
    figure = client.get(
        "/api/v1/sisa/2025/beschikkingen/RD-2024-001/indicators/02", headers=headers["auditor"]
    ).json()
    assert figure["figure"] == 0 and figure["statement_lines"] == []
    again = upload("region")
    assert again.status_code == 201 and again.json()["statement_id"] != statement
    twice = client.post(path, json={"reason": "nog eens"}, headers=headers["region"])
    assert (
        twice.status_code == 404 and twice.json()["code"] == "statement_not_found"
    )  # it no longer counts


def test_previews_by_anyone_record_nothing_and_a_submission_is_explicit(api):  # noqa: F811
    client, headers = api
    client.post(
        f"{N}/spending",
        json={
            **W,
            "year": 2025,
            "source": "rijk",
            "amount": "1000.00",
            "effective_on": "2025-02-01",
        },
        headers=headers["finance"],
    )
    for who in ("finance", "auditor", "region"):
        for output in ("json", "csv", "xlsx"):
            assert (
                client.get(f"/api/v1/sisa/2025?format={output}", headers=headers[who]).status_code
                == 200
            )
    assert submissions(client) == 0
    assert (
        client.post("/api/v1/sisa/2025/submissions", headers=headers["auditor"]).status_code == 403
    )
    made = client.post(
        "/api/v1/sisa/2025/submissions", headers={**headers["region"], "Idempotency-Key": "s1"}
    )
    assert made.status_code == 201, made.text
    [submission] = made.json()["submitted"]
    assert submission["recipient"] == "GM-ZWOLLE"
    replay = client.post(
        "/api/v1/sisa/2025/submissions", headers={**headers["region"], "Idempotency-Key": "s1"}
    )
    assert replay.headers["idempotent-replayed"] == "true" and submissions(client) == 1
    file = client.get(
        f"/api/v1/sisa/2025/submissions/{submission['id']}", headers=headers["auditor"]
    )
    assert file.status_code == 200 and file.content[:2] == b"PK"
    assert (
        client.get(
            f"/api/v1/sisa/2025/submissions/{submission['id']}", headers=headers["other"]
        ).status_code
        == 404
    )
    later = client.post(
        f"{N}/toelichting?year=2025", json={"text": "Te laat"}, headers=headers["region"]
    )
    assert later.status_code == 409 and later.json()["code"] == "already_submitted"


def test_a_region_sees_only_its_own_rows(api):  # noqa: F811
    client, headers = api
    client.post(
        f"{N}/spending",
        json={
            **W,
            "year": 2025,
            "source": "rijk",
            "amount": "1000.00",
            "effective_on": "2025-02-01",
        },
        headers=headers["finance"],
    )
    mine = client.get("/api/v1/sisa/2025", headers=headers["region"]).json()
    theirs = client.get("/api/v1/sisa/2025", headers=headers["other"]).json()
    assert [r["recipient"] for r in mine["rows"]] == ["GM-ZWOLLE"]
    assert theirs["rows"] == []
    assert (
        client.get("/api/v1/sisa/2025?recipient=GM-ZWOLLE", headers=headers["other"]).status_code
        == 404
    )


ANNEX = {
    "code": "RD-BZK",
    "name": "Regio Deals (BZK)",
    "source": "Regeling, Stcrt. (ingevoerd door Financiën)",
    "indicators": [
        {
            "number": "01",
            "text": "Beschikkingsnummer",
            "aard_controle": "n.v.t.",
            "field": "beschikkingsnummer",
        },
        {"number": "02", "text": "Besteding Rijk", "aard_controle": "R", "field": "rijk_year"},
        {
            "number": "03",
            "text": "Besteding regionaal (geld)",
            "aard_controle": "R",
            "field": "regional_cash_year",
        },
        {"number": "04", "text": "In natura", "aard_controle": "R", "field": "in_kind_year"},
        {
            "number": "05",
            "text": "Kopie beschikkingsnummer",
            "aard_controle": "n.v.t.",
            "field": "beschikkingsnummer_copy",
        },
        {
            "number": "06",
            "text": "Cumulatief Rijk",
            "aard_controle": "n.v.t.",
            "field": "rijk_cumulative",
        },
        {
            "number": "07",
            "text": "Cumulatief regionaal",
            "aard_controle": "n.v.t.",
            "field": "regional_cumulative",
        },
        {
            "number": "08",
            "text": "Eindverantwoording",
            "aard_controle": "n.v.t.",
            "field": "eindverantwoording",
        },
        {"number": "09", "text": "Toelichting", "aard_controle": "n.v.t.", "field": "toelichting"},
    ],
}


def test_finance_enters_the_annex_of_a_regeling_until_its_first_submission(api):  # noqa: F811
    client, headers = api
    finance = headers["finance"]
    regeling = {
        "code": "RD-BZK",
        "name": "Regio Deals 2022-2025",
        "ministry": "BZK",
        "source": "Kamerbrief",
    }
    assert client.post("/api/v1/regelingen", json=regeling, headers=finance).status_code == 201
    assigned = client.put(
        "/api/v1/tranches/T5/regeling",
        json={"regeling": "RD-BZK", "reason": "tranche 5 valt onder BZK"},
        headers=finance,
    )
    assert assigned.status_code == 201, assigned.text
    moved = client.put(
        "/api/v1/tranches/T5/regeling", json={"regeling": "RD-LNV", "reason": "x"}, headers=finance
    )
    assert moved.status_code == 404
    # An annex entered as before public and private money were apart (/03 both together).
    incomplete = {**ANNEX, "indicators": ANNEX["indicators"][:-1]}
    refused = client.put("/api/v1/sisa/2025/annexes/RD-BZK", json=incomplete, headers=finance)
    assert refused.status_code == 409 and refused.json()["code"] == "annex_incomplete"
    assert (
        client.put(
            "/api/v1/sisa/2025/annexes/RD-BZK", json=ANNEX, headers=headers["region"]
        ).status_code
        == 403
    )
    assert (
        client.put("/api/v1/sisa/2025/annexes/RD-BZK", json=ANNEX, headers=finance).status_code
        == 201
    )
    client.post(
        f"{N}/spending",
        json={
            **W,
            "year": 2025,
            "source": "rijk",
            "amount": "1000.00",
            "effective_on": "2025-02-01",
        },
        headers=finance,
    )
    preview = client.get("/api/v1/sisa/2025", headers=headers["auditor"]).json()
    assert preview["annex"]["code"] == "RD-BZK" and preview["annex"]["entered"] is True
    assert client.post("/api/v1/sisa/2025/submissions", headers=finance).status_code == 201
    late = client.put(
        "/api/v1/sisa/2025/annexes/RD-BZK", json={**ANNEX, "name": "anders"}, headers=finance
    )
    assert late.status_code == 409 and late.json()["code"] == "annex_in_use"


def test_the_rules_are_readable_by_everyone(api):  # noqa: F811
    client, headers = api
    rules = client.get("/api/v1/rules", headers=headers["region"]).json()
    assert {r["instrument"] for r in rules["instruments"]} == {"SPUK", "DU", "BU", "DO"}


def test_eindverantwoording_over_http_needs_a_toelichting_and_happens_once(api):  # noqa: F811
    client, headers = api
    client.post(
        f"{N}/spending",
        json={
            **W,
            "year": 2025,
            "source": "rijk",
            "amount": "1000.00",
            "effective_on": "2025-02-01",
        },
        headers=headers["finance"],
    )
    bare = client.post(f"{N}/final?year=2025", json={}, headers=headers["region"])
    assert bare.status_code == 409 and bare.json()["code"] == "toelichting_required"
    given = client.post(
        f"{N}/final?year=2025", json={"toelichting": "Eerder afgerond"}, headers=headers["region"]
    )
    assert given.status_code == 201
    second = client.post(
        f"{N}/final?year=2026", json={"toelichting": "Nog eens"}, headers=headers["region"]
    )
    assert second.status_code == 409 and second.json()["code"] == "already_final"
