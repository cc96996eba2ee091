"""Signing in to the dashboard and the portal with an organisation's identity provider, and out
again (``api.http.oidc_signin`` speaks the protocol, ``api.http.oidc_sessions`` keeps its state).

- ``GET /dashboard/signin/with/{number}``: the sign-in page's link for the configured issuer of
  that number begins a sign-in, sets the browser's sign-in cookie (HttpOnly, SameSite=Lax: the
  provider's answer arrives by a navigation from its site) and sends the browser to the provider.
- ``GET /dashboard/signin/callback``: the provider's answer. The sign-in this browser began with
  that ``state`` is taken once; the code is exchanged, the ID token checked, the identity placed
  (a mapping, else its role and organisation claims); then the same server-side session as a
  token's starts. The answer is a page that moves on to the dashboard by itself: the session
  cookie is SameSite=Strict, and a browser does not send it on a redirect that began at the
  provider's site.
- Signing out of such a session (``POST /dashboard/signout``) ends it here and sends the browser
  to the provider's end-session endpoint, which comes back to ``/dashboard/signin/signed-out``.

Every refusal is the sign-in page saying what went wrong and whom to ask; nothing is kept of a
sign-in that failed but its used ``state``.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from api.http.headers import secured
from api.http.oidc import IdentityUnknown, Issuer
from api.http.oidc_sessions import (
    TooManySignIns,
    begin_login,
    end_provider_session,
    start_provider_session,
    take_login,
)
from api.http.oidc_signin import SignInFailed, begin, finish, logout_url, placing_claims
from api.web.common import COOKIE, Lang, landing, page, with_session
from api.web.sessions import issuers_of, placed
from reports.messages import LANGUAGES

router = APIRouter(prefix="/dashboard/signin", include_in_schema=False)
BINDING = "regioledger_signin"
CALLBACK = "/dashboard/signin/callback"
SIGNED_OUT = "/dashboard/signin/signed-out"


def _base(request: Request) -> str:
    return str(request.base_url).rstrip("/")


def refused(request: Request, lang: str, status: int, reason: str) -> Response:
    """The sign-in page with the reason a sign-in was not taken."""
    return page(
        "signin.html", lang, status=status, user=None, issuers=issuers_of(request), refused=reason
    )


@router.get("/with/{number}")
async def sign_in_with(request: Request, number: int, lang: Lang) -> Response:
    issuers = issuers_of(request)
    if not 0 <= number < len(issuers):
        return refused(request, lang, 404, "There is no such identity provider; choose one below.")
    issuer, keys = issuers[number], request.app.state.issuer_keys
    try:
        begun = await run_in_threadpool(begin, issuer, keys, _base(request) + CALLBACK, lang)
        binding = await run_in_threadpool(begin_login, request.app.state.engine, begun.pending)
    except SignInFailed as failed:
        return refused(request, lang, 502, str(failed))
    except TooManySignIns:
        return refused(request, lang, 503, "Too many sign-ins at once; try again in a few minutes.")
    response = RedirectResponse(begun.url, status_code=303)
    response.set_cookie(
        BINDING,
        binding,
        max_age=600,
        path="/dashboard/signin",
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
    )
    return secured(response)


@router.get("/callback")
async def callback(request: Request) -> Response:
    """The provider's answer to a sign-in this browser began."""
    query, engine = request.query_params, request.app.state.engine
    state, binding = query.get("state", ""), request.cookies.get(BINDING, "")
    pending = await run_in_threadpool(take_login, engine, state[:100], binding) if binding else None
    if pending is None:
        return refused(
            request,
            "nl",
            400,
            "This answer from the identity provider belongs to no sign-in begun in this browser "
            "(or it came twice, or too late); sign in again.",
        )
    lang = pending.lang if pending.lang in LANGUAGES else "nl"
    issuer = next((i for i in issuers_of(request) if i.issuer == pending.issuer), None)
    if issuer is None or query.get("iss", issuer.issuer) != issuer.issuer:
        return refused(request, lang, 400, "This answer comes from another identity provider.")
    if "error" in query or not query.get("code"):
        said = query.get("error_description") or query.get("error") or "no code"
        return refused(request, lang, 401, f"{issuer.name or issuer.issuer} said: {said[:300]}")
    return await _signed_in(request, issuer, pending, lang)


async def _signed_in(request: Request, issuer: Issuer, pending: Any, lang: str) -> Response:
    engine, keys = request.app.state.engine, request.app.state.issuer_keys
    redirect_uri = _base(request) + CALLBACK
    code = request.query_params["code"]
    try:
        claims, id_token = await run_in_threadpool(
            finish, issuer, keys, redirect_uri, pending, code
        )
        kept = placing_claims(issuer, claims)
        user = await run_in_threadpool(placed, engine, issuer, kept)
    except SignInFailed as failed:
        return refused(request, lang, 401, str(failed))
    except IdentityUnknown as unknown:
        return refused(request, lang, 403, str(unknown))
    secret = await run_in_threadpool(
        start_provider_session, engine, issuer.issuer, user.name, kept, id_token
    )
    response = page("moving_on.html", lang, user=None, target=landing(user, lang))
    with_session(response, request, secret)
    response.delete_cookie(BINDING, path="/dashboard/signin")
    return response


def sign_out_at_provider(request: Request, secret: str, lang: str) -> Response | None:
    """End an identity provider's session here and answer with the page that goes on to sign
    out at the provider; None when the secret names no such session."""
    session = end_provider_session(request.app.state.engine, secret)
    if session is None:
        return None
    issuer = next((i for i in issuers_of(request) if i.issuer == session.issuer), None)
    after = _base(request) + SIGNED_OUT
    url = (
        logout_url(issuer, request.app.state.issuer_keys, session.id_token, after, lang)
        if issuer is not None
        else None
    )
    response = page(
        "moving_on.html", lang, user=None, leaving=True, target=url or f"{SIGNED_OUT}?state={lang}"
    )
    response.delete_cookie(COOKIE, path="/dashboard")
    return response


@router.get("/signed-out")
def signed_out(request: Request, state: str = "nl") -> Response:
    """Where the provider sends the browser back after signing out there."""
    lang = state if state in LANGUAGES else "nl"
    return page("signin.html", lang, user=None, issuers=issuers_of(request), signed_out=True)
