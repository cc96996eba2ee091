"""What every dashboard page shares: the signed-in user of the session cookie, the reader's
language, the check that a form comes from the dashboard's own pages (its origin and its CSRF
token), and how a page is answered (rendered, with the security headers)."""

from __future__ import annotations

import hashlib
import hmac
from typing import Annotated, Any
from urllib.parse import urlsplit

from fastapi import Depends, HTTPException, Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool

from api.http.headers import secured
from api.http.users import SESSION_LIFETIME, Role, User
from api.web.sessions import session_user
from reports.html import render
from reports.messages import LANGUAGES

COOKIE = "regioledger_session"
CSRF_FIELD = "csrf"


class SignIn(Exception):
    """Not signed in (or the session has ended): go to the sign-in page."""


def language(request: Request) -> str:
    wanted = request.query_params.get("lang", "nl")
    return wanted if wanted in LANGUAGES else "nl"


async def page_user(request: Request) -> User:
    """The user of the session the cookie names (a token's, else an identity provider's); a
    session that ended or expired signs out."""
    secret = request.cookies.get(COOKIE)
    user = await run_in_threadpool(session_user, request, secret) if secret else None
    if user is None:
        raise SignIn
    return user


def landing(user: User, lang: str) -> str:
    """Where a user arrives after signing in: a region at its beschikkingen, others the overview."""
    target = "/dashboard/beschikkingen" if user.role == Role.REGION else "/dashboard"
    return f"{target}?lang={lang}"


def with_session(response: Response, request: Request, secret: str) -> Response:
    """The answer that starts a session: its secret in an HttpOnly, SameSite=Strict cookie
    limited to ``/dashboard``, for as long as a session lasts (never the token itself)."""
    response.set_cookie(
        COOKIE,
        secret,
        max_age=int(SESSION_LIFETIME.total_seconds()),
        path="/dashboard",
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
    )
    return secured(response)


def same_origin(request: Request) -> bool:
    """Whether a form was sent from this service's own pages: its ``Origin`` (else its
    ``Referer``) is this service, or the browser says so (``Sec-Fetch-Site: same-origin``).
    Refuses login CSRF, where another site signs a victim in as the attacker."""
    if request.headers.get("sec-fetch-site") == "same-origin":
        return True
    sent = request.headers.get("origin")
    if sent in (None, "null") and (referer := request.headers.get("referer")):
        parts = urlsplit(referer)
        sent = f"{parts.scheme}://{parts.netloc}"
    return sent == f"{request.url.scheme}://{request.url.netloc}"


def from_here(request: Request) -> None:
    if not same_origin(request):
        raise HTTPException(403, "This form must be sent from the dashboard's own page.")


def csrf_token(request: Request) -> str:
    """The CSRF token of the session: derived from the session's secret, which only the
    HttpOnly cookie carries, so another site can neither read nor make it."""
    secret = request.cookies.get(COOKIE, "")
    return hmac.new(secret.encode(), b"regioledger-csrf", hashlib.sha256).hexdigest()


async def checked_form(request: Request) -> Any:
    """A form sent from the dashboard's own page with the session's CSRF token, or 403; a form
    with the token twice is no form of ours (400), whichever copy is right."""
    from_here(request)
    form = await request.form(max_files=1, max_fields=10)
    if len(form.getlist(CSRF_FIELD)) > 1:
        raise HTTPException(400, "This form carries its token more than once; open the page again.")
    sent = form.get(CSRF_FIELD)
    if not isinstance(sent, str) or not hmac.compare_digest(sent, csrf_token(request)):
        raise HTTPException(
            403, "This form has no valid token of this session; open the page again."
        )
    return form


async def reader(user: Annotated[User, Depends(page_user)]) -> User:
    if user.role == Role.REGION:
        raise HTTPException(403, "This page is for finance officers and auditors.")
    return user


PageUser = Annotated[User, Depends(page_user)]
PageReader = Annotated[User, Depends(reader)]
Lang = Annotated[str, Depends(language)]


def page(template: str, lang: str, status: int = 200, **context: Any) -> Response:
    return secured(HTMLResponse(render(template, lang, **context), status_code=status))
