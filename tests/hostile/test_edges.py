"""The edges of the service, one behaviour each: bodies cut off while they stream, one length
limit per text on both databases, the region's workbook handed back without live formulas,
tokens that expire and can be revoked, dashboard sessions that are not tokens, statement ids
that tell nothing, and the headers of every page a browser renders."""

import asyncio
import io
import re
import zipfile
from datetime import UTC, date, datetime, timedelta

import httpx
import openpyxl
import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.http.bodies import JSON_LIMIT, BodyLimit
from api.http.deps import SignedInUsers
from api.http.users import add_user, list_users, revoke, rotate, user_for_token
from api.statements.service import import_statement
from api.statements.workbooks import errors_workbook
from ledger.db.service import LedgerService
from ledger.errors import LedgerError
from ledger.regio.db.service import RegioService
from ledger.regio.model import Organisation, OrganisationType
from sisa.export import neutral
from tests import server
from tests.scenarios.flow import zwolle_world
from tests.statements.builders import GOOD_ROWS, openpyxl_workbook, xlsxwriter_workbook

NUMMER = "RD-2024-001"
PROBLEM = "application/problem+json"


@pytest.fixture
def world(ledger: LedgerService):
    zwolle_world(RegioService(ledger.engine), paid="10000000.00")
    return ledger


@pytest.fixture
def api(world, database_url):
    tokens = {
        "finance": add_user(world.engine, "fo", "finance"),
        "region": add_user(world.engine, "zwolle", "region", "GM-ZWOLLE"),
        "auditor": add_user(world.engine, "acc", "auditor"),
    }
    with TestClient(create_app(database_url), raise_server_exceptions=False) as client:
        yield client, {role: {"Authorization": f"Bearer {token}"} for role, token in tokens.items()}


# --- bodies ----------------------------------------------------------------------------------


def test_a_streamed_body_is_cut_at_the_limit_and_nothing_beyond_it_is_read():
    """At the ASGI level: the middleware stops pulling the body once it passes the limit, and
    answers 413 before the app has seen any of it as a whole."""
    pulled, sent = [], []

    async def app(scope, receive, send):  # reads the whole body, as a form parser would
        while (await receive()).get("more_body"):
            pass
        raise AssertionError("the app read past the limit")

    async def receive():
        pulled.append(64 * 1024)
        return {"type": "http.request", "body": b"x" * (64 * 1024), "more_body": True}

    async def send(message):
        sent.append(message)

    limited = BodyLimit(app, upload_limit=10 * 1024 * 1024)
    scope = {"type": "http", "method": "POST", "path": "/api/v1/deals", "headers": []}
    with pytest.raises(Exception) as cut:  # the refusal travels up to the exception handler
        asyncio.run(limited(scope, receive, send))
    assert getattr(cut.value, "status_code", None) == 413
    assert sum(pulled) <= JSON_LIMIT + 64 * 1024  # never more than one chunk past the limit


def test_an_upload_without_content_length_is_refused_while_it_streams(
    world, database_url, monkeypatch
):
    """Over a real server: a chunked upload larger than the limit gets 413 (or the connection is
    closed under it), the server stays up, and nothing is booked."""
    monkeypatch.setenv("REGIOLEDGER_STATEMENT_MAX_FILE_BYTES", str(256 * 1024))
    token = add_user(world.engine, "zwolle", "region", "GM-ZWOLLE")
    before = world.verify().entries_checked

    def chunks():
        yield b'--b\r\nContent-Disposition: form-data; name="file"; filename="x.xlsx"\r\n\r\n'
        for _ in range(64):
            yield b"x" * (64 * 1024)  # 4 MB in all, far past the 256 KB limit
        yield b"\r\n--b--\r\n"

    with server.running(database_url) as base:
        try:
            response = httpx.post(
                f"{base}/api/v1/beschikkingen/{NUMMER}/statements",
                params={"year": 2025},
                content=chunks(),
                timeout=60,
                headers={
                    "Authorization": f"Bearer {token}",
                    "Content-Type": "multipart/form-data; boundary=b",
                },
            )
            assert response.status_code == 413 and response.json()["code"] == "too_large"
        except httpx.TransportError:
            pass  # the server answered 413 and closed the connection while the client still sent
        assert httpx.get(f"{base}/healthz").status_code == 200
    assert world.verify().entries_checked == before


# --- one length limit, the same on both databases -----------------------------------------------


def test_the_longest_allowed_texts_are_booked_on_both_databases(api, world):
    client, headers = api
    key = "k" * 64
    paid = client.post(
        f"/api/v1/beschikkingen/{NUMMER}/payments",
        headers={**headers["finance"], "Idempotency-Key": key},
        json={"amount": "1.00", "paid_on": "2025-01-10", "reason": "r" * 2000},
    )
    assert paid.status_code == 201, paid.text
    deal = {
        "code": "D" * 64,
        "name": "n" * 300,
        "tranche": "T6",
        "rijksbijdrage": "1.00",
        "signed_on": "2024-07-01",
        "ends_on": "2029-12-31",
        "reason": "x",
        "programme_lines": ["p" * 100],
    }
    signed = client.post("/api/v1/deals", json=deal, headers=headers["finance"])
    assert signed.status_code == 201, signed.text
    one_more = client.post(
        "/api/v1/deals",
        headers=headers["finance"],
        json={**deal, "code": "D2", "programme_lines": ["p" * 101]},
    )
    assert one_more.status_code == 422 and one_more.json()["problems"][0]["location"].startswith(
        "body.programme_lines"
    )
    assert world.verify().ok


