"""API clients bring their organisation's identity provider's access tokens.

``REGIOLEDGER_OIDC_ISSUERS`` is a JSON list of issuers, each
``{issuer, client_id, client_secret, audience, role_claim, organisation_claim, name}``
(``role_claim`` and ``organisation_claim`` default to ``regioledger_role`` and
``regioledger_organisation``). Without it the service takes only its own tokens, as before.

A bearer token that is a JWT from a configured issuer is accepted when (joserfc does the
cryptography; nothing here parses or checks a signature by hand):

- its header says ``typ: at+jwt`` (an access token, RFC 9068; not an ID token) and an
  asymmetric algorithm: ``none`` and HMAC are refused, so a token "signed" with the issuer's
  public key as an HMAC secret is refused before any key is tried;
- its signature verifies with a key the issuer publishes (its JWKS, found through discovery at
  ``/.well-known/openid-configuration``): the keys are cached, and fetched again when a token
  names a key id the cache does not hold (a provider that rotated its keys), at most once per
  ``REFETCH_AFTER`` per issuer;
- ``iss`` is the issuer, ``aud`` holds the configured audience, ``exp`` has not passed and
  ``nbf`` has come, with ``LEEWAY`` for clocks a little apart;
- the ledger places the identity: a mapping kept by the finance officers
  (``api.http.identities``: its own, else one of its groups'; a revoked one refuses it), else its
  role claim naming a role of the ledger and a region's organisation claim an organisation the
  ledger knows.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import httpx
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet
from joserfc.jws import extract_compact
from sqlalchemy import Engine

from api.http.identities import mapping_for
from api.http.users import Role, User
from ledger.db.unit_of_work import UnitOfWork
from ledger.regio.db import rows as regio_rows

LEEWAY = 60  # seconds
REFETCH_AFTER = 30.0  # seconds between two fetches of one issuer's keys
ALGORITHMS = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512"]


class TokenRefused(Exception):
    """An access token that is not accepted; the message says why, for the client's operator."""


@dataclass(frozen=True)
class Issuer:
    issuer: str
    client_id: str
    client_secret: str
    audience: str
    role_claim: str = "regioledger_role"
    organisation_claim: str = "regioledger_organisation"
    name: str = ""
    scope: str = "openid"  # what the dashboard's sign-in asks for (the claims' scope, say)


def issuers_from(value: str | None) -> tuple[Issuer, ...]:
    """The issuers configured in ``REGIOLEDGER_OIDC_ISSUERS`` (none: the variable is unset)."""
    if not value:
        return ()
    try:
        listed = json.loads(value)
        issuers = tuple(
            Issuer(**{k: v for k, v in item.items() if v is not None}) for item in listed
        )
    except (ValueError, TypeError, AttributeError) as error:
        raise ValueError(
            "REGIOLEDGER_OIDC_ISSUERS must be a JSON list of {issuer, client_id, client_secret, "
            f"audience, role_claim, organisation_claim, name}}: {error}"
        ) from None
    if len({i.issuer for i in issuers}) != len(issuers):
        raise ValueError("REGIOLEDGER_OIDC_ISSUERS names an issuer twice.")
    return issuers


def looks_like_jwt(token: str) -> bool:
    return token.count(".") == 2


@dataclass
class IssuerKeys:
    """Each issuer's published keys, fetched through discovery, refetched on an unknown key id."""

    fetch: Callable[[str], Any] = field(default=lambda url: _get_json(url))
    refetch_after: float = REFETCH_AFTER
    _keys: dict[str, KeySet] = field(default_factory=dict)
    _metadata: dict[str, dict[str, Any]] = field(default_factory=dict)
    _fetched_at: dict[str, float] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def for_token(self, issuer: Issuer, kid: str | None) -> KeySet:
        with self._lock:
            known = self._keys.get(issuer.issuer)
            if known is not None and _holds(known, kid):
                return known
            last = self._fetched_at.get(issuer.issuer, 0.0)
            if known is None or time.monotonic() - last >= self.refetch_after:
                known = self._fetch(issuer)
            if not _holds(known, kid):
                raise TokenRefused(f"No key {kid!r} is published by {issuer.issuer}.")
            return known

    def metadata(self, issuer: Issuer) -> dict[str, Any]:
        """The issuer's discovery document (its endpoints), read with its keys."""
        with self._lock:
            if issuer.issuer not in self._metadata:
                self._fetch(issuer)
            return self._metadata[issuer.issuer]

    def _fetch(self, issuer: Issuer) -> KeySet:
        try:
            found = self.fetch(f"{issuer.issuer.rstrip('/')}/.well-known/openid-configuration")
            if found.get("issuer") != issuer.issuer:
                raise ValueError(f"its discovery document names the issuer {found.get('issuer')!r}")
            keys = KeySet.import_key_set(self.fetch(found["jwks_uri"]))
        except (httpx.HTTPError, KeyError, ValueError, JoseError, AttributeError) as error:
            raise TokenRefused(f"The keys of {issuer.issuer} could not be read: {error}") from None
        self._keys[issuer.issuer] = keys
        self._metadata[issuer.issuer] = found
        self._fetched_at[issuer.issuer] = time.monotonic()
        return keys


