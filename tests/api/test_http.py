"""The HTTP API over HTTP semantics: status codes, problem details, roles, retries."""

from datetime import date
from decimal import Decimal

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.http.users import add_user
from ledger.db.service import LedgerService
from ledger.regio.db.service import RegioService
from tests.scenarios.flow import zwolle_world

PROBLEM = "application/problem+json"


@pytest.fixture
def api(ledger: LedgerService):
    zwolle_world(RegioService(ledger.engine))
    tokens = {
        "finance": add_user(ledger.engine, "fo", "finance"),
        "auditor": add_user(ledger.engine, "acc", "auditor"),
        "region": add_user(ledger.engine, "zwolle", "region", "GM-ZWOLLE"),
        "other": add_user(ledger.engine, "overijssel", "region", "PV-OVERIJSSEL"),
    }
    url = ledger.engine.url.render_as_string(hide_password=False)
    with TestClient(create_app(url), raise_server_exceptions=False) as client:
        yield client, {role: {"Authorization": f"Bearer {token}"} for role, token in tokens.items()}


PAYMENT = {"amount": "1000.00", "paid_on": "2024-10-01", "reason": "eerste voorschot"}


def test_health_needs_no_token(api):
    client, _ = api
    assert client.get("/healthz").json() == {"status": "ok"}


@pytest.mark.parametrize(
    "headers", [{}, {"Authorization": "Bearer wrong"}, {"Authorization": "Basic abc"}]
)
def test_a_missing_or_wrong_token_is_401_with_a_problem(api, headers):
    client, _ = api
    response = client.get("/api/v1/beschikkingen", headers=headers)
    assert response.status_code == 401
    assert response.headers["content-type"] == PROBLEM
    assert response.headers["www-authenticate"] == "Bearer"
    assert response.json()["code"] == "unauthorized"


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("post", "/api/v1/beschikkingen/RD-2024-001/payments", {"finance"}),
        ("get", "/api/v1/reports/tranches", {"finance", "auditor"}),
        ("get", "/api/v1/journal/verify", {"finance", "auditor"}),
        ("get", "/api/v1/beschikkingen", {"finance", "auditor", "region", "other"}),
    ],
)
def test_the_role_matrix(api, method, path, allowed):
    client, headers = api
    for role, header in headers.items():
        kwargs = (
            {"json": PAYMENT, "headers": {**header, "Idempotency-Key": f"k-{role}"}}
            if method == "post"
            else {"headers": header}
        )
        response = getattr(client, method)(path, **kwargs)
        expected = (201 if method == "post" else 200) if role in allowed else 403
        assert response.status_code == expected, (role, response.text)


def test_a_region_sees_only_its_own_beschikkingen(api):
    client, headers = api
    assert [
        b["nummer"]
        for b in client.get("/api/v1/beschikkingen", headers=headers["region"]).json()["items"]
    ] == ["RD-2024-001"]
    assert client.get("/api/v1/beschikkingen", headers=headers["other"]).json()["items"] == []


def test_a_retried_payment_books_once_and_a_changed_one_is_refused(api, ledger):
    client, headers = api
    retry = {**headers["finance"], "Idempotency-Key": "pay-1"}
    first = client.post("/api/v1/beschikkingen/RD-2024-001/payments", json=PAYMENT, headers=retry)
    again = client.post("/api/v1/beschikkingen/RD-2024-001/payments", json=PAYMENT, headers=retry)
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    changed = client.post(
        "/api/v1/beschikkingen/RD-2024-001/payments",
        json={**PAYMENT, "amount": "2000.00"},
        headers=retry,
    )
    assert changed.status_code == 409 and changed.json()["code"] == "idempotency_conflict"
    assert ledger.balance("beschikking:RD-2024-001:paid").balance.amount == 1000