# --- identifiers and text, in the domain too ------------------------------------------------


def test_the_domain_refuses_a_code_outside_the_grammar_whoever_calls(world):
    with pytest.raises(LedgerError) as refused:
        RegioService(world.engine).add_organisation(
            Organisation("RD/2025/001", "x", OrganisationType.GEMEENTE)
        )
    assert refused.value.code == "invalid_identifier"


def test_a_csv_cell_that_starts_with_a_tab_or_carriage_return_is_never_a_formula():
    assert neutral("\t=1+1") == "'\t=1+1" and neutral("\r=1+1") == "'\r=1+1"
    assert neutral("Zwolle") == "Zwolle"


def test_dashboard_links_are_url_encoded():
    from reports.html import render

    page = render("beschikkingen.html", "nl", user=None, beschikkingen=[_Named("A B?x=1")])
    assert 'href="/dashboard/beschikkingen/A%20B%3Fx%3D1?lang=nl"' in page


class _Named:
    def __init__(self, nummer: str):
        from ledger.money import Money
        from ledger.regio.model import Instrument

        self.nummer, self.deal, self.recipient = nummer, "D", "GM"
        self.instrument, self.amount = Instrument.SPUK, Money.of("1")


# --- the errors workbook -------------------------------------------------------------------


def test_the_errors_workbook_carries_values_never_live_formulas(world):
    rows = [
        *GOOD_ROWS,
        ["RD-2024-001", "01-03-2025", "Factuur", "Rijk", "12,345", None, None, "F9"],
    ]
    content = xlsxwriter_workbook(
        rows, formulas=True, inject='=HYPERLINK("http://x.invalid","klik")'
    )
    assert b"<f>" in zipfile.ZipFile(io.BytesIO(content)).read(
        "xl/worksheets/sheet1.xml"
    )  # the region's has them
    result = import_statement(
        world.engine, NUMMER, 2025, content, filename="x.xlsx", uploader="GM-ZWOLLE"
    )
    assert not result.is_booked
    marked = errors_workbook(content, result.problems)
    archive = zipfile.ZipFile(io.BytesIO(marked))
    for part in archive.namelist():
        if part.startswith("xl/worksheets/"):
            assert b"<f>" not in archive.read(part) and b"<f " not in archive.read(part), part
    sheet = openpyxl.load_workbook(io.BytesIO(marked))["BESTEDINGEN"]  # the region's own sheet name
    assert not any(cell.data_type == "f" for line in sheet.iter_rows() for cell in line)
    assert sheet["E4"].value == 125000.5  # the formula's value, as the region saw it


# --- tokens and sessions -----------------------------------------------------------------------


def test_an_expired_token_is_refused_at_once(world):
    past = datetime.now(UTC) - timedelta(days=2)
    token = add_user(world.engine, "old", "auditor", clock=lambda: past, lifetime=timedelta(days=1))
    assert user_for_token(world.engine, token) is None
    assert list_users(world.engine)[0].token == "expired"


def test_a_revoked_token_is_refused_when_the_cache_forgets_it(api, world, database_url):
    client, headers = api
    assert client.get("/api/v1/journal/verify", headers=headers["auditor"]).status_code == 200
    assert revoke(world.engine, "acc", actor="test") == 1
    client.app.state.signed_in = SignedInUsers(ttl=0)  # the 30-second cache, run out
    refused = client.get("/api/v1/journal/verify", headers=headers["auditor"])
    assert refused.status_code == 401 and refused.json()["code"] == "unauthorized"


def test_rotating_a_token_revokes_the_old_one(world):
    old = add_user(world.engine, "fo2", "finance")
    new = rotate(world.engine, "fo2", actor="test")
    assert (
        user_for_token(world.engine, old) is None
        and user_for_token(world.engine, new).name == "fo2"
    )


def test_the_users_commands_list_revoke_and_rotate(world, database_url):
    from typer.testing import CliRunner

    from api.cli.main import app

    runner = CliRunner()
    added = runner.invoke(
        app,
        [
            "users",
            "add",
            "clerk",
            "--role",
            "auditor",
            "--expires-in",
            "12h",
            "--database",
            database_url,
        ],
    )
    assert added.exit_code == 0, added.output
    token = added.output.strip().splitlines()[-1]
    listed = runner.invoke(app, ["users", "list", "--database", database_url])
    assert re.search(r"clerk\s+auditor\s+-\s+token active until", listed.output)
    rotated = runner.invoke(app, ["users", "rotate", "clerk", "--database", database_url])
    assert rotated.exit_code == 0 and user_for_token(world.engine, token) is None
    revoked = runner.invoke(app, ["users", "revoke", "clerk", "--database", database_url])
    assert revoked.exit_code == 0 and "revoked" in revoked.output
    assert (
        "token revoked" in runner.invoke(app, ["users", "list", "--database", database_url]).output
    )
    twice = runner.invoke(
        app, ["users", "add", "clerk", "--role", "auditor", "--database", database_url]
    )
    assert twice.exit_code == 1 and "user_exists" in twice.output


