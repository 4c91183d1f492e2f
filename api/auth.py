"""Two guards in front of every route: who is asking (bearer token), and how much they send.

Both answer in GraphQL's error shape, so a client reads the same ``extensions.code`` whether a
request failed at the door or inside a resolver; at the FHIR door, as an OperationOutcome.
"""

from __future__ import annotations

import json

from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kith.errors import KithError

from .fhir.outcome import Issue, outcome

MAX_BODY_BYTES = 256 * 1024


# FHIR's issue type for each refusal at the door (hl7.org/fhir/R4/valueset-issue-type.html).
FHIR_ISSUES = {401: "login", 413: "too-long", 503: "transient"}


async def refuse(scope: Scope, send: Send, status: int, code: str, message: str) -> None:
    """The refusal in the shape of the door asked: an OperationOutcome at /fhir, where a GP
    system reads FHIR only, and GraphQL's error shape everywhere else."""
    if scope["path"].startswith("/fhir"):
        issue = Issue(FHIR_ISSUES.get(status, "exception"), message)
        body, kind = json.dumps(outcome([issue])).encode(), b"application/fhir+json"
    else:
        error = {"message": message, "extensions": {"code": code}}
        body, kind = json.dumps({"data": None, "errors": [error]}).encode(), b"application/json"
    headers = [(b"content-type", kind), (b"content-length", str(len(body)).encode())]
    if status == 401:
        headers.append((b"www-authenticate", b"Bearer"))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class BearerAuth:
    """Puts the account of ``Authorization: Bearer <token>`` in ``scope["actor"]`` (None for
    the public); an unknown or revoked token is refused with 401 UNAUTHENTICATED (a revoked one
    within ``accounts.TOKEN_SECONDS``: kith/accounts.py ``Recent``)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        header = dict(scope["headers"]).get(b"authorization", b"").decode("latin-1")
        scope["actor"] = None
        if header:
            scheme, _, token = header.partition(" ")
            if scheme.lower() != "bearer" or not token.strip():
                return await refuse(
                    scope, send, 401, "UNAUTHENTICATED", "use: Authorization: Bearer <token>"
                )
            try:
                kith = scope["app"].state.kith
                scope["actor"] = kith.signed_in.cached(token) or await run_in_threadpool(
                    kith.signed_in.authenticate, kith.store, token)  # fmt: skip
            except KithError as error:
                status = 401 if error.code == "UNAUTHENTICATED" else 503
                return await refuse(scope, send, status, error.code, str(error))
        await self.app(scope, receive, send)


class BodyLimit:
    """Refuses request bodies over ``MAX_BODY_BYTES`` (413), declared or streamed."""

    def __init__(self, app: ASGIApp, limit: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        declared = dict(scope["headers"]).get(b"content-length", b"0")
        if declared.isdigit() and int(declared) > self.limit:
            return await refuse(
                scope, send, 413, "BAD_USER_INPUT", f"request body over {self.limit} bytes"
            )
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.limit:
                raise TooLarge
            return message

        try:
            await self.app(scope, counted, send)
        except TooLarge:
            await refuse(
                scope, send, 413, "BAD_USER_INPUT", f"request body over {self.limit} bytes"
            )


class TooLarge(Exception):
    """A streamed body passed the limit."""
