"""Batch pairing for coordinators: a plan pairing everyone waiting for a buddy near a place
with volunteers who have room, for the largest total fit the hard rules allow
(matching/pairing.py), beside what pairing the best pair first would have given.

A plan writes nothing: the coordinator proposes the pairs they agree with (``proposeBuddy``).
Everyone shown in it, paired or not, is audited.
"""

from __future__ import annotations

from datetime import date

from graph import pairing as repo
from matching import pairing as solver
from matching.geo import bounding_box, distance_km
from matching.weights import DEFAULT

from . import audit
from .access import require
from .accounts import Account, Role
from .domain import Person, Place
from .errors import InvalidInput
from .memory.buddy_bounds import may_befriend
from .service import Kith, checked_radius
from .suggestions import located, rarity

DEFAULT_RADIUS_KM = 3.0
MAX_RADIUS_KM = 10.0
MAX_WAITING = 300  # people planned for at once: the solver's matrix grows with their square


def plan(
    kith: Kith, actor: Account | None, area: Place, radius_km: float | None = None
) -> solver.Plan:
    """The best pairing of the people waiting within ``radius_km`` of ``area``."""
    actor = require(actor, Role.COORDINATOR)
    radius = checked_radius(radius_km, DEFAULT_RADIUS_KM, MAX_RADIUS_KM)
    people = waiting(kith, area, radius)
    today = date.today()
    reach = reachable(kith, people, today)
    wanted = sorted({v for ids in reach.values() for v in ids})
    read = repo.standings(kith.store, wanted, [p.id for p in people]) if wanted else []
    fresh = {s.volunteer.id: s for s in read}
    options = {
        p.id: [fresh[v].candidate_for(p.id) for v in reach[p.id] if v in fresh] for p in people
    }
    found = solver.plan(people, options, kith.taxonomy, rarity(kith), today)
    shown = [p.id for p in people] + sorted({pair.buddy.id for pair in found.pairs})
    if shown:
        audit.record(kith.store, actor, "person.suggested", shown)
    return found


def waiting(kith: Kith, area: Place, radius_km: float) -> list[Person]:
    """The people waiting for a buddy within the radius (at most ``MAX_WAITING``)."""
    here = (area.latitude, area.longitude)
    box = bounding_box(area.latitude, area.longitude, radius_km)
    ids = [i for i, lat, lon in repo.waiting_in(kith.store, box)
           if distance_km(here, (lat, lon)) <= radius_km]  # fmt: skip
    if len(ids) > MAX_WAITING:
        raise InvalidInput(
            "radiusKm",
            f"{len(ids)} people wait for a buddy within {radius_km:g} km, more than the "
            f"{MAX_WAITING} a plan can hold: narrow the area (a smaller radiusKm)",
        )
    return repo.waiting_people(kith.store, ids) if ids else []


def reachable(kith: Kith, people: list[Person], today: date) -> dict[str, list[str]]:
    """For each person, the volunteers whose own travel limit may reach them and whom the
    rules that need no fresh read allow (the in-memory copy, as suggestBuddies finds them;
    every rule is checked again on the fresh records)."""
    volunteers = kith.volunteer_mirror.current()
    return {
        p.id: sorted(v.id for v, _ in volunteers.around(located(p))
                     if may_befriend(p, v, today, DEFAULT))
        for p in people
    }  # fmt: skip
