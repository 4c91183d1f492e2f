"""What makes the pages safe to use in a browser: the session's signing secret, a CSRF token
per session checked on every form, a same-origin check on every POST, and secure headers."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from starlette.datastructures import FormData, MutableHeaders
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kith.errors import Forbidden

SECRET_FILE = "web-session.key"
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


def session_secret(data_dir: Path) -> str:
    """The key that signs session cookies: made once per data directory, readable by its owner
    only, so that sessions survive a restart and every process on the directory agrees."""
    data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    path = data_dir / SECRET_FILE
    if not path.exists():
        # Written aside then linked into place: two processes starting together cannot both
        # win, and neither can read a half-written key.
        draft = data_dir / f".{SECRET_FILE}.{secrets.token_hex(4)}"
        fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as out:
            out.write(secrets.token_urlsafe(48))
        try:
            os.link(draft, path)
        except FileExistsError:
            pass
        finally:
            draft.unlink()
    return path.read_text().strip()


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
