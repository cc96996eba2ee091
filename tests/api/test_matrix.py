"""Every endpoint × every role × own or other organisation: the expected status of each."""

import threading

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from ledger.db.service import LedgerService
from tests.api.test_http import PAYMENT, api  # noqa: F401 - the fixture
from tests.statements.builders import GOOD_ROWS, openpyxl_workbook

W = {"reason": "test"}
ARTICLE = {"code": "VII-2", "ministry": "BZK", "chapter": "VII", "number": "2", "name": "RD"}
LINES = [{"year": 2024, "side": "uitgaven", "amount": "1.00"}]
IDENTITY = {"issuer": "https://login.example.nl", "identity": {"kind": "subject", "subject": "u1"}}
N = "/api/v1/beschikkingen/RD-2024-001"
# (method, path, body, expected status per role: finance, auditor, region (own), other (another region))
MATRIX = [
    ("get", "/api/v1/beschikkingen", None, (200, 200, 200, 200)),
    ("get", "/api/v1/deals", None, (200, 200, 200, 200)),  # a region: the deals it is paid for
    ("get", "/api/v1/reports/tranches", None, (200, 200, 403, 403)),
    ("get", "/api/v1/reports/budget?year=2024", None, (200, 200, 403, 403)),
    ("get", "/api/v1/identities", None, (200, 200, 403, 403)),
    (
        "post",
        "/api/v1/identities",
        {**W, **IDENTITY, "role": "auditor"},
        (201, 403, 403, 403),
    ),
    (  # nothing mapped yet: the finance officer is told so, the others are refused
        "post",
        "/api/v1/identities/revocations",
        {**W, **IDENTITY},
        (409, 403, 403, 403),
    ),
    (
        "post",
        "/api/v1/budget/articles",
        {**ARTICLE, "reason": "test", "source_document": "Begroting"},
        (201, 403, 403, 403),
    ),
    (
        "post",
        f"{N}/payment-schedules",
        {
            **W,
            "effective_on": "2024-09-01",
            "plan": {"kind": "yearly", "count": 2, "first_due": "2024-10-01"},
        },
        (201, 403, 403, 403),
    ),
    (  # no such article in this world: the finance officer is told so, the others are refused
        "post",
        "/api/v1/budget/articles/NOPE/mutations",
        {**W, "kind": "initial", "name": "B", "effective_on": "2024-01-01", "lines": LINES},
        (404, 403, 403, 403),
    ),
    ("get", "/api/v1/journal/entries", None, (200, 200, 403, 403)),
    ("get", "/api/v1/journal/export?format=hledger", None, (200, 200, 403, 403)),
    ("get", "/api/v1/journal/entries/1", None, (200, 200, 403, 403)),
    ("get", "/api/v1/journal/verify", None, (200, 200, 403, 403)),
    ("get", "/api/v1/audit/trail", None, (200, 200, 403, 403)),
    ("get", "/api/v1/sisa/2025", None, (200, 200, 200, 200)),  # a region: its own rows
    ("get", "/api/v1/rules", None, (200, 200, 200, 200)),
    ("get", "/api/v1/sisa/2025/movements", None, (200, 200, 403, 403)),
    (
        "get",
        "/api/v1/sisa/2025/beschikkingen/RD-2024-001/indicators/02",
        None,
        (200, 200, 403, 403),
    ),
    ("get", f"{N}/statements/template?year=2025", None, (200, 200, 200, 404)),
    # the reads: a region reads what is its own and nothing of another's (404, not revealed)
    ("get", "/api/v1/envelopes", None, (200, 200, 403, 403)),
    ("get", "/api/v1/envelopes/RE-2022", None, (200, 200, 403, 403)),
    ("get", "/api/v1/tranches", None, (200, 200, 403, 403)),
    ("get", "/api/v1/tranches/T5?as_of=2024-12-31", None, (200, 200, 403, 403)),
    ("get", "/api/v1/deals/ZWOLLE-II", None, (200, 200, 200, 404)),
    ("get", "/api/v1/reports/deals/ZWOLLE-II", None, (200, 200, 200, 404)),
    ("get", "/api/v1/reports/underspending", None, (200, 200, 200, 200)),  # a region: its own
    ("get", N, None, (200, 200, 200, 404)),
    ("get", f"{N}/payments", None, (200, 200, 200, 404)),
    ("get", f"{N}/statements", None, (200, 200, 200, 404)),
    ("get", f"{N}/statements/st-nope", None, (404, 404, 404, 404)),
    ("get", f"{N}/statements/st-nope/file", None, (404, 404, 404, 404)),
    ("get", "/api/v1/organisations", None, (200, 200, 200, 200)),
    ("get", "/api/v1/organisations/GM-ZWOLLE", None, (200, 200, 200, 404)),
    ("get", "/api/v1/published-figures", None, (200, 200, 200, 200)),
    ("get", "/api/v1/sisa/2025/status", None, (200, 200, 200, 200)),
    ("get", "/api/v1/sisa/2025/status?recipient=GM-ZWOLLE", None, (200, 200, 200, 404)),
    ("get", "/api/v1/sisa/2025/submissions", None, (200, 200, 200, 200)),
    ("get", "/api/v1/reconciliations", None, (200, 200, 403, 403)),
    ("post", "/api/v1/reconciliations", "RECORD", (201, 403, 403, 403)),
    ("get", "/api/v1/reconciliations/rec-00000000000000000000", None, (404, 404, 403, 403)),
    (
        "get",
        "/api/v1/reconciliations/rec-00000000000000000000/workbook",
        None,
        (404, 404, 403, 403),
    ),
    ("get", "/api/v1/reconciliations/rec-00000000000000000000/file", None, (404, 404, 403, 403)),
    ("post", f"{N}/payments", PAYMENT, (201, 403, 403, 403)),
    (
        "post",
        f"{N}/extensions",
        {**W, "new_end": "2028-06-30", "effective_on": "2027-11-01"},
        (201, 403, 403, 403),
    ),
    (
        "post",
        "/api/v1/organisations",
        {"code": "GM-Y", "name": "Y", "type": "gemeente"},
        (201, 403, 403, 403),
    ),
    (
        "post",
        "/api/v1/tranches/T6/shifts",
        {**W, "to_tranche": "T5", "amount": "1.00", "effective_on": "2023-06-01"},
        (201, 403, 403, 403),
    ),
    ("post", f"{N}/statements?year=2025", "FILE", (201, 403, 201, 404)),
    ("post", f"{N}/final?year=2027", {"toelichting": "Minder besteed"}, (201, 403, 201, 404)),
    ("post", f"{N}/toelichting?year=2025", {"text": "Toelichting"}, (201, 403, 201, 404)),
    (
        "post",
        "/api/v1/sisa/2024/submissions",
        None,
        (201, 403, 201, 409),
    ),  # the other region has no rows
    (
        "post",
        f"{N}/amendments",
        {**W, "amount": "29000000.00", "effective_on": "2024-10-01"},
        (201, 403, 403, 403),
    ),
    (
        "post",
        "/api/v1/deals/ZWOLLE-II/extensions",
        {**W, "new_end": "2029-06-30", "effective_on": "2025-01-01"},
        (201, 403, 403, 403),
    ),
    (
        "post",
        "/api/v1/tranches/T6/additions",
        {**W, "amount": "1000.00", "effective_on": "2024-01-01"},
        (201, 403, 403, 403),
    ),
    (
        "post",
        "/api/v1/envelopes/RE-2022/set-asides",
        {
            **W,
            "purpose": "UITVOERINGSKOSTEN",
            "name": "Uitvoeringskosten",
            "amount": "1000.00",
            "effective_on": "2024-01-01",
        },
        (201, 403, 403, 403),
    ),
    (
        "post",
        "/api/v1/tranches/T6/article-transfers",
        {**W, "name": "Voorjaarsnota 2024", "amount": "1000.00", "effective_on": "2024-05-07"},
        (201, 403, 403, 403),
    ),
    (
        "post",
        f"{N}/spending",
        {**W, "year": 2025, "source": "rijk", "amount": "10.00", "effective_on": "2025-02-01"},
        (201, 403, 403, 403),
    ),
    (
        "post",
        "/api/v1/regelingen",
        {"code": "RD-BZK", "name": "Regio Deals", "ministry": "BZK", "source": "brief"},
        (201, 403, 403, 403),
    ),
    (
        "post",
        "/api/v1/sisa/2025/findings",
        {
            "beschikking": "RD-2024-001",
            "indicator": "rijk_year",
            "kind": "onzekerheid",
            "amount": "100.00",
            "toelichting": "bewijs ontbreekt",
        },
        (201, 201, 403, 403),  # the accountant's (an auditor) and finance's
    ),
    (
        "put",
        "/api/v1/sisa/2025/correction-deadline",
        {"until": "2026-10-01", "source": "Procedure aanlevering SiSa, hoofdstuk 3.2"},
        (201, 403, 403, 403),
    ),
]


