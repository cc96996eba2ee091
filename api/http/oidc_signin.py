"""Signing in to the dashboard through an identity provider: OpenID Connect's authorization code
flow with PKCE (S256), ``state`` and ``nonce``, and RP-initiated logout.

Authlib speaks the protocol (the authorization request, the code exchanged for tokens with the
client's secret and the PKCE verifier); joserfc checks the ID token, with the issuer's published
keys (``api.http.oidc.IssuerKeys``): an asymmetric algorithm, never an access token in its place
(``typ: at+jwt``), its ``iss`` the issuer, ``aud`` the client (and ``azp`` the client when there
are several audiences), ``exp`` and ``iat`` with ``LEEWAY``, a ``sub``, and the ``nonce`` this
sign-in was begun with. An answer that carries ``iss`` (RFC 9207) must name the issuer the
sign-in was begun with, so one provider's answer is never taken for another's.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from authlib.common.errors import AuthlibBaseError
from authlib.common.security import generate_token
from authlib.integrations.requests_client import OAuth2Session
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jws import extract_compact
from requests import RequestException

from api.http.oidc import ALGORITHMS, LEEWAY, Issuer, IssuerKeys, TokenRefused
from api.http.oidc_sessions import PendingLogin

TIMEOUT = 10.0  # seconds for the provider's token endpoint


class SignInFailed(Exception):
    """The provider's answer is not taken; the message says why, for the user and their help."""


@dataclass(frozen=True)
class Begun:
    pending: PendingLogin
    url: str  # where the browser goes to sign in at the provider


def _client(issuer: Issuer, redirect_uri: str) -> OAuth2Session:
    return OAuth2Session(
        issuer.client_id,
        issuer.client_secret,
        scope=issuer.scope,
        redirect_uri=redirect_uri,
        code_challenge_method="S256",
        token_endpoint_auth_method="client_secret_basic",
        default_timeout=TIMEOUT,
    )


def begin(issuer: Issuer, keys: IssuerKeys, redirect_uri: str, lang: str) -> Begun:
    """A new sign-in at the issuer: fresh ``state``, ``nonce`` and PKCE verifier."""
    try:
        endpoint = keys.metadata(issuer)["authorization_endpoint"]
    except (TokenRefused, KeyError) as error:
        raise SignInFailed(f"{issuer.name or issuer.issuer} cannot be reached: {error}") from None
    state, nonce, verifier = generate_token(32), generate_token(32), generate_token(64)
    with _client(issuer, redirect_uri) as client:
        url, _ = client.create_authorization_url(
            endpoint, state=state, code_verifier=verifier, nonce=nonce
        )
    return Begun(PendingLogin(issuer.issuer, state, nonce, verifier, lang), url)


def finish(
    issuer: Issuer, keys: IssuerKeys, redirect_uri: str, pending: PendingLogin, code: str
) -> tuple[dict[str, Any], str]:
    """The verified claims of the ID token the code is exchanged for, and the ID token."""
    try:
        with _client(issuer, redirect_uri) as client:
            tokens = client.fetch_token(
                keys.metadata(issuer)["token_endpoint"],
                grant_type="authorization_code",
                code=code,
                code_verifier=pending.code_verifier,
            )
        id_token = str(tokens["id_token"])
    except (AuthlibBaseError, RequestException, TokenRefused, KeyError, ValueError) as error:
        raise SignInFailed(
            f"{issuer.name or issuer.issuer} did not give an identity for this sign-in: {error}"
        ) from None
    return verify_id_token(id_token, issuer, keys, pending.nonce), id_token


def verify_id_token(token: str, issuer: Issuer, keys: IssuerKeys, nonce: str) -> dict[str, Any]:
    """The claims of an ID token every rule of this module accepts, or ``SignInFailed``."""
    try:
        header = extract_compact(token.encode()).protected
        if header.get("alg") not in ALGORITHMS:
            raise SignInFailed(f"The ID token's algorithm {header.get('alg')!r} is not accepted.")
        if str(header.get("typ", "JWT")).lower() in ("at+jwt", "application/at+jwt"):
            raise SignInFailed("An access token came where the ID token belongs.")
        verified = jwt.decode(
            token, keys.for_token(issuer, header.get("kid")), algorithms=ALGORITHMS
        )
        jwt.JWTClaimsRegistry(
            leeway=LEEWAY,
            iss={"essential": True, "value": issuer.issuer},
            aud={"essential": True, "value": issuer.client_id},
            exp={"essential": True},
            iat={"essential": True},
            sub={"essential": True},
            nonce={"essential": True, "value": nonce},
        ).validate(verified.claims)
    except (JoseError, TokenRefused, ValueError) as error:
        raise SignInFailed(f"The ID token is not accepted: {_reason(error)}") from None
    audience = verified.claims["aud"]
    several = isinstance(audience, list) and len(audience) > 1
    if several and verified.claims.get("azp") != issuer.client_id:
        raise SignInFailed("The ID token was issued to another client (azp).")
    return verified.claims


def _reason(error: Exception) -> str:
    if isinstance(error, JoseError):
        return f"{error.error}: {error.description}"
    return str(error)


def placing_claims(issuer: Issuer, claims: dict[str, Any]) -> dict[str, Any]:
    """What a session keeps of the ID token's claims to place its user on every page."""
    kept = ("sub", "groups", issuer.role_claim, issuer.organisation_claim)
    return json.loads(json.dumps({k: claims[k] for k in kept if k in claims}))


def logout_url(
    issuer: Issuer, keys: IssuerKeys, id_token: str, after: str, state: str
) -> str | None:
    """Where the browser signs out at the provider (RP-initiated logout), coming back to
    ``after``; None when the provider offers no such endpoint."""
    try:
        endpoint = keys.metadata(issuer).get("end_session_endpoint")
    except TokenRefused:
        return None
    if not endpoint:
        return None
    query = {
        "id_token_hint": id_token,
        "client_id": issuer.client_id,
        "post_logout_redirect_uri": after,
        "state": state,
    }
    return f"{endpoint}{'&' if '?' in endpoint else '?'}{urlencode(query)}"
