"""Token handling: stored only as a hash, compared in constant time, never in a log line; no
stack trace in any answer."""

import hashlib
import hmac

import httpx
from sqlalchemy import select

from api.http.users import add_user, token_table, user_for_token, user_table
from ledger.db.unit_of_work import UnitOfWork
from tests import server


def test_a_token_is_stored_only_as_its_hash(ledger):
    token = add_user(ledger.engine, "fo", "finance")
    with UnitOfWork(ledger.engine) as uow:
        rows = [
            tuple(row)
            for table in (user_table, token_table)
            for row in uow.connection.execute(select(table))
        ]
    assert [row for row in rows if token in " ".join(str(value) for value in row)] == []
    assert any(hashlib.sha256(token.encode()).hexdigest() in row for row in rows)


def test_the_token_is_checked_with_a_constant_time_comparison(ledger, monkeypatch):
    token = add_user(ledger.engine, "fo", "finance")
    compared = []
    original = hmac.compare_digest

    def recording(a, b):
        compared.append((a, b))
        return original(a, b)

    monkeypatch.setattr(hmac, "compare_digest", recording)
    assert user_for_token(ledger.engine, token).name == "fo"
    assert compared and all(len(a) == len(b) == 64 for a, b in compared)
    assert user_for_token(ledger.engine, token[:-1] + "x") is None


def test_no_token_reaches_the_server_log(ledger, database_url):
    token = add_user(ledger.engine, "fo", "finance")
    process, base = server.start(database_url, log_level="debug", capture=True)
    try:
        bearer = {"Authorization": f"Bearer {token}"}
        assert httpx.get(f"{base}/api/v1/beschikkingen", headers=bearer).status_code == 200
        assert (
            httpx.get(
                f"{base}/api/v1/beschikkingen", headers={"Authorization": f"Bearer {token}x"}
            ).status_code
            == 401
        )
        signed_in = httpx.post(
            f"{base}/dashboard/signin", data={"token": token}, headers={"Origin": base}
        )
        assert signed_in.status_code == 303
        session = signed_in.cookies["regioledger_session"]
        assert session != token
        assert (
            httpx.post(
                f"{base}/api/v1/beschikkingen/NOPE/payments", headers=bearer, json={"amount": "x"}
            ).status_code
            == 422
        )
    finally:
        log = server.stop(process)
    assert "GET /api/v1/beschikkingen" in log  # the access log was on and written
    assert token not in log and token[:12] not in log and session not in log


def test_an_unexpected_error_answers_without_a_trace(ledger, database_url, monkeypatch):
    from fastapi.testclient import TestClient

    import api.http.routers.journal as routes
    from api.app import create_app

    def broken(_connection):
        raise RuntimeError("secret internals: /srv/ledger password=hunter2")

    monkeypatch.setattr(routes, "verify_journal", broken)
    token = add_user(ledger.engine, "acc", "auditor")
    with TestClient(create_app(database_url), raise_server_exceptions=False) as client:
        response = client.get(
            "/api/v1/journal/verify", headers={"Authorization": f"Bearer {token}"}
        )
    assert (
        response.status_code == 500
        and response.headers["content-type"] == "application/problem+json"
    )
    assert response.json()["code"] == "internal_error"
    assert (
        "Traceback" not in response.text
        and "RuntimeError" not in response.text
        and "hunter2" not in response.text
    )