def test_refusals_are_problem_details_without_a_trace(api):
    client, headers = api
    over = client.post(
        "/api/v1/beschikkingen/RD-2024-001/payments",
        headers=headers["finance"],
        json={**PAYMENT, "amount": "30000000.01"},
    )
    assert over.status_code == 409 and over.headers["content-type"] == PROBLEM
    assert over.json()["code"] == "overpayment" and "Traceback" not in over.text
    missing = client.post(
        "/api/v1/beschikkingen/NOPE/payments", json=PAYMENT, headers=headers["finance"]
    )
    assert missing.status_code == 404 and missing.json()["code"] == "beschikking_not_found"
    floaty = client.post(
        "/api/v1/beschikkingen/RD-2024-001/payments",
        headers=headers["finance"],
        json={**PAYMENT, "amount": 10.5},
    )
    assert floaty.status_code == 422 and floaty.json()["code"] == "invalid_request"


def test_the_reconciliation_and_verify_answer_the_auditor(api):
    client, headers = api
    report = client.get(
        "/api/v1/reports/tranches",
        params={"as_of": date(2024, 12, 31).isoformat()},
        headers=headers["auditor"],
    )
    assert report.status_code == 200 and report.json()["ties_out"] is True
    assert client.get("/api/v1/journal/verify", headers=headers["auditor"]).json()["ok"] is True


def test_a_region_uploads_gets_its_errors_fixes_and_the_auditor_sees_the_figures(api, ledger):
    from tests.statements.builders import openpyxl_workbook

    client, headers = api
    template = client.get(
        "/api/v1/beschikkingen/RD-2024-001/statements/template",
        params={"year": 2025},
        headers=headers["region"],
    )
    assert template.status_code == 200 and template.content[:2] == b"PK"
    bad = [["RD-2024-001", "01-03-2025", "Factuur", "Rijk", "12,345", None, None, "F1"]]
    upload = {"file": ("opgave.xlsx", openpyxl_workbook(bad), "application/octet-stream")}
    refused = client.post(
        "/api/v1/beschikkingen/RD-2024-001/statements",
        params={"year": 2025},
        files=upload,
        headers=headers["region"],
    )
    assert refused.status_code == 422 and refused.headers["content-type"] == PROBLEM
    assert [(p["code"], p["cell"]) for p in refused.json()["problems"]] == [
        ("too_many_decimals", "E2")
    ]
    marked = client.get(refused.json()["errors_workbook"], headers=headers["region"])
    assert marked.status_code == 200 and marked.content[:2] == b"PK"
    good = [["RD-2024-001", "01-03-2025", "Factuur", "Rijk", "12,34", None, None, "F1"]]
    upload = {"file": ("opgave.xlsx", openpyxl_workbook(good), "application/octet-stream")}
    booked = client.post(
        "/api/v1/beschikkingen/RD-2024-001/statements",
        params={"year": 2025},
        files=upload,
        headers=headers["region"],
    )
    assert booked.status_code == 201, booked.text
    sisa = client.get("/api/v1/sisa/2025", headers=headers["auditor"])
    assert sisa.status_code == 200
    row = next(r for r in sisa.json()["rows"] if r["RD/01"] == "RD-2024-001")
    assert row["RD/02"] == 12
    behind = client.get(
        "/api/v1/sisa/2025/beschikkingen/RD-2024-001/indicators/02", headers=headers["auditor"]
    ).json()
    assert [line["reference"] for line in behind["statement_lines"]] == ["F1"]


def test_another_regions_beschikking_does_not_exist_for_it(api):
    client, headers = api
    for path in ("/api/v1/beschikkingen/RD-2024-001/statements/template?year=2025",):
        assert client.get(path, headers=headers["other"]).status_code == 404
    upload = {"file": ("x.xlsx", b"PK", "application/octet-stream")}
    response = client.post(
        "/api/v1/beschikkingen/RD-2024-001/statements",
        params={"year": 2025},
        files=upload,
        headers=headers["other"],
    )
    assert response.status_code == 404
    assert (
        client.post(
            "/api/v1/beschikkingen/RD-2024-001/final",
            params={"year": 2025},
            json={},
            headers=headers["auditor"],
        ).status_code
        == 403
    )


