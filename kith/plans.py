"""A person's plan: what matters to them, in their own words, their goals with steps, and when
to look at it again — the single plan everyone allowed to see the person shares.

Coordinators write it. Whoever may read the person reads it (kith/access.py): a prescriber
reads the plan of the people they referred, the loop back to them, though the rest of what a
coordinator records stays the coordinator's (kith.people.as_sent). Each change keeps the
version it replaces in the plan's history, and every read and change is audited, ids only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import Enum
from typing import Any

from graph import plans as repo

from . import audit, people
from .access import readable, require
from .accounts import Account, Role
from .domain import Person, plain
from .errors import Forbidden, InvalidInput, NotFound
from .service import Kith

WHAT_MATTERS_LENGTH = 2000
GOAL_LENGTH = 500
STEP_LENGTH = 500
MAX_GOALS = 20
MAX_STEPS = 20
EARLIEST_REVIEW = date(2000, 1, 1)
# A plan is looked at again within months; a review date years away is a typing slip.
LONGEST_UNTIL_REVIEW = timedelta(days=2 * 366)


class GoalStatus(Enum):
    OPEN = "OPEN"
    MET = "MET"
    DROPPED = "DROPPED"


@dataclass(frozen=True)
class Goal:
    id: str
    text: str
    status: GoalStatus
    steps: list[str]


@dataclass(frozen=True)
class Plan:
    person_id: str
    what_matters: str | None
    goals: list[Goal]
    review_on: date | None
    updated_at: str
    updated_by: str | None


def plan_of(person_id: str, version: dict[str, Any]) -> Plan:
    """A plan from a stored version (graph/plans.py's property names)."""
    review = version.get("reviewOn")
    return Plan(
        person_id=person_id, what_matters=version.get("whatMatters"),
        goals=[Goal(g["id"], g["text"], GoalStatus(g["status"]), list(g["steps"]))
               for g in version.get("goals") or []],
        review_on=date.fromisoformat(review) if review else None,
        updated_at=version["updatedAt"], updated_by=version.get("updatedBy"),
    )  # fmt: skip


# reading -------------------------------------------------------------------------------


def of_people(
    kith: Kith, actor: Account | None, person_ids: list[str]
) -> dict[str, Plan | Exception | None]:
    """Each person's plan (None when they have none yet), or the refusal the actor gets for
    them: one check, one read and one audit for a list that has read the people already."""
    allowed = readable(kith.store, actor, person_ids)
    denied = [i for i in person_ids if i not in allowed]
    if denied:
        audit.record(kith.store, actor, "plan.read", denied, outcome="denied")
    found = repo.latest(kith.store, sorted(allowed)) if allowed else {}
    if allowed:
        audit.record(kith.store, actor, "plan.read", sorted(allowed))
    out: dict[str, Plan | Exception | None] = {
        i: Forbidden(f"you may not see person {i}") for i in denied
    }
    out.update({i: plan_of(i, found[i]) if i in found else None for i in allowed})
    return out


def get(kith: Kith, actor: Account | None, person_id: str) -> Plan | None:
    """The person's plan, if the actor may read the person (else their refusal)."""
    people.get(kith, actor, person_id)
    found = of_people(kith, actor, [person_id])[person_id]
    if isinstance(found, Exception):
        raise found
    return found


def held(kith: Kith, person_id: str) -> dict[str, Any] | None:
    """The plan with every earlier version, of a person the caller may read: for export."""
    found = repo.latest(kith.store, [person_id]).get(person_id)
    return plain(found) if found else None


# writing -------------------------------------------------------------------------------


def set_plan(kith: Kith, actor: Account | None, person_id: str, form: dict) -> Person:
    """A coordinator writes the person's plan whole (PlanInput as a dict); the version it
    replaces is kept. A goal sent with an id is that goal of the current plan, changed; one
    without is new."""
    actor = require(actor, Role.COORDINATOR)
    person = people.get(kith, actor, person_id)
    current = repo.latest(kith.store, [person_id]).get(person_id)
    known = {g["id"] for g in current["goals"]} if current else set()
    version = {
        "whatMatters": people.text(form.get("what_matters"), "whatMatters", WHAT_MATTERS_LENGTH),
        "goals": goals(form.get("goals") or [], known),
        "reviewOn": review_date(form.get("review_on")),
        "updatedAt": audit.now(),
        "updatedBy": actor.id,
    }
    if not repo.save(kith.store, person_id, people.new_id("plan"), version):
        raise NotFound(f"no person {person_id}")  # erased between the read and the write
    audit.record(kith.store, actor, "plan.update", [person_id])
    return person


def goals(given: list[dict], known: set[str]) -> list[dict[str, Any]]:
    """The goals as stored, each checked; an error names the goal by its place in the list."""
    if len(given) > MAX_GOALS:
        raise InvalidInput("goals", f"at most {MAX_GOALS} goals, not {len(given)}")
    out: list[dict[str, Any]] = []
    for n, goal in enumerate(given, start=1):
        goal_id = goal.get("id")
        if goal_id is not None and goal_id not in known:
            raise InvalidInput("goals", f"goal {n}: {goal_id} is not a goal of this plan")
        if goal_id in {g["id"] for g in out}:
            raise InvalidInput("goals", f"goal {n}: {goal_id} is given twice")
        steps = goal.get("steps") or []
        if len(steps) > MAX_STEPS:
            raise InvalidInput("goals", f"goal {n}: at most {MAX_STEPS} steps, not {len(steps)}")
        status = plain(goal.get("status") or GoalStatus.OPEN)
        if status not in GoalStatus.__members__:
            raise InvalidInput("goals", f"goal {n}: status must be one of "
                                        f"{', '.join(GoalStatus.__members__)}")  # fmt: skip
        out.append({
            "id": goal_id or people.new_id("goal"), "status": status,
            "text": goal_words(goal.get("text"), f"goal {n}", GOAL_LENGTH),
            "steps": [goal_words(s, f"goal {n}, step {i}", STEP_LENGTH)
                      for i, s in enumerate(steps, start=1)],
        })  # fmt: skip
    return out


def goal_words(value: Any, where: str, length: int) -> str:
    """Checked text of a goal or a step, or an error naming ``goals`` and which one it was."""
    try:
        return people.text(value, "goals", length, required=True) or ""
    except InvalidInput as error:
        raise InvalidInput("goals", f"{where} {error.reason}") from None


def review_date(value: date | None) -> str | None:
    if value is None:
        return None
    latest = date.today() + LONGEST_UNTIL_REVIEW
    if not EARLIEST_REVIEW <= value <= latest:
        raise InvalidInput("reviewOn", f"must be between {EARLIEST_REVIEW.isoformat()} and "
                                       f"{latest.isoformat()}")  # fmt: skip
    return value.isoformat()