def _holds(keys: KeySet, kid: str | None) -> bool:
    return kid is None or any(key.kid == kid for key in keys.keys)


def _get_json(url: str) -> Any:
    response = httpx.get(url, timeout=5.0, follow_redirects=False)
    response.raise_for_status()
    return response.json()


def verify_access_token(
    token: str, issuers: tuple[Issuer, ...], keys: IssuerKeys
) -> tuple[Issuer, dict[str, Any]]:
    """The issuer and claims of an access token every rule above accepts, or ``TokenRefused``."""
    try:
        unverified = extract_compact(token.encode())
        header, claims = unverified.protected, json.loads(unverified.payload)
    except (JoseError, ValueError) as error:
        raise TokenRefused(f"The token is no JWT: {error}") from None
    if header.get("alg") not in ALGORITHMS:
        raise TokenRefused(f"The algorithm {header.get('alg')!r} is not accepted.")
    if str(header.get("typ", "")).lower() not in ("at+jwt", "application/at+jwt"):
        raise TokenRefused("The token is no access token (its typ is not at+jwt).")
    issuer = next((i for i in issuers if i.issuer == claims.get("iss")), None)
    if issuer is None:
        raise TokenRefused(f"The issuer {claims.get('iss')!r} is not configured.")
    keyset = keys.for_token(issuer, header.get("kid"))
    try:
        verified = jwt.decode(token, keyset, algorithms=ALGORITHMS)
        jwt.JWTClaimsRegistry(
            leeway=LEEWAY,
            iss={"essential": True, "value": issuer.issuer},
            aud={"essential": True, "value": issuer.audience},
            exp={"essential": True},
            sub={"essential": True},
        ).validate(verified.claims)
    except JoseError as error:
        raise TokenRefused(
            f"The token is not accepted: {error.error}: {error.description}"
        ) from None
    return issuer, verified.claims


class IdentityUnknown(Exception):
    """A valid token whose identity the ledger cannot place: the message says whom to ask."""


def user_for_claims(engine: Engine, issuer: Issuer, claims: dict[str, Any]) -> User:
    """The ledger's user for a verified token: its role from the role claim, its organisation
    from the organisation claim (a region's must be one the ledger knows)."""
    where = issuer.name or issuer.issuer
    expires = datetime.fromtimestamp(int(claims["exp"]), UTC)
    name = f"{claims['sub']}@{where}"
    groups = [str(g) for g in claims.get("groups", []) if isinstance(g, str)]
    role = claims.get(issuer.role_claim)
    organisation = claims.get(issuer.organisation_claim)
    with UnitOfWork(engine) as uow:  # one read: the mapping, else the claimed organisation
        mapped = mapping_for(uow.connection, issuer.issuer, str(claims["sub"]), groups)
        known = (
            regio_rows.organisation(uow.connection, str(organisation))
            if mapped is None and organisation is not None
            else None
        )
    if mapped is not None:
        if mapped.role is None:
            raise IdentityUnknown(
                f"Your access to regioledger through {where} was revoked; ask the ministry's "
                "finance officers."
            )
        return User(name, mapped.role, mapped.organisation, expires)
    if role not in {r.value for r in Role}:
        raise IdentityUnknown(
            f"Your identity at {where} carries no role of regioledger ({issuer.role_claim} is "
            f"{role!r}); ask your organisation's identity administrator for the role finance, "
            "auditor or region."
        )
    if organisation is not None:
        if known is None:
            raise IdentityUnknown(
                f"Your organisation {organisation!r} at {where} is not known to regioledger; ask "
                "the ministry's finance officers to add it."
            )
    elif role == Role.REGION:
        raise IdentityUnknown(
            f"Your identity at {where} is a region's but names no organisation "
            f"({issuer.organisation_claim}); ask your organisation's identity administrator."
        )
    return User(name, Role(role), organisation, expires)
