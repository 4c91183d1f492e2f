"""What makes the pages safe to use in a browser: the session's signing secret, a CSRF token
per session checked on every form, a same-origin check on every POST, and secure headers."""

from __future__ import annotations

import secrets
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, MutableHeaders
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kith.errors import Forbidden

CSRF_FIELD = "csrf"
TILES = "https://tile.openstreetmap.org"
# No inline script or style anywhere: scripts and styles come from /static and /vendor only.
POLICY = "; ".join((
    "default-src 'self'", "script-src 'self'", "style-src 'self'",
    f"img-src 'self' data: {TILES}", "connect-src 'self'", "object-src 'none'",
    "base-uri 'none'", "form-action 'self'", "frame-ancestors 'none'",
))  # fmt: skip
HEADERS = {
    "content-security-policy": POLICY,
    "x-frame-options": "DENY",
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
    "permissions-policy": "camera=(), microphone=(), geolocation=()",
    "cross-origin-opener-policy": "same-origin",
}


class StoreSessions:
    """Starlette's signed-cookie sessions, keyed by the secret the store keeps
    (``Kith.session_key``), so that every worker and server on one store accepts the others'
    sessions. Built at the first request: the store opens with the app, after this is made."""

    def __init__(self, app: ASGIApp, **options: Any) -> None:
        self.app = app
        self.options = options
        self.sessions: SessionMiddleware | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.sessions is None:
            kith = scope["app"].state.kith
            key = await run_in_threadpool(kith.session_key)
            self.sessions = SessionMiddleware(self.app, secret_key=key, **self.options)
        await self.sessions(scope, receive, send)


def csrf_token(request: Request) -> str:
    """The session's CSRF token, made on first use; every form carries it back."""
    if CSRF_FIELD not in request.session:
        request.session[CSRF_FIELD] = secrets.token_urlsafe(32)
    return request.session[CSRF_FIELD]


async def checked_form(request: Request) -> FormData:
    """A POSTed form, if it carries this session's CSRF token."""
    form = await request.form()
    sent, expected = form.get(CSRF_FIELD), request.session.get(CSRF_FIELD)
    if not (isinstance(sent, str) and expected and secrets.compare_digest(sent, expected)):
        raise Forbidden("this form has expired or came from another site: reload the page and "
                        "try again")  # fmt: skip
    return form


class SecureHeaders:
    """Adds ``HEADERS`` to every response, and keeps pages (which may show people) out of
    caches; static files may still be cached."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in HEADERS.items():
                    headers.setdefault(name, value)
                if headers.get("content-type", "").startswith("text/html"):
                    headers["cache-control"] = "no-store"
            await send(message)

        await self.app(scope, receive, send_with_headers)


class SameOrigin:
    """Refuses a POST whose Origin header names another site: a second guard behind the CSRF
    token, for browsers that send it."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] not in ("GET", "HEAD", "OPTIONS"):
            request = Request(scope)
            origin = request.headers.get("origin")
            if origin and origin != f"{request.url.scheme}://{request.url.netloc}":
                raise Forbidden("this form was sent from another site")
        await self.app(scope, receive, send)
