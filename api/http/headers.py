"""The security headers of every page the service renders for a browser (the dashboard, the
HTML deal report): a strict content security policy (no scripts at all, styles only from the
service itself or the one stylesheet a standalone report carries inside), no framing, no
sniffing, no referrer to other sites, no caching."""

from __future__ import annotations

import base64
import hashlib

from fastapi.responses import Response

from reports.html import STYLE

#: The standalone report's own stylesheet, allowed by its hash and nothing else inline.
_STYLE_HASH = base64.b64encode(hashlib.sha256(STYLE.encode()).digest()).decode()

HEADERS = {
    "Content-Security-Policy": f"default-src 'none'; img-src 'self'; style-src 'self' 'sha256-{_STYLE_HASH}'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}


def secured(response: Response) -> Response:
    response.headers.update(HEADERS)
    return response
