"""People sign in to the dashboard and the portal with their organisation's identity provider,
in a real headless Chromium against a running server and two real OpenID Providers (panva's
oidc-provider: the ministry's and a broker for the regions), on SQLite and on PostgreSQL: a
finance officer, an auditor and a region each sign in (authorization code with PKCE, state and
nonce), see what their role may see and nothing more, and sign out here and at the provider;
identities the ledger cannot place see whom to ask; a mapping revoked while signed in ends the
session at once. Without chromium or Node the tests fail in CI and are skipped on a developer's
machine."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from api.http.identities import record_mapping
from ledger.db.journal import utc_now
from ledger.db.unit_of_work import UnitOfWork
from ledger.regio.db.service import RegioService
from tests import server as server_process
from tests.identity_provider import Provider, require_node
from tests.scenarios.flow import zwolle_world
from tests.web.browser import accessible, launched, require_chromium

require_node()
require_chromium("sign-in tests")

from playwright.sync_api import Page, expect  # noqa: E402

NUMMER = "RD-2024-001"
MINISTRY = {  # login at the ministry's provider: the claims of their ID token
    "fenna": {"regioledger_role": "finance"},
    "arjen": {"regioledger_role": "auditor"},
    "niemand": {},
}
BROKER = {
    "zara": {"regioledger_role": "region", "regioledger_organisation": "GM-ZWOLLE"},
    "onbekend": {"regioledger_role": "region", "regioledger_organisation": "GM-NERGENS"},
    "groep": {"groups": ["regio-zwolle"]},
}


@pytest.fixture(scope="module")
def app_port() -> int:
    return server_process.free_port()


def _dashboard_client(app_port: int) -> dict:
    base = f"http://127.0.0.1:{app_port}"
    return {
        "client_id": "regioledger",
        "client_secret": "secret-regioledger",
        "redirect_uris": [f"{base}/dashboard/signin/callback"],
        "post_logout_redirect_uris": [f"{base}/dashboard/signin/signed-out"],
    }


@pytest.fixture(scope="module")
def providers(tmp_path_factory, app_port) -> Iterator[tuple[Provider, Provider]]:
    folder = tmp_path_factory.mktemp("idp")
    ministry = Provider(folder, [_dashboard_client(app_port)], MINISTRY).start()
    broker = Provider(folder, [_dashboard_client(app_port)], BROKER).start()
    yield ministry, broker
    ministry.stop()
    broker.stop()


@pytest.fixture
def server(ledger, database_url: str, providers, app_port) -> Iterator[str]:
    zwolle_world(RegioService(ledger.engine), paid="1000000.00")
    ministry, broker = providers
    issuers = [ministry.configured("Ministerie van BZK"), broker.configured("Regiobroker")]
    process, base = server_process.start(
        database_url, app_port, env={"REGIOLEDGER_OIDC_ISSUERS": json.dumps(issuers)}
    )
    yield base
    server_process.stop(process)


@pytest.fixture(scope="module")
def browser():
    yield from launched()


def sign_in(browser, base: str, provider_name: str, login: str) -> Page:
    """Open the dashboard, choose the provider, sign in there and consent; the page that
    follows (the dashboard, or the sign-in page saying why not)."""
    page = browser.new_context(viewport={"width": 1280, "height": 800}).new_page()
    page.goto(f"{base}/dashboard?lang=en")
    accessible(page)  # the sign-in page, with a link per provider
    page.click(f"text=Sign in with {provider_name}")
    page.wait_for_selector("input[name=login]")
    page.fill("input[name=login]", login)
    page.fill("input[name=password]", "any")
    with page.expect_navigation():
        page.click("button[type=submit]")
    if page.url.startswith(base):  # consented before
        return settled(page, base)
    with page.expect_navigation():
        page.click("button[type=submit]")  # the provider's consent: continue
    return settled(page, base)


def settled(page: Page, base: str) -> Page:
    """Wait until the browser is back and has moved on from the 'you are signed in' page to
    the dashboard (or stays on the sign-in page that says why not)."""
    page.wait_for_url(lambda url: url.startswith(base))
    page.wait_for_selector("header .who, #signin-refused")
    page.wait_for_load_state("load")
    return page


def status(page: Page, path: str) -> int:
    answer = page.goto(f"{page.url.split('/dashboard')[0]}{path}")
    assert answer is not None
    return answer.status


def sign_out(page: Page, base: str) -> None:
    """Sign out here, then confirm at the provider; back on the sign-in page."""
    page.click("header form button[type=submit]")
    page.wait_for_selector("button[name=logout]")  # the provider's own question
    with page.expect_navigation():
        page.click("button[name=logout][value=yes]")
    page.wait_for_url(lambda url: url.startswith(f"{base}/dashboard/signin/signed-out"))
    expect(page.locator("#signed-out")).to_be_visible()


WHO = {  # login, provider: the header's who, the landing page, (path, status) the role sees
    ("fenna", "Ministerie van BZK"): (
        "fenna@Ministerie van BZK (finance)",
        "/dashboard?lang=en",
        [("/dashboard/reconciliations", 200), (f"/dashboard/beschikkingen/{NUMMER}", 200)],
    ),
    ("arjen", "Ministerie van BZK"): (
        "arjen@Ministerie van BZK (auditor)",
        "/dashboard?lang=en",
        [("/dashboard/sisa", 200), (f"/dashboard/beschikkingen/{NUMMER}", 200)],
    ),
    ("zara", "Regiobroker"): (
        "zara@Regiobroker (region, GM-ZWOLLE)",
        "/dashboard/beschikkingen?lang=en",
        [
            ("/dashboard/budget", 403),
            ("/dashboard/sisa", 403),
            (f"/dashboard/beschikkingen/{NUMMER}", 200),
        ],
    ),
}


def mapped(engine, issuer: str, role: str | None, organisation: str | None) -> None:
    """The group regio-zwolle mapped to a role and organisation (None: revoked), as by a
    finance officer."""
    with UnitOfWork(engine, write=True) as uow:
        record_mapping(
            uow.connection,
            issuer,
            subject=None,
            group="regio-zwolle",
            role=role,
            organisation=organisation,
            actor="financien",
            reason="Regio Zwolle via de regiobroker",
            at=utc_now(),
        )
        uow.commit()


@pytest.mark.parametrize("login,provider_name", list(WHO))
def test_each_role_signs_in_at_its_provider_sees_its_pages_and_signs_out_there_too(
    browser, server, login, provider_name
):
    who, landing, paths = WHO[(login, provider_name)]
    page = sign_in(browser, server, provider_name, login)
    assert page.url == f"{server}{landing}"
    expect(page.locator("header .who")).to_have_text(who)
    accessible(page)
    cookie = next(c for c in page.context.cookies() if c["name"] == "regioledger_session")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict" and cookie["path"] == "/dashboard"
    for path, expected in paths:
        assert status(page, f"{path}?lang=en") == expected, path
    page.goto(f"{server}/dashboard/beschikkingen?lang=en")
    sign_out(page, server)
    accessible(page)
    page.goto(f"{server}/dashboard?lang=en")  # the session ended here: the sign-in page
    assert page.url.startswith(f"{server}/dashboard/signin")
    page.click(f"text=Sign in with {provider_name}")  # and at the provider: sign in again
    page.wait_for_selector("input[name=login]")
    page.context.close()


def test_identities_the_ledger_cannot_place_are_told_whom_to_ask(browser, server):
    page = sign_in(browser, server, "Ministerie van BZK", "niemand")
    assert page.url.startswith(f"{server}/dashboard/signin/callback")
    refusal = page.locator("#signin-refused")
    expect(refusal).to_contain_text("carries no role of regioledger")
    expect(refusal).to_contain_text("identity administrator")
    accessible(page)
    page.context.close()
    page = sign_in(browser, server, "Regiobroker", "onbekend")
    expect(page.locator("#signin-refused")).to_contain_text("GM-NERGENS")
    expect(page.locator("#signin-refused")).to_contain_text("ministry's finance officers")
    assert not [c for c in page.context.cookies() if c["name"] == "regioledger_session"]
    page.context.close()


def test_a_mapped_group_signs_in_and_a_revoked_mapping_ends_the_session(
    browser, server, ledger, providers
):
    broker = providers[1]
    mapped(ledger.engine, broker.issuer, "region", "GM-ZWOLLE")
    page = sign_in(browser, server, "Regiobroker", "groep")
    expect(page.locator("header .who")).to_have_text("groep@Regiobroker (region, GM-ZWOLLE)")
    assert status(page, f"/dashboard/beschikkingen/{NUMMER}?lang=en") == 200
    mapped(ledger.engine, broker.issuer, None, None)  # revoked
    page.goto(f"{server}/dashboard/beschikkingen/{NUMMER}?lang=en")
    assert page.url.startswith(f"{server}/dashboard/signin")  # signed out at once
    page.context.close()
