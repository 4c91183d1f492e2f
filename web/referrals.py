"""A prescriber's "My referrals": the people they referred, where each referral has got and
where each person is now, a form to refer someone, which calls the same service as GraphQL's
``referPerson``, and a page for each referral that a practice can print."""

from __future__ import annotations

from datetime import date

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response

from kith import people, referrals
from kith.access import require
from kith.accounts import Account, Role
from kith.errors import InvalidInput
from kith.service import Kith

from .forms import REFERRAL_LABELS, FormState, referral_input, referral_values
from .render import page, see_other

URGENCIES = tuple((value, value.capitalize()) for value in people.URGENCIES)  # with labels
BUDDY = {"ACCEPTED": "Has a buddy", "PROPOSED": "Buddy proposed, not yet agreed"}
STATUSES = {
    "RECEIVED": "Received, not yet taken on", "ACCEPTED": "Accepted by a coordinator",
    "IN_PROGRESS": "In progress", "COMPLETED": "Completed", "DECLINED": "Declined",
    "DID_NOT_ENGAGE": "Closed: did not engage", "WITHDRAWN": "Withdrawn",
}  # fmt: skip


def blank() -> FormState:
    values = {"urgency": people.URGENCIES[0], "consent": False}
    return FormState(values=values, labels=REFERRAL_LABELS)


async def referrals_page(request: Request, state: FormState | None = None) -> Response:
    """The list, newest referral first, and the form (blank, or as sent with its error)."""
    actor = require(request.scope["actor"], Role.PRESCRIBER)
    state = state or blank()
    listed = await run_in_threadpool(referrals.mine, request.app.state.kith, actor)
    return page(request, "referrals.html", 400 if state.errors else 200, referred=listed,
                state=state, urgencies=URGENCIES, buddy=BUDDY, statuses=STATUSES)  # fmt: skip


def refer(kith: Kith, actor: Account, values: dict[str, object]) -> None:
    person, reason, urgency = referral_input(values)
    people.refer(kith, actor, person, reason, urgency)


async def refer_someone(request: Request, form: FormData) -> Response:
    """Refer, then back to the list saying so (the notice names nobody: it lives in the
    session cookie); a mistake shows the form again as typed, with the error by its input."""
    actor = require(request.scope["actor"], Role.PRESCRIBER)
    values = referral_values(form)
    try:
        await run_in_threadpool(refer, request.app.state.kith, actor, values)
    except InvalidInput as error:
        state = FormState(values, labels=REFERRAL_LABELS).fail(error)
        return await referrals_page(request, state)
    return see_other("/referrals", request, "Referral made: they are at the top of your list.")


async def print_page(request: Request) -> Response:
    """One of the prescriber's own referrals, to print for the practice (anyone else's: 404)."""
    actor = require(request.scope["actor"], Role.PRESCRIBER)
    shown = await run_in_threadpool(referrals.one, request.app.state.kith, actor,
                                    request.path_params["referral_id"])  # fmt: skip
    return page(request, "referral_print.html", r=shown, statuses=STATUSES, today=date.today())