@pytest.mark.parametrize(
    ("method", "path", "body", "expected"), MATRIX, ids=[f"{m} {p}" for m, p, _, _ in MATRIX]
)
@pytest.mark.today("2029-06-30")  # the whole life, to after the spending period
def test_role_matrix(api, method, path, body, expected):  # noqa: F811
    client, headers = api
    roles = ("finance", "auditor", "region", "other")
    for number, (role, status) in enumerate(zip(roles, expected, strict=True)):
        kwargs: dict = {"headers": {**headers[role], "Idempotency-Key": f"matrix-{role}"}}
        if body == "FILE":
            rows = [list(r) for r in GOOD_ROWS]
            rows[0][4] = 1000 + number  # a different file per role, so each upload is a real one
            kwargs["files"] = {
                "file": ("o.xlsx", openpyxl_workbook(rows), "application/octet-stream")
            }
        elif body == "RECORD":
            record = "Beschikkingsnummer;Soort;Datum;Bedrag\nRD-2024-001;verplichting;01-09-2024;30.000.000,00\n"
            kwargs["files"] = {"file": ("kas.csv", record.encode(), "text/csv")}
        elif body is not None:
            kwargs["json"] = body
        response = getattr(client, method)(path, **kwargs)
        if path.endswith("final?year=2027") and role == "region" and expected[0] == 201:
            status = (
                201 if response.status_code == 201 else 409
            )  # the officer marked it final already
            assert response.status_code in (201, 409)
            continue
        assert response.status_code == status, (role, response.text)


@pytest.mark.postgresql
def test_parallel_identical_payments_book_once(postgres_url):
    from api.http.users import add_user
    from ledger.regio.db.service import RegioService
    from tests.scenarios.flow import OFFICER, build_world, zwolle_beschikking, zwolle_deal

    ledger = LedgerService.from_url(postgres_url)
    regio = RegioService(ledger.engine)
    build_world(regio)
    regio.sign_deal(zwolle_deal(), key="sign", who=OFFICER)
    regio.grant(zwolle_beschikking(), key="grant", who=OFFICER)
    token = add_user(ledger.engine, "fo", "finance")
    statuses: list[int] = []
    with TestClient(create_app(postgres_url), raise_server_exceptions=False) as client:
        start = threading.Barrier(6)

        def pay() -> None:
            start.wait()
            response = client.post(
                f"{N}/payments",
                json=PAYMENT,
                headers={"Authorization": f"Bearer {token}", "Idempotency-Key": "same"},
            )
            statuses.append(response.status_code)

        threads = [threading.Thread(target=pay) for _ in range(6)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert statuses == [201] * 6
    assert ledger.balance("beschikking:RD-2024-001:paid").balance.amount == 1000
    assert ledger.verify().ok
    ledger.engine.dispose()
