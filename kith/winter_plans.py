"""Winter plans and carer emergency plans (issue 16, after Derby's "Your Life, Your Choice":
"if they get snowed in, or become poorly and need someone to fetch their prescription or get
them some bread and milk, we will link them up with someone who will do that for them").

A plan per person: the practical needs it covers, who to call, the named helpers — approved
volunteers, each with the needs they cover — and, for someone a carer looks after, what to do
if the carer falls ill: who steps in and what they need to know.

Coordinators write it; whoever may read the person reads it (kith/access.py). A helper may not
read the person's record, so they get a narrow path of their own (``helping``): for each plan
naming them, the person's name and postcode, the contacts, and their own part — never another
helper's, never the rest of the record. Every read and change is audited, ids only; each change
keeps the version it replaces.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

from graph import people as people_repo
from graph import winter_plans as repo
from matching.helpers import NEEDS_DBS
from matching.rules import dbs_current
from matching.weights import DEFAULT

from . import audit, people
from .access import per_person, require
from .accounts import Account, Role
from .domain import Person, PracticalNeed, VolunteerProfile, plain
from .errors import InvalidInput, NotFound
from .service import Kith
from .suggestions import located

MAX_HELPERS = 10
MAX_CONTACTS = 10
CONTACT_LENGTH = 200
IF_CARER_IS_ILL_LENGTH = 2000
CHOICES = 12  # volunteers offered on the page's form
T = TypeVar("T")


@dataclass(frozen=True)
class Helper:
    person_id: str
    needs: list[PracticalNeed]


@dataclass(frozen=True)
class WinterPlan:
    person_id: str
    needs: list[PracticalNeed]
    helpers: list[Helper]
    contacts: list[str]
    if_carer_is_ill: str | None
    steps_in: str | None  # who steps in when the carer cannot
    updated_at: str
    updated_by: str | None

    @property
    def named(self) -> set[str]:
        """Everyone the plan names: the helpers and whoever steps in."""
        return {h.person_id for h in self.helpers} | ({self.steps_in} if self.steps_in else set())


@dataclass(frozen=True)
class HelpingPart:
    """What a helper sees of a plan that names them: whom, where, whom to call, their part."""

    person_id: str
    name: str
    postcode: str | None
    needs: list[PracticalNeed]  # the needs this helper covers, not the whole plan's
    contacts: list[str]
    steps_in: bool
    if_carer_is_ill: str | None  # only for whoever steps in for the carer


def plan_of(person_id: str, stored: dict[str, Any]) -> WinterPlan:
    """A plan from its stored version (graph/winter_plans.py's property names)."""
    named = stored.get("named") or []
    return WinterPlan(
        person_id=person_id, needs=[PracticalNeed(n) for n in stored.get("needs") or []],
        helpers=[Helper(h["id"], [PracticalNeed(n) for n in h["needs"]])
                 for h in named if h["needs"]],
        contacts=list(stored.get("contacts") or []),
        if_carer_is_ill=stored.get("ifCarerIsIll"),
        steps_in=next((h["id"] for h in named if h["stepsIn"]), None),
        updated_at=stored["updatedAt"], updated_by=stored.get("updatedBy"),
    )  # fmt: skip


# reading -------------------------------------------------------------------------------


def of_people(
    kith: Kith, actor: Account | None, person_ids: list[str]
) -> dict[str, WinterPlan | Exception | None]:
    """Each person's winter plan (None when they have none), or the actor's refusal for them."""

    def fetch(allowed: list[str]) -> dict[str, WinterPlan]:
        return {i: plan_of(i, p) for i, p in repo.latest(kith.store, allowed).items()}

    found = per_person(kith.store, actor, person_ids, "winterPlan.read", fetch)
    return {i: found.get(i) for i in person_ids}


def get(kith: Kith, actor: Account | None, person_id: str) -> WinterPlan | None:
    """The person's winter plan, if the actor may read the person (else their refusal)."""
    people.get(kith, actor, person_id)
    return allowed(of_people(kith, actor, [person_id])[person_id])


def allowed(found: T | Exception) -> T:
    """What a read gave for one person, unless it is the refusal."""
    if isinstance(found, Exception):
        raise found
    return found


def helping(kith: Kith, actor: Account | None) -> list[HelpingPart]:
    """The parts of winter plans that name the signed-in volunteer, by the person's name: the
    helper's narrow path to what they need, which readable() does not (and must not) give."""
    actor = require(actor, Role.VOLUNTEER)
    me = actor.person_id
    if me is None:
        return []
    plans = repo.latest(kith.store, repo.naming(kith.store, me))
    mine = {person: part for person, plan in plans.items()
            for part in plan["named"] if part["id"] == me}  # fmt: skip
    held = people_repo.people_by_id(kith.store, sorted(mine))
    parts = [part_for(held[i], plans[i], mine[i]) for i in mine if i in held]
    if parts:
        audit.record(kith.store, actor, "winterPlan.helping", sorted(p.person_id for p in parts))
    return sorted(parts, key=lambda p: (p.name, p.person_id))


def part_for(person: Person, plan: dict[str, Any], part: dict[str, Any]) -> HelpingPart:
    return HelpingPart(
        person_id=person.id, name=person.name, postcode=person.postcode,
        needs=[PracticalNeed(n) for n in part["needs"]], contacts=list(plan.get("contacts") or []),
        steps_in=part["stepsIn"],
        if_carer_is_ill=plan.get("ifCarerIsIll") if part["stepsIn"] else None,
    )  # fmt: skip


def carers(kith: Kith, actor: Account | None, person_id: str) -> list[str]:
    """Who cares for the person: a plan has a carer emergency part only when someone does."""
    found = per_person(kith.store, actor, [person_id], "carers.read",
                       lambda ids: {i: repo.carers(kith.store, i) for i in ids})  # fmt: skip
    return allowed(found[person_id])


def choices(kith: Kith, actor: Account | None, person_id: str) -> list[tuple[Person, float]]:
    """Approved volunteers who offer practical help and whose travel limit reaches the
    person, nearest first, to choose helpers from on the page (a lower bound of each
    distance, as kith/memory/nearby.py gives it; ``helpers`` applies the hard rules on saving)."""
    actor = require(actor, Role.COORDINATOR)
    person = people.get(kith, actor, person_id)
    if person.latitude is None or person.longitude is None:
        return []
    near = kith.volunteer_mirror.current().around(located(person))
    found = sorted(((p, km) for p, km in near
                    if p.volunteer and p.volunteer.approved and p.volunteer.helps
                    and p.id != person_id),
                   key=lambda pair: (pair[1], pair[0].id))[:CHOICES]  # fmt: skip
    if found:
        audit.record(kith.store, actor, "person.suggested", [p.id for p, _ in found])
    return found


def held(kith: Kith, person_id: str) -> dict[str, Any] | None:
    """The plan with every earlier version, of a person the caller may read: for export."""
    found = repo.latest(kith.store, [person_id]).get(person_id)
    return plain(found) if found else None


def named_in(kith: Kith, person_id: str) -> list[dict[str, Any]]:
    """The parts of plans naming this person, as ids and needs: a helper's own export."""
    plans = repo.latest(kith.store, repo.naming(kith.store, person_id))
    return [{"for": person, "needs": part["needs"], "stepsIn": part["stepsIn"]}
            for person, plan in sorted(plans.items())
            for part in plan["named"] if part["id"] == person_id]  # fmt: skip


# writing -------------------------------------------------------------------------------


def set_winter_plan(kith: Kith, actor: Account | None, person_id: str, form: dict) -> Person:
    """A coordinator writes the whole plan (WinterPlanInput as a dict); the version it replaces
    is kept. A helper in ``helpers`` without an entry in ``helper_needs`` covers every need
    of the plan. Everything is checked before anything is written."""
    actor = require(actor, Role.COORDINATOR)
    person = people.get(kith, actor, person_id)
    needs = need_names(form.get("needs"), "needs")
    named = helpers(kith, person_id, needs, form)
    version = {
        "needs": needs, "contacts": contacts(form.get("contacts")),
        "ifCarerIsIll": carer_part(kith, person_id, form, named),
        "named": named, "updatedAt": audit.now(), "updatedBy": actor.id,
    }  # fmt: skip
    if not repo.save(kith.store, person_id, people.new_id("winter"), version):
        raise NotFound(f"no person {person_id}")  # erased between the read and the write
    audit.record(kith.store, actor, "winterPlan.update", [person_id])
    return person


def need_names(values: list | None, field: str) -> list[str]:
    """Distinct practical needs in the enum's order; an unknown one is named."""
    given = {plain(v) for v in values or []}
    unknown = sorted(str(v) for v in given - PracticalNeed.__members__.keys())
    if unknown:
        raise InvalidInput(field, f"{unknown[0]!r} is not one of "
                                  f"{', '.join(PracticalNeed.__members__)}")  # fmt: skip
    return [n for n in PracticalNeed.__members__ if n in given]


def helpers(kith: Kith, person_id: str, needs: list[str], form: dict) -> list[dict[str, Any]]:
    """The named helpers as stored (``{id, needs, stepsIn}``), each an approved volunteer
    covering some of the plan's needs."""
    covers = helper_needs(form.get("helper_needs") or [], needs)
    given = [people.text(i, "helpers", 100, required=True) or "" for i in form.get("helpers") or []]
    ids = list(dict.fromkeys([*given, *covers]))
    if len(ids) > MAX_HELPERS:
        raise InvalidInput("helpers", f"at most {MAX_HELPERS} helpers, not {len(ids)}")
    if person_id in ids:
        raise InvalidInput("helpers", "the person cannot be their own helper")
    found = people_repo.people_by_id(kith.store, ids)
    for i in ids:
        v = found[i].volunteer if i in found else None
        if v is None or not v.approved:
            raise InvalidInput("helpers", f"{i} is not an approved volunteer")
        if not covers.get(i, needs):
            raise InvalidInput("helpers", f"{i} covers none of the plan's needs: choose the "
                                          "needs first")  # fmt: skip
        why = unfit(v, covers.get(i, needs), date.today())
        if why:
            raise InvalidInput("helpers", f"{i} {why}")
    return [{"id": i, "needs": covers.get(i, needs), "stepsIn": False} for i in ids]


def unfit(volunteer: VolunteerProfile, needs: list[str], today: date) -> str | None:
    """Why this volunteer may not cover these needs, by the hard rules suggestions keep
    (matching/helpers.py): they offer each need, and hold a current DBS check for those that
    ask for one. None when they may."""
    for need in map(PracticalNeed, needs):
        if need not in volunteer.helps:
            return f"does not offer {need.value}"
        if need in NEEDS_DBS and not dbs_current(volunteer.dbs_checked_on, today,
                                                 DEFAULT.dbs_valid_years):  # fmt: skip
            return f"has no current DBS check, which {need.value} needs"
    return None


def helper_needs(given: list[dict], needs: list[str]) -> dict[str, list[str]]:
    """Which needs each helper covers, each among the plan's; named by the helper's id."""
    covers: dict[str, list[str]] = {}
    for entry in given:
        helper = people.text(entry.get("helper_id"), "helperNeeds", 100, required=True) or ""
        if helper in covers:
            raise InvalidInput("helperNeeds", f"{helper} is given twice")
        wanted = need_names(entry.get("needs"), "helperNeeds")
        outside = [n for n in wanted if n not in needs]
        if outside:
            raise InvalidInput("helperNeeds", f"{helper}: {outside[0]} is not one of the "
                                              "plan's needs")  # fmt: skip
        covers[helper] = wanted
    return covers


def contacts(values: list | None) -> list[str]:
    if len(values or []) > MAX_CONTACTS:
        raise InvalidInput("contacts", f"at most {MAX_CONTACTS} contacts")
    return [people.text(v, "contacts", CONTACT_LENGTH, required=True) or "" for v in values or []]


def carer_part(kith: Kith, person_id: str, form: dict, named: list[dict[str, Any]]) -> str | None:
    """What to do if the carer falls ill, for someone a carer looks after; whoever steps in
    is marked among the named (added when not a helper already). Returns the text."""
    said = people.text(form.get("if_carer_is_ill"), "ifCarerIsIll", IF_CARER_IS_ILL_LENGTH)
    steps_in = people.text(form.get("steps_in"), "stepsIn", 100)
    if said is None and steps_in is None:
        return None
    cared_by = repo.carers(kith.store, person_id)
    if not cared_by:
        raise InvalidInput("ifCarerIsIll" if said else "stepsIn", "is only for someone a carer "
                           "looks after, and nobody's caresFor includes this person")  # fmt: skip
    if steps_in is None:
        return said
    if steps_in == person_id or steps_in in cared_by:
        raise InvalidInput("stepsIn", "must be someone other than the person and their carer")
    if not people_repo.exists(kith.store, steps_in):
        raise InvalidInput("stepsIn", f"no person {steps_in}")
    part = next((p for p in named if p["id"] == steps_in), None)
    if part is None:
        named.append({"id": steps_in, "needs": [], "stepsIn": True})
    else:
        part["stepsIn"] = True
    return said
