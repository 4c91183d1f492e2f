"""The winter plan on the pages: its section of the person page (and the coordinator's form),
the printable page for the fridge door, and a volunteer's list of the people they help.

Every read goes through kith.winter_plans (authorised and audited); a helper's list is their
narrow path (``helping``), never the people's records.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response

from kith import people, winter_plans
from kith.access import require
from kith.accounts import Account, Role
from kith.domain import Person, PracticalNeed
from kith.service import Kith
from kith.winter_plans import HelpingPart, WinterPlan, allowed

from .forms import text
from .render import page, templates

# Each need as a person says it, on the page and on the fridge door.
NEEDS = {
    PracticalNeed.PRESCRIPTIONS: "Fetching prescriptions",
    PracticalNeed.SHOPPING: "Shopping (bread, milk and the basics)",
    PracticalNeed.CHECK_IN: "Calling in to see all is well",
    PracticalNeed.LIFTS: "Lifts to appointments",
    PracticalNeed.SNOW_CLEARING: "Clearing snow and ice from the path",
}  # fmt: skip
EMPTY_ROWS = 2  # helper rows offered on the form beyond those named
templates.env.globals["need_labels"] = NEEDS


@dataclass
class Section:
    """What the person page's winter plan section shows."""

    plan: WinterPlan | None
    names: dict[str, str | None]  # person id: name, None when the actor may not see them
    cared_for: bool  # someone cares for them: the plan has a carer emergency part
    choices: list[tuple[Person, float]]  # volunteers to name, for a coordinator
    may_write: bool

    @property
    def rows(self) -> list[tuple[str | None, list[PracticalNeed]]]:
        """The form's helper rows: each named helper, then a few empty ones."""
        named = [(h.person_id, h.needs) for h in self.plan.helpers] if self.plan else []
        return named + [(None, [])] * EMPTY_ROWS


def section(kith: Kith, actor: Account, person: Person) -> Section:
    """The section's data, read as the actor (the person page has read the person)."""
    from .people import names_of  # here: the person page builds on this module

    plan = allowed(winter_plans.of_people(kith, actor, [person.id])[person.id])
    may_write = actor.sees_everyone
    choices = winter_plans.choices(kith, actor, person.id) if may_write else []
    known = {p.id: p.name for p, _ in choices}
    names = names_of(kith, actor, (plan.named if plan else set()) - known.keys())
    return Section(plan, {**names, **known}, bool(winter_plans.carers(kith, actor, person.id)),
                   choices, may_write)  # fmt: skip


async def save(request: Request, form: FormData) -> Response:
    """The plan as the coordinator's form gives it: a helper row left at nobody is dropped."""
    from .people import act

    person_id = request.path_params["person_id"]
    return await act(request, person_id, "Winter plan saved.", plan_from_form, person_id, form)


def plan_from_form(kith: Kith, actor: Account, person_id: str, form: FormData) -> Person:
    rows = [(str(helper), form.getlist(f"helper_needs_{n}"))
            for n, helper in enumerate(form.getlist("helper"), start=1) if str(helper)]  # fmt: skip
    plan = {
        "needs": form.getlist("needs"), "helpers": [h for h, _ in rows],
        "helper_needs": [{"helper_id": h, "needs": needs} for h, needs in rows if needs],
        "contacts": [c.strip() for c in text(form, "contacts").splitlines() if c.strip()],
        "if_carer_is_ill": text(form, "if_carer_is_ill") or None,
        "steps_in": text(form, "steps_in") or None,
    }  # fmt: skip
    return winter_plans.set_winter_plan(kith, actor, person_id, plan)


@dataclass
class Printed:
    person: Person
    plan: WinterPlan | None
    names: dict[str, str | None]


def printed(kith: Kith, actor: Account, person_id: str) -> Printed:
    from .people import names_of

    person = people.get(kith, actor, person_id)
    plan = winter_plans.get(kith, actor, person_id)
    return Printed(person, plan, names_of(kith, actor, plan.named if plan else set()))


async def print_page(request: Request) -> Response:
    """The plan on one page, in large clear type, for the fridge door: coordinators print it."""
    actor = require(request.scope["actor"], Role.COORDINATOR)
    shown = await run_in_threadpool(printed, request.app.state.kith, actor,
                                    request.path_params["person_id"])  # fmt: skip
    return page(request, "winter_plan_print.html", shown=shown, today=date.today())


async def helping(request: Request) -> list[HelpingPart]:
    """The parts of plans naming the signed-in volunteer, for their My record page."""
    return await run_in_threadpool(winter_plans.helping, request.app.state.kith,
                                   request.scope["actor"])  # fmt: skip
