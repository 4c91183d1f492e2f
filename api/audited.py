"""Answers leave once what they showed is on the audit trail.

Every read of a person writes audit events (kith/audit.py). Inside a request they are committed
while the request goes on working (``audit.overlapping``) rather than one after another in its
path: a buddy suggestion records two reads and spent a fifth of its time waiting on those
commits. The response is held here until every event is committed; if one cannot be, nothing
read is sent and the client gets 503 UNAVAILABLE instead, in the shape of the door it asked.
"""

from __future__ import annotations

import asyncio
import logging

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kith import audit

from .auth import refuse

log = logging.getLogger("kith.api")
WITHHELD = "the audit trail could not be written, so nothing was shown: try again"


class AuditedResponses:
    """Holds each response until the audit events of its request are committed."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        held: list[Message] = []

        async def hold(message: Message) -> None:
            held.append(message)

        with audit.overlapping() as pending:
            try:
                await self.app(scope, receive, hold)
            finally:
                failed = await committed(pending)
        if failed:
            return await refuse(scope, send, 503, "UNAVAILABLE", WITHHELD)
        for message in held:
            await send(message)


async def committed(pending: list) -> bool:
    """Wait for every batch (each is waited for, whatever the others do); True if one failed."""
    outcomes = await asyncio.gather(*map(asyncio.wrap_future, pending), return_exceptions=True)
    errors = [o for o in outcomes if isinstance(o, BaseException)]
    for error in errors:  # the type only: a message could carry what was written
        log.error("an audit batch was not committed (%s): the answer was withheld",
                  type(error).__name__)  # fmt: skip
    return bool(errors)
