"""The dashboard's sign-in through an identity provider, at the edges a browser does not show
(the whole sign-in and sign-out per role runs in Chromium in ``tests/web/test_signin_browser``):
the authorization request carries PKCE (S256), state and nonce and the real provider takes it;
an answer without this browser's sign-in cookie, with another browser's, a second time, from
another issuer or with the provider's error is refused and starts no session; an ID token is
taken only when its signature, issuer, audience, times, nonce and kind hold; sign-ins that have
begun are bounded. On SQLite and PostgreSQL, against panva's oidc-provider."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from fastapi.testclient import TestClient
from joserfc import jwt

from api.app import create_app
from api.http import oidc_sessions
from api.http.oidc import Issuer, IssuerKeys
from api.http.oidc_signin import SignInFailed, verify_id_token
from ledger.db.service import LedgerService
from ledger.regio.db.service import RegioService
from tests.identity_provider import Provider, require_node
from tests.scenarios.flow import zwolle_world

require_node()
BASE = "http://127.0.0.1:8000"
CLIENT = {
    "client_id": "regioledger",
    "client_secret": "secret-regioledger",
    "redirect_uris": [f"{BASE}/dashboard/signin/callback"],
}


@pytest.fixture(scope="module")
def provider(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Provider]:
    running = Provider(tmp_path_factory.mktemp("idp"), [CLIENT], {"fenna": {}}).start()
    yield running
    running.stop()


@pytest.fixture
def web(ledger: LedgerService, provider: Provider, monkeypatch: pytest.MonkeyPatch):
    zwolle_world(RegioService(ledger.engine))
    monkeypatch.setenv("REGIOLEDGER_OIDC_ISSUERS", json.dumps([provider.configured("IdP")]))
    url = ledger.engine.url.render_as_string(hide_password=False)
    with TestClient(
        create_app(url), raise_server_exceptions=False, base_url=BASE, follow_redirects=False
    ) as client:
        yield client


def begun(web: TestClient) -> tuple[str, str]:
    """Begin a sign-in: the state sent to the provider and this browser's sign-in cookie."""
    answer = web.get("/dashboard/signin/with/0?lang=en")
    assert answer.status_code == 303, answer.text
    return parse_qs(urlsplit(answer.headers["location"]).query)["state"][0], answer.cookies[
        "regioledger_signin"
    ]


def callback(web: TestClient, binding: str | None, **query: str):
    web.cookies.clear()
    if binding is not None:
        web.cookies.set("regioledger_signin", binding, path="/dashboard/signin")
    return web.get("/dashboard/signin/callback", params=query)


def test_the_authorization_request_carries_pkce_state_and_nonce_and_the_provider_takes_it(
    web, provider
):
    answer = web.get("/dashboard/signin/with/0?lang=en")
    sent = urlsplit(answer.headers["location"])
    query = {k: v[0] for k, v in parse_qs(sent.query).items()}
    assert f"{sent.scheme}://{sent.netloc}" == provider.issuer
    assert query["response_type"] == "code" and query["code_challenge_method"] == "S256"
    assert len(query["code_challenge"]) == 43 and len(query["state"]) >= 32
    assert len(query["nonce"]) >= 32 and query["scope"] == "openid"
    assert query["redirect_uri"] == f"{BASE}/dashboard/signin/callback"
    cookie = answer.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Path=/dashboard/signin" in cookie
    at_provider = httpx.get(answer.headers["location"])  # the provider's login, not an error
    assert at_provider.status_code == 303 and "/interaction/" in at_provider.headers["location"]
    assert web.get("/dashboard/signin/with/7").status_code == 404


def test_answers_that_belong_to_no_sign_in_of_this_browser_are_refused(web, ledger):
    state, binding = begun(web)
    _, other = begun(web)
    for case, answer in {
        "no cookie": callback(web, None, state=state, code="c"),
        "another browser's": callback(web, other, state=state, code="c"),
        "a made-up state": callback(web, binding, state="x" * 40, code="c"),
    }.items():
        assert answer.status_code == 400, case
        assert "sign in again" in answer.text, case
    failed = callback(web, binding, state=state, code="not-a-code")  # taken now: the code fails
    assert failed.status_code == 401 and "did not give an identity" in failed.text
    again = callback(web, binding, state=state, code="not-a-code")
    assert again.status_code == 400  # taken once
    state, binding = begun(web)
    denied = callback(web, binding, state=state, error="access_denied", error_description="nee")
    assert denied.status_code == 401 and "IdP said: nee" in denied.text
    state, binding = begun(web)
    mixed = callback(web, binding, state=state, code="c", iss="http://127.0.0.1:1")
    assert mixed.status_code == 400 and "another identity provider" in mixed.text
    assert "regioledger_session" not in web.cookies
    with ledger.engine.connect() as connection:
        sessions = connection.execute(oidc_sessions.oidc_session_table.select()).fetchall()
    assert sessions == []


def test_sign_ins_that_have_begun_are_bounded(web, monkeypatch):
    monkeypatch.setattr(oidc_sessions, "MOST_PENDING", 2)
    begun(web)
    begun(web)
    full = web.get("/dashboard/signin/with/0?lang=en")
    assert full.status_code == 503 and "try again in a few minutes" in full.text


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def hmac_signed(claims: dict, secret: bytes) -> str:
    """An HS256 token whose "key" is the provider's public key (the algorithm confusion)."""
    head = _b64(json.dumps({"alg": "HS256", "kid": "k1"}).encode())
    body = _b64(json.dumps(claims).encode())
    mac = hmac.new(secret, f"{head}.{body}".encode(), hashlib.sha256).digest()
    return f"{head}.{body}.{_b64(mac)}"


def test_an_id_token_is_taken_only_when_every_rule_holds(provider):
    issuer = Issuer(**provider.configured("IdP"))
    keys = IssuerKeys(refetch_after=0)
    now = int(time.time())
    claims = {
        "iss": provider.issuer,
        "aud": "regioledger",
        "sub": "fenna",
        "iat": now,
        "exp": now + 300,
        "nonce": "n-1",
    }
    header = {"alg": "RS256", "kid": provider.key.kid}

    def signed(changes: dict | None = None, head: dict | None = None) -> str:
        return jwt.encode(head or header, claims | (changes or {}), provider.key)

    assert verify_id_token(signed(), issuer, keys, "n-1")["sub"] == "fenna"
    refused = {
        "another nonce": (signed(), "n-2"),
        "another audience": (signed({"aud": "elders"}), "n-1"),
        "another issuer": (signed({"iss": "http://127.0.0.1:1"}), "n-1"),
        "expired": (signed({"iat": now - 7200, "exp": now - 3600}), "n-1"),
        "no nonce": (
            jwt.encode(header, {k: v for k, v in claims.items() if k != "nonce"}, provider.key),
            "n-1",
        ),
        "an access token": (signed(head={**header, "typ": "at+jwt"}), "n-1"),
        "several audiences, another azp": (
            signed({"aud": ["regioledger", "x"], "azp": "x"}),
            "n-1",
        ),
        "HMAC with the public key": (
            hmac_signed(claims, provider.key.as_pem(private=False)),
            "n-1",
        ),
        "alg none": (
            f"{_b64(json.dumps({'alg': 'none'}).encode())}.{_b64(json.dumps(claims).encode())}.",
            "n-1",
        ),
    }
    for case, (token, nonce) in refused.items():
        with pytest.raises(SignInFailed):
            verify_id_token(token, issuer, keys, nonce)
            pytest.fail(case)