def test_the_journal_pages_and_reverses(api, ledger):
    client, headers = api
    page = client.get(
        "/api/v1/journal/entries", params={"limit": 2}, headers=headers["auditor"]
    ).json()
    assert [e["sequence"] for e in page["items"]] == [1, 2]
    assert page["next"] == "/api/v1/journal/entries?limit=2&after=2"
    payment = client.post(
        "/api/v1/beschikkingen/RD-2024-001/payments", json=PAYMENT, headers=headers["finance"]
    ).json()
    assert (
        client.post(
            f"/api/v1/journal/entries/{payment['entry']}/reversal",
            json={"reason": "x"},
            headers=headers["auditor"],
        ).status_code
        == 403
    )
    owned = client.post(
        f"/api/v1/journal/entries/{payment['entry']}/reversal",
        json={"reason": "verkeerde beschikking"},
        headers=headers["finance"],
    )
    assert owned.status_code == 409 and owned.json()["code"] == "correct_through_domain"
    corrected = client.post(
        f"/api/v1/beschikkingen/RD-2024-001/payments/{payment['entry']}/correction",
        json={"reason": "verkeerde beschikking", "effective_on": "2024-10-02"},
        headers=headers["finance"],
    )
    assert corrected.status_code == 201, corrected.text
    again = client.post(
        f"/api/v1/beschikkingen/RD-2024-001/payments/{payment['entry']}/correction",
        json={"reason": "nog eens", "effective_on": "2024-10-03"},
        headers=headers["finance"],
    )
    assert again.status_code == 409 and again.json()["code"] == "already_corrected"
    assert ledger.balance("beschikking:RD-2024-001:paid").balance.is_zero()


def test_the_generic_reversal_is_for_entries_of_the_ledger_alone(api, ledger):
    from ledger.accounts import Account, AccountKind
    from ledger.entries import JournalEntry, Posting
    from ledger.money import Money

    client, headers = api
    for code, kind in (("bank", AccountKind.ASSET), ("capital", AccountKind.EQUITY)):
        ledger.open_account(Account(code, code, kind), actor="test")
    entry = JournalEntry(
        "own-1",
        date(2024, 1, 2),
        "opening",
        "test",
        "opening balance",
        (
            Posting("bank", "debit", Money.of("5.00")),
            Posting("capital", "credit", Money.of("5.00")),
        ),
    )
    posted = ledger.post(entry)
    early = client.post(
        f"/api/v1/journal/entries/{posted.sequence}/reversal",
        json={"reason": "te vroeg", "effective_on": "2024-01-01"},
        headers=headers["finance"],
    )
    assert early.status_code == 409 and early.json()["code"] == "reversal_before_entry"
    reversal = client.post(
        f"/api/v1/journal/entries/{posted.sequence}/reversal",
        json={"reason": "fout"},
        headers=headers["finance"],
    )
    assert reversal.status_code == 201 and reversal.json()["reverses"] == "own-1"
    assert ledger.balance("bank").balance.is_zero()


def test_an_upload_over_the_size_limit_is_cut_off_with_413(api, monkeypatch):
    client, headers = api
    monkeypatch.setenv("REGIOLEDGER_STATEMENT_MAX_FILE_BYTES", "2048")
    upload = {"file": ("big.xlsx", b"PK" + b"\x00" * 300_000, "application/octet-stream")}
    response = client.post(
        "/api/v1/beschikkingen/RD-2024-001/statements",
        params={"year": 2025},
        files=upload,
        headers=headers["region"],
    )
    assert response.status_code == 413 and response.json()["code"] == "too_large"


