"""Volunteers' pages: the public sign-up form, a volunteer's own record, and the coordinators'
list of volunteers waiting for approval."""

from __future__ import annotations

from dataclasses import dataclass

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response

from kith import accounts, people
from kith.access import require
from kith.accounts import Account, Role
from kith.domain import DayPart, Person, PracticalNeed, Weekday
from kith.errors import InvalidInput
from kith.service import Kith

from . import winter_plans
from .forms import FormState, day, sentence, values_of, volunteer_input, volunteer_values
from .render import page, see_other
from .signin import start_session

HELPS = [
    (PracticalNeed.PRESCRIPTIONS, "Collecting prescriptions"),
    (PracticalNeed.SHOPPING, "Shopping for someone (needs a DBS check)"),
    (PracticalNeed.CHECK_IN, "Looking in on someone at home (needs a DBS check)"),
    (PracticalNeed.LIFTS, "Giving lifts (needs a DBS check)"),
    (PracticalNeed.SNOW_CLEARING, "Clearing snow from a path"),
]
"""The practical needs (matching/helpers.py says which ask for a DBS check, and why)."""
GRID = {"days": list(Weekday), "parts": list(DayPart), "helps": HELPS}


def typed(form: FormData) -> dict[str, object]:
    """The form's inputs as typed, the practical help ticked among them."""
    return {**volunteer_values(form), "helps": [str(v) for v in form.getlist("helps")]}


def as_input(values: dict[str, object]) -> dict[str, object]:
    """The typed form as ``VolunteerInput``'s dict, with the practical help."""
    return {**volunteer_input(values), "helps": values["helps"]}


def shown(person: Person, kith: Kith) -> dict[str, object]:
    """A volunteer's record as the form's inputs, the help they give ticked."""
    helps = person.volunteer.helps if person.volunteer else []
    return {**values_of(person, kith.taxonomy), "helps": [n.value for n in helps]}


def form_page(
    request: Request, state: FormState, signup: bool, status: int = 200,
    person: Person | None = None,
) -> Response:  # fmt: skip
    return page(request, "volunteer_form.html", status, state=state, signup=signup,
                person=person, **GRID)  # fmt: skip


async def sign_up_page(request: Request) -> Response:
    empty = {"max_travel_km": "3", "capacity": "1", "helps": []}
    return form_page(request, FormState(values=empty), True)


def register(kith: Kith, values: dict[str, object], password: str) -> Account:
    """The volunteer's record and an account they sign in to with the name and password they
    chose, written together (a taken name writes nothing)."""
    done = people.register_volunteer(kith, None, as_input(values),
                                     str(values["login"]), password)  # fmt: skip
    return accounts.authenticate(kith.store, done.token or "")


async def sign_up(request: Request, form: FormData) -> Response:
    """Register, then sign the new volunteer in and say what happens next."""
    values = typed(form)
    try:
        account = await run_in_threadpool(register, request.app.state.kith, values,
                                          str(form.get("password", "")))  # fmt: skip
    except InvalidInput as error:
        return form_page(request, FormState(values).fail(error), True, 400)
    start_session(request, account)
    return see_other("/welcome")


async def welcome(request: Request) -> Response:
    """What happens next, for a volunteer who has just signed up."""
    actor = require(request.scope["actor"], Role.VOLUNTEER)
    person = await run_in_threadpool(people.get, request.app.state.kith, actor, actor.person_id)
    return page(request, "welcome.html", person=person, login=actor.login)


def own_record(request: Request) -> tuple[Kith, Account]:
    actor = require(request.scope["actor"], Role.VOLUNTEER)
    if actor.person_id is None:
        raise InvalidInput("account", "this account has no volunteer record")
    return request.app.state.kith, actor


async def my_record(request: Request) -> Response:
    kith, actor = own_record(request)
    person = await run_in_threadpool(people.get, kith, actor, actor.person_id)
    request.state.helping = await winter_plans.helping(request)  # for helping.html
    return form_page(request, FormState(shown(person, kith)), False, person=person)


def save_own(kith: Kith, actor: Account, values: dict[str, object]) -> None:
    """Update the record; a change of matching consent is recorded as consent (with its
    history), not just overwritten."""
    patch = as_input(values)
    consent = bool(patch.pop("consent_to_matching"))
    before = people.get(kith, actor, str(actor.person_id)).consent_to_matching
    people.update(kith, actor, str(actor.person_id), patch)
    if consent != before:
        people.record_consent(kith, actor, str(actor.person_id), "MATCHING", consent)


async def update_my_record(request: Request, form: FormData) -> Response:
    kith, actor = own_record(request)
    values = typed(form)
    try:
        await run_in_threadpool(save_own, kith, actor, values)
    except InvalidInput as error:
        return form_page(request, FormState(values).fail(error), False, 400)
    return see_other("/my-record", request, "Your record is saved.")


@dataclass
class Pending:
    """A volunteer waiting for approval, and an error about them from the last try."""

    person: Person
    error: str | None = None


async def pending_page(request: Request, failed: tuple[str, str] | None = None) -> Response:
    actor = require(request.scope["actor"], Role.COORDINATOR)
    found = await run_in_threadpool(people.pending_volunteers, request.app.state.kith, actor)
    rows = [Pending(p, failed[1] if failed and failed[0] == p.id else None) for p in found]
    return page(request, "pending.html", 400 if failed else 200, pending=rows)


async def approve(request: Request, form: FormData) -> Response:
    """Approve a volunteer, with the date of their DBS check when there is one."""
    kith, actor = request.app.state.kith, request.scope["actor"]
    person_id = request.path_params["person_id"]
    try:
        checked = day(str(form.get("dbs_checked_on", "")).strip(), "dbsCheckedOn")
        await run_in_threadpool(people.approve_volunteer, kith, actor, person_id, checked)
    except InvalidInput as error:
        return await pending_page(request, (person_id, sentence("dbs_checked_on", error.reason)))
    return see_other("/volunteers", request, "Approved: they can now be suggested as a buddy.")
