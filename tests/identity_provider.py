"""A real OpenID Provider for the tests: panva's oidc-provider (``tests/oidc``, pinned in its
lock and installed by ``make test`` with ``npm ci``) run by Node as a child process, configured
with its clients (machine clients for access tokens, the dashboard's for signing people in) and
the people who can sign in; started again with another key to rotate its keys. Without Node the
tests that use it fail in CI and are skipped on a developer's machine."""

from __future__ import annotations

import json
import os
import secrets
import shutil
import subprocess
from pathlib import Path
from typing import Any

import httpx
import pytest
from joserfc.jwk import RSAKey

from tests.server import free_port

FOLDER = Path(__file__).resolve().parent / "oidc"
NODE = shutil.which("node")
AUDIENCE = "https://regioledger.test/api"


def require_node() -> None:
    """Skip the calling module without Node or the provider (a failure in CI)."""
    if NODE is None or not (FOLDER / "node_modules" / "oidc-provider").exists():
        if os.environ.get("CI") == "true":
            raise RuntimeError("CI needs node and tests/oidc/node_modules (make test runs npm ci).")
        pytest.skip("node or the test identity provider is not installed", allow_module_level=True)


def signing_key(kid: str) -> RSAKey:
    return RSAKey.generate_key(2048, parameters={"kid": kid, "alg": "RS256", "use": "sig"})


class Provider:
    """The provider as a child process on a port of its own."""

    def __init__(
        self,
        folder: Path,
        clients: list[dict[str, Any]],
        accounts: dict[str, dict[str, Any]] | None = None,
    ) -> None:
        self.port = free_port()
        self.issuer = f"http://127.0.0.1:{self.port}"
        self.config = folder / f"provider-{self.port}.json"
        self.clients, self.accounts = clients, accounts or {}
        self.process: subprocess.Popen[str] | None = None
        self.key = signing_key("k1")

    def start(self, key: RSAKey | None = None) -> Provider:
        self.key = key or self.key
        document = {
            "issuer": self.issuer,
            "port": self.port,
            "audience": AUDIENCE,
            "keys": [self.key.as_dict(private=True)],
            "clients": self.clients,
            "accounts": self.accounts,
            "cookie_key": secrets.token_hex(16),
        }
        self.config.write_text(json.dumps(document), encoding="utf-8")
        assert NODE is not None
        self.process = subprocess.Popen(
            [NODE, str(FOLDER / "provider.mjs"), str(self.config)],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        assert self.process.stdout is not None
        said = [self.process.stdout.readline()]  # blocks until it listens (or says why not)
        while said[-1] and not said[-1].startswith("listening") and len(said) < 20:
            said.append(self.process.stdout.readline())  # a warning first, say
        assert said[-1].startswith("listening"), said
        return self

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=30)
            if self.process.stdout is not None:
                self.process.stdout.close()

    def token(self, client: str) -> str:
        """A machine client's access token for the API (client credentials)."""
        answer = httpx.post(
            f"{self.issuer}/token",
            data={"grant_type": "client_credentials", "resource": AUDIENCE, "scope": "api"},
            auth=(client, f"secret-{client}"),
        )
        assert answer.status_code == 200, answer.text
        return answer.json()["access_token"]

    def configured(self, name: str, client_id: str = "regioledger") -> dict[str, str]:
        """This provider as one entry of ``REGIOLEDGER_OIDC_ISSUERS``."""
        return {
            "issuer": self.issuer,
            "client_id": client_id,
            "client_secret": f"secret-{client_id}",
            "audience": AUDIENCE,
            "name": name,
        }