@pytest.mark.today("2029-06-30")  # the whole life, to after the spending period
def test_a_finance_officer_runs_the_money_flow_over_http(api, ledger):
    client, headers = api
    fo = headers["finance"]
    w = {"reason": "convenant getekend", "source_document": "Stcrt. test"}
    assert (
        client.post(
            "/api/v1/organisations",
            json={"code": "GM-X", "name": "Gemeente X", "type": "gemeente"},
            headers=fo,
        ).status_code
        == 201
    )
    assert (
        client.post(
            "/api/v1/tranches/T6/shifts",
            json={**w, "to_tranche": "T5", "amount": "84000000.00", "effective_on": "2023-06-01"},
            headers=fo,
        ).status_code
        == 201
    )
    reserved = client.post(
        "/api/v1/tranches/T5/reservations",
        headers=fo,
        json={
            **w,
            "reservation": "T5-GRONINGEN",
            "name": "Groningen",
            "amount": "50000000.00",
            "effective_on": "2023-06-01",
        },
    )
    assert reserved.status_code == 201
    deal = {
        **w,
        "code": "X",
        "name": "Deal X",
        "tranche": "T5",
        "rijksbijdrage": "1000000.00",
        "signed_on": "2024-07-01",
        "ends_on": "2029-12-31",
        "pledges": [{"partner": "PV-OVERIJSSEL", "kind": "cash", "amount": "1000000.00"}],
    }
    keyed = {**fo, "Idempotency-Key": "deal-x"}
    signed = client.post("/api/v1/deals", json=deal, headers=keyed)
    assert signed.status_code == 201
    retried = client.post("/api/v1/deals", json=deal, headers=keyed)  # a retry: the first answer
    assert (retried.status_code, retried.json()) == (201, signed.json())
    assert retried.headers["idempotent-replayed"] == "true"
    again = client.post("/api/v1/deals", json=deal, headers=fo)  # no key: a new request, refused
    assert (again.status_code, again.json()["code"]) == (409, "deal_exists")
    grant = {
        **w,
        "nummer": "B-X",
        "deal": "X",
        "instrument": "SPUK",
        "recipient": "GM-X",
        "amount": "1000000.00",
        "decided_on": "2024-08-01",
        "spending_starts_on": "2024-08-01",
        "spending_ends_on": "2026-12-31",
    }
    assert client.post("/api/v1/beschikkingen", json=grant, headers=fo).status_code == 201
    waterschap = client.post(
        "/api/v1/beschikkingen",
        json={**grant, "nummer": "B-W", "recipient": "WS-DRENTS"},
        headers=fo,
    )
    assert (waterschap.status_code, waterschap.json()["code"]) == (
        409,
        "waterschap_not_regiokassier",
    )
    assert (
        client.post(
            "/api/v1/beschikkingen/B-X/payments",
            json={**PAYMENT, "amount": "600000.00"},
            headers=fo,
        ).status_code
        == 201
    )
    assert (
        client.post(
            "/api/v1/beschikkingen/B-X/extensions",
            json={**w, "new_end": "2027-12-31", "effective_on": "2026-11-01"},
            headers=fo,
        ).status_code
        == 201
    )
    assert (
        client.post(
            "/api/v1/beschikkingen/B-X/settlement",
            json={
                **w,
                "effective_on": "2028-02-01",
                "ambtshalve": "geen eindverantwoording ontvangen",
            },
            headers=fo,
        ).status_code
        == 201
    )
    assert (
        client.post(
            "/api/v1/beschikkingen/B-X/repayments",
            json={**w, "amount": "600000.00", "effective_on": "2028-03-01"},
            headers=fo,
        ).status_code
        == 201
    )
    assert ledger.balance("beschikking:B-X:recovered").balance.amount == 600000
    deals = client.get("/api/v1/deals", headers=headers["auditor"]).json()["items"]
    assert {d["code"] for d in deals} >= {"X", "ZWOLLE-II"}
    assert client.post("/api/v1/deals", json=deal, headers=headers["auditor"]).status_code == 403
    assert ledger.verify().ok


def test_a_retried_post_that_books_nothing_answers_once_and_a_reused_key_is_refused(api):
    client, headers = api
    keyed = {**headers["finance"], "Idempotency-Key": "org-1"}
    body = {"code": "GM-KAMPEN", "name": "Gemeente Kampen", "type": "gemeente"}
    first = client.post("/api/v1/organisations", json=body, headers=keyed)
    again = client.post("/api/v1/organisations", json=body, headers=keyed)
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json() == {"code": "GM-KAMPEN"}
    assert (
        "idempotent-replayed" not in first.headers
        and again.headers["idempotent-replayed"] == "true"
    )
    other = client.post("/api/v1/organisations", json={**body, "code": "GM-DRONTEN"}, headers=keyed)
    assert other.status_code == 409 and other.json()["code"] == "idempotency_conflict"
    listed = client.post(
        "/api/v1/organisations", json={**body, "code": "GM-DRONTEN"}, headers=headers["finance"]
    )
    assert listed.status_code == 201  # the refused request changed nothing: it can be made anew