def test_the_dashboard_cookie_is_a_session_that_signing_out_ends(api):
    client, headers = api
    token = headers["finance"]["Authorization"].split()[1]
    here = {"Origin": "http://testserver"}
    signed_in = client.post(
        "/dashboard/signin", data={"token": token}, headers=here, follow_redirects=False
    )
    assert signed_in.status_code == 303
    session = signed_in.cookies["regioledger_session"]
    assert session and session != token
    assert client.get("/dashboard", follow_redirects=False).status_code == 200
    client.post("/dashboard/signout", headers=here, follow_redirects=False)
    client.cookies.set(
        "regioledger_session", session, path="/dashboard"
    )  # the old cookie, kept by a thief
    assert (
        "/dashboard/signin" in client.get("/dashboard", follow_redirects=False).headers["location"]
    )


def test_sign_in_and_out_from_another_site_are_refused(api):
    client, headers = api
    token = headers["finance"]["Authorization"].split()[1]
    for origin in ({"Origin": "https://evil.example"}, {}):
        forged = client.post(
            "/dashboard/signin", data={"token": token}, headers=origin, follow_redirects=False
        )
        assert forged.status_code == 403 and "regioledger_session" not in forged.cookies
    assert (
        client.post("/dashboard/signout", headers={"Origin": "https://evil.example"}).status_code
        == 403
    )


def test_the_html_deal_report_and_the_docs_carry_the_pages_headers(api):
    client, headers = api
    report = client.get(
        "/api/v1/reports/deals/ZWOLLE-II", params={"format": "html"}, headers=headers["finance"]
    )
    docs = client.get("/docs")
    for page in (report, docs):
        assert page.status_code == 200, page.text[:200]
        assert (
            "script-src" not in page.headers["content-security-policy"]
        )  # default-src 'none': no script
        assert (
            page.headers["x-frame-options"] == "DENY"
            and page.headers["x-content-type-options"] == "nosniff"
        )
    assert (
        "<script" not in docs.text
        and "cdn" not in docs.text.lower()
        and "/api/v1/deals" in docs.text
    )


# --- statement ids and conflicts ---------------------------------------------------------------


def test_statement_ids_tell_nothing_about_other_uploads(api):
    client, headers = api
    ids = []
    for number in range(3):
        bad = [[NUMMER, "01-03-2025", f"Factuur {number}", "Rijk", "12,345", None, None, "F1"]]
        refused = client.post(
            f"/api/v1/beschikkingen/{NUMMER}/statements",
            params={"year": 2025},
            headers=headers["region"],
            files={"file": ("x.xlsx", openpyxl_workbook(bad))},
        )
        ids.append(refused.json()["statement_id"])
        assert (
            client.get(refused.json()["errors_workbook"], headers=headers["region"]).status_code
            == 200
        )
    assert all(re.fullmatch(r"st-[0-9a-f]{20}", i) for i in ids) and len(set(ids)) == 3
    counted = client.get(
        f"/api/v1/beschikkingen/{NUMMER}/statements/1/errors.xlsx", headers=headers["region"]
    )
    assert counted.status_code == 404  # the old counter finds nothing


def test_refusals_about_things_that_exist_are_409(api, world):
    client, headers = api
    finance = headers["finance"]
    tranche = client.post(
        "/api/v1/tranches",
        json={"code": "T5", "envelope": "RE-2022", "name": "Een andere naam"},
        headers=finance,
    )
    assert (tranche.status_code, tranche.json()["code"]) == (409, "tranche_exists")
    final = client.post(
        f"/api/v1/beschikkingen/{NUMMER}/final",
        params={"year": 2025},
        json={"toelichting": "klaar"},
        headers=headers["region"],
    )
    assert final.status_code == 201, final.text
    again = client.post(
        f"/api/v1/beschikkingen/{NUMMER}/final",
        params={"year": 2026},
        json={},
        headers=headers["region"],
    )
    assert (again.status_code, again.json()["code"]) == (409, "already_final")


def test_the_same_answers_come_from_a_day_that_is_no_date(api):
    client, headers = api
    for value in ("0", "2025-13-01", "２０２５-01-01", "20250101"):
        refused = client.get(
            "/api/v1/reports/tranches", params={"as_of": value}, headers=headers["finance"]
        )
        assert (
            refused.status_code == 422
            and refused.json()["problems"][0]["location"] == "query.as_of"
        ), value
    assert (
        client.get(
            "/api/v1/reports/tranches",
            params={"as_of": date(2024, 12, 31).isoformat()},
            headers=headers["finance"],
        ).status_code
        == 200
    )
