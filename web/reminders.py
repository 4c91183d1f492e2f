"""The coordinators' "Reviews due" page: listings due or overdue for review, who keeps each,
the reminders sent, and the button that writes today's reminders (kith/reminders.py, the
same service as ``kith reminders``)."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response

from kith import reminders

from .render import page, see_other

PATH = "/reminders"
SHOWN = 200


async def reminders_page(request: Request) -> Response:
    kith, actor = request.app.state.kith, request.scope["actor"]
    due = await run_in_threadpool(reminders.listing_page, kith, actor)
    return page(request, "reminders.html", due=due[:SHOWN], total=len(due),
                outbox=reminders.default_outbox(kith), every=reminders.REMINDER_DAYS)  # fmt: skip


async def write(request: Request, form: FormData) -> Response:
    kith, actor = request.app.state.kith, request.scope["actor"]
    sent = await run_in_threadpool(reminders.send, kith, actor)
    said = (f"{len(sent.reminded)} listings reminded about; "
            f"{reminders.plural(len(sent.files), 'e-mail')} written to the outbox.")  # fmt: skip
    return see_other(PATH, request, said)