def test_a_reused_key_with_another_file_does_not_replace_the_first_statement(api, ledger):
    from tests.statements.builders import openpyxl_workbook

    client, headers = api
    keyed = {**headers["region"], "Idempotency-Key": "upload-1"}

    def workbook(amount: str) -> bytes:  # made once per amount: a workbook carries its save time
        return openpyxl_workbook(
            [["RD-2024-001", "01-03-2025", "Factuur", "Rijk", amount, None, None, "F1"]]
        )

    def send(content: bytes):
        return client.post(
            "/api/v1/beschikkingen/RD-2024-001/statements",
            params={"year": 2025},
            files={"file": ("opgave.xlsx", content, "application/octet-stream")},
            headers=keyed,
        )

    ten = workbook("10,00")
    first = send(ten)
    assert first.status_code == 201, first.text
    assert send(ten).json() == first.json()
    changed = send(workbook("99,00"))
    assert changed.status_code == 409 and changed.json()["code"] == "idempotency_conflict"
    spent = ledger.balance("beschikking:RD-2024-001:spent:2025:rijk").balance.amount
    assert spent == 10


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/api/v1/organisations", {"code": "GM\u0000X", "name": "x", "type": "gemeente"}),
        ("/api/v1/beschikkingen/RD%002024/payments", PAYMENT),
        ("/api/v1/beschikkingen/RD-2024-001/payments", {**PAYMENT, "reason": "esc \u001b[31m"}),
    ],
)
def test_control_characters_are_refused_at_the_door(api, ledger, path, body):
    client, headers = api
    before = ledger.verify().entries_checked
    response = client.post(path, json=body, headers=headers["finance"])
    assert response.status_code == 422 and response.headers["content-type"] == PROBLEM
    where = {
        p.get("location") or p["details"].get("parameter") for p in response.json()["problems"]
    }
    assert where & {"body.code", "nummer", "body.reason"}  # the refusal names the field
    assert ledger.verify().entries_checked == before


def test_an_envelope_that_ends_before_it_starts_is_refused_with_its_reason(api):
    client, headers = api
    body = {
        "code": "E-X",
        "name": "x",
        "amount": "10.00",
        "starts_on": "2030-01-01",
        "ends_on": "2020-01-01",
        "reason": "test",
    }
    response = client.post("/api/v1/envelopes", json=body, headers=headers["finance"])
    assert response.status_code == 409 and response.json()["code"] == "invalid_period"


def test_a_huge_entry_number_is_a_422_not_a_crash(api):
    client, headers = api
    response = client.get(f"/api/v1/journal/entries/{2**70}", headers=headers["finance"])
    assert response.status_code == 422 and response.headers["content-type"] == PROBLEM


