"""Recording that someone now goes to an activity (often one Kith suggested), and when they stop:
what the coordinator's page shows as their current activities, and what suggestions leave out.

Who may: whoever may read the person (kith/access.py) and works with people — coordinators for
anyone, a prescriber for the people they referred, a volunteer for their own record — as for
consent. Every read and write is audited, with ids only.
"""

from __future__ import annotations

from datetime import date

from graph import attendance as repo

from . import audit, people
from .access import per_person, require
from .accounts import Account, Role
from .domain import Activity, Attendance, Audience, Person
from .errors import InvalidInput, NotFound
from .service import Kith

ROLES = (Role.COORDINATOR, Role.PRESCRIBER, Role.VOLUNTEER)
ADULT_AGE = 18


def known_child(person: Person, today: date) -> bool:
    """Kith supports adults: only a birth year under 18 years ago makes someone a child."""
    return person.birth_year is not None and today.year - person.birth_year < ADULT_AGE


def existing(kith: Kith, activity_id: str) -> Activity:
    """The activity by its id, or an error naming the id (or saying none was given)."""
    given = people.text(activity_id, "activityId", 100, required=True) or ""
    activity = kith.activities([given]).get(given)
    if activity is None:
        raise NotFound(f"no activity {given}")
    return activity


def activity_for(kith: Kith, person: Person, activity_id: str, today: date) -> Activity:
    """The activity, if it exists and is open to this person."""
    activity = existing(kith, activity_id)
    if activity.audience is Audience.CHILDREN and not known_child(person, today):
        raise InvalidInput("activityId", f"{activity.id} is for children only")
    return activity


def attend(kith: Kith, actor: Account | None, person_id: str, activity_id: str) -> Person:
    """The person now goes to the activity, from today; recording it again changes nothing
    (their first day stays what it was)."""
    actor = require(actor, *ROLES)
    person, today = people.get(kith, actor, person_id), date.today()
    activity = activity_for(kith, person, activity_id, today)
    if repo.record(kith.store, person_id, activity.id, today) is None:
        raise NotFound(f"no person {person_id}")  # erased between the read and the write
    audit.record(kith.store, actor, "attendance.record", [person_id])
    return person


def stop(kith: Kith, actor: Account | None, person_id: str, activity_id: str) -> Person:
    """The person no longer goes to the activity; the spell is kept, ended today, for export."""
    actor = require(actor, *ROLES)
    person = people.get(kith, actor, person_id)
    activity = existing(kith, activity_id)
    if not repo.end(kith.store, person_id, activity.id, date.today()):
        raise NotFound(f"{person_id} does not go to activity {activity.id}")
    audit.record(kith.store, actor, "attendance.end", [person_id])
    return person


def of_people(
    kith: Kith, actor: Account | None, person_ids: list[str]
) -> dict[str, list[Attendance] | Exception]:
    """What each person goes to now, or the refusal the actor gets for them: for pages and
    lists that have read the people already (one check, one read, one audit for them all)."""
    return per_person(kith.store, actor, person_ids, "attendance.read",
                      lambda ids: repo.current(kith.store, ids))  # fmt: skip


def attending(kith: Kith, actor: Account | None, person_id: str) -> list[tuple[Activity, date]]:
    """The activities a person goes to now, with the day each began, longest-standing first."""
    require(actor, *ROLES)
    people.get(kith, actor, person_id)
    spells = repo.current(kith.store, [person_id])[person_id]
    audit.record(kith.store, actor, "attendance.read", [person_id])
    found = kith.activities([s.activity_id for s in spells])
    return [(found[s.activity_id], s.since) for s in spells if s.activity_id in found]


def attended_ids(kith: Kith, person_id: str) -> set[str]:
    """Ids of what a person the caller may read goes to now (suggestions leave them out)."""
    return {s.activity_id for s in repo.current(kith.store, [person_id])[person_id]}


def history(kith: Kith, person_id: str) -> list[Attendance]:
    """Every spell of going, ended ones too, of a person the caller may read: for export."""
    return repo.history(kith.store, person_id)