def test_the_reconciliation_comes_as_a_workbook_with_the_same_figures(api):
    from io import BytesIO

    from openpyxl import load_workbook

    client, headers = api
    document = client.get("/api/v1/reports/tranches", headers=headers["auditor"]).json()
    response = client.get(
        "/api/v1/reports/tranches",
        params={"format": "xlsx", "lang": "en"},
        headers=headers["auditor"],
    )
    assert response.status_code == 200 and response.content[:2] == b"PK"
    assert response.headers["content-type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(BytesIO(response.content))
    for envelope in document["envelopes"]:
        sheet = book[envelope["code"]]
        assert Decimal(str(sheet["B5"].value)) == Decimal(envelope["amount"])
        assert [sheet.cell(11 + i, 1).value for i in range(len(envelope["tranches"]))] == [
            f"{t['name']} ({t['code']})" for t in envelope["tranches"]
        ]
    assert (
        client.get(
            "/api/v1/reports/tranches", params={"format": "pdf"}, headers=headers["auditor"]
        ).status_code
        == 422
    )


def test_the_deal_report_as_json_workbook_and_page(api):
    from io import BytesIO

    from openpyxl import load_workbook

    client, headers = api
    client.post(
        "/api/v1/beschikkingen/RD-2024-001/payments", json=PAYMENT, headers=headers["finance"]
    )
    document = client.get("/api/v1/reports/deals/ZWOLLE-II", headers=headers["auditor"]).json()
    assert (document["rijksbijdrage"], document["paid"], document["programme_lines"]) == (
        "30000000.00",
        "1000.00",
        ["A", "B"],
    )
    workbook = client.get(
        "/api/v1/reports/deals/ZWOLLE-II", params={"format": "xlsx"}, headers=headers["auditor"]
    )
    sheet = load_workbook(BytesIO(workbook.content)).active
    assert (sheet["B4"].value, sheet["B6"].value) == (30000000, 1000)
    page = client.get(
        "/api/v1/reports/deals/ZWOLLE-II",
        params={"format": "html", "lang": "en"},
        headers=headers["auditor"],
    )
    assert page.headers["content-type"].startswith("text/html") and "€1,000.00" in page.text
    assert client.get("/api/v1/reports/deals/NOPE", headers=headers["auditor"]).status_code == 404
    # the deal's own region reads its voortgang; another region does not know the deal
    own = client.get("/api/v1/reports/deals/ZWOLLE-II", headers=headers["region"])
    assert own.status_code == 200 and own.json()["paid"] == "1000.00"
    other = client.get("/api/v1/reports/deals/ZWOLLE-II", headers=headers["other"])
    assert other.status_code == 404


def test_the_kept_reconciliation_follows_every_write(api):
    client, headers = api

    def tranche_t5() -> dict:
        document = client.get("/api/v1/reports/tranches", headers=headers["auditor"]).json()
        return next(t for e in document["envelopes"] for t in e["tranches"] if t["code"] == "T5")

    first = tranche_t5()
    assert tranche_t5() == first  # read twice, nothing written: the same answer
    client.post(
        "/api/v1/beschikkingen/RD-2024-001/payments", json=PAYMENT, headers=headers["finance"]
    )
    assert Decimal(tranche_t5()["paid"]) == Decimal(first["paid"]) + Decimal(
        "1000.00"
    )  # a booking shows at once
    opened = client.post(
        "/api/v1/tranches",
        json={"code": "T9", "envelope": "RE-2022", "name": "Tranche 9"},
        headers=headers["finance"],
    )
    assert opened.status_code == 201
    document = client.get("/api/v1/reports/tranches", headers=headers["auditor"]).json()
    assert "T9" in {
        t["code"] for e in document["envelopes"] for t in e["tranches"]
    }  # so does a write that books nothing


def test_a_libreoffice_workbook_with_errors_then_fixed_and_the_auditor_sees_it(api):
    """The full flow with files LibreOffice wrote (see tests/api/fixtures/README.md)."""
    from pathlib import Path

    client, headers = api
    fixtures = Path(__file__).parent / "fixtures"

    def upload(name: str):
        content = (fixtures / name).read_bytes()
        return client.post(
            "/api/v1/beschikkingen/RD-2024-001/statements",
            params={"year": 2025},
            files={
                "file": (
                    name,
                    content,
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                )
            },
            headers=headers["region"],
        )

    refused = upload("libreoffice-with-errors.xlsx")
    assert refused.status_code == 422 and refused.headers["content-type"] == PROBLEM
    assert sorted((p["code"], p["cell"]) for p in refused.json()["problems"]) == [
        ("too_many_decimals", "E2"),
        ("unknown_source", "D3"),
    ]
    marked = client.get(refused.json()["errors_workbook"], headers=headers["region"])
    assert marked.status_code == 200 and marked.content[:2] == b"PK"
    booked = upload("libreoffice-fixed.xlsx")
    assert booked.status_code == 201, booked.text
    rows = client.get("/api/v1/sisa/2025", headers=headers["auditor"]).json()["rows"]
    row = next(r for r in rows if r["RD/01"] == "RD-2024-001")
    assert row["RD/02"] == 12346  # whole euros in SiSa: 12,345.67 rounded half away from zero
    behind = client.get(
        "/api/v1/sisa/2025/beschikkingen/RD-2024-001/indicators/02", headers=headers["auditor"]
    ).json()
    assert [line["reference"] for line in behind["statement_lines"]] == ["LO-1"]
