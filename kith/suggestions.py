"""Suggestions: graph/ retrieves the candidates near a person, matching/ scores and explains.

Who may ask: coordinators for anyone; a prescriber for the people they referred (activities
only: buddy suggestions show other people's records); nobody gets suggestions for a person who
has not consented to matching.
"""

from __future__ import annotations

from datetime import date

from graph import candidates, directory
from graph import people as people_repo
from matching import activities as activity_scoring
from matching import buddies as buddy_scoring
from matching.geo import bounding_box

from . import audit, people
from .access import require
from .accounts import Account, Role
from .domain import ActivityCandidate, Person, Place, Suggestion, TermKind
from .errors import InvalidInput
from .service import Kith

BUDDY_SEARCH_KM = 15.0  # no volunteer travels further than this to a buddy
DEFAULT_RADIUS_KM = 5.0
MAX_FIRST = 50
RARITY_SECONDS = 600.0


def check_first(first: int) -> int:
    if not 1 <= first <= MAX_FIRST:
        raise InvalidInput("first", f"must be between 1 and {MAX_FIRST}")
    return first


def check_radius(radius_km: float | None) -> float:
    radius = DEFAULT_RADIUS_KM if radius_km is None else radius_km
    if not 0 < radius <= 50:
        raise InvalidInput("radiusKm", "must be more than 0 and at most 50")
    return radius


def rarity(kith: Kith) -> dict[str, float]:
    """Interest shares, cached for a few minutes: they move slowly and cost a scan."""
    return kith.cached("rarity", RARITY_SECONDS, lambda: candidates.interest_shares(kith.store))


def located(person: Person) -> Place:
    if person.latitude is None or person.longitude is None:
        raise InvalidInput("personId", "this person has no home location to search near")
    return Place(person.latitude, person.longitude, person.postcode)


def buddies(kith: Kith, actor: Account | None, person_id: str, first: int = 5) -> list[Suggestion]:
    """Peer buddies for a person, best first, with reasons; every buddy shown is audited."""
    require(actor, Role.COORDINATOR)
    person = people.get(kith, actor, person_id)
    if not person.consent_to_matching:
        return []
    home = located(person)
    box = bounding_box(home.latitude, home.longitude, BUDDY_SEARCH_KM)
    found = candidates.volunteers_near(kith.store, person.id, box)
    ranked = buddy_scoring.suggest_buddies(person, found, kith.taxonomy, rarity(kith),
                                           date.today(), check_first(first))  # fmt: skip
    if ranked:
        audit.record(kith.store, actor, "person.suggested", [s.target.id for s in ranked])
    return ranked


def for_person(
    kith: Kith, actor: Account | None, person_id: str, first: int = 10,
    radius_km: float | None = None,
) -> list[Suggestion]:  # fmt: skip
    """Activities for a person (and for the people they care for), best first."""
    require(actor, Role.COORDINATOR, Role.PRESCRIBER, Role.VOLUNTEER)
    person = people.get(kith, actor, person_id)
    if not person.consent_to_matching:
        return []
    radius = check_radius(radius_km)
    cared_for = list(people_repo.people_by_id(kith.store, person.cares_for).values())
    nearby = near(kith, located(person), radius)
    return activity_scoring.suggest_activities(person, nearby, kith.taxonomy, radius, cared_for,
                                               check_first(first))  # fmt: skip


def near(kith: Kith, place: Place, radius_km: float) -> list[ActivityCandidate]:
    box = bounding_box(place.latitude, place.longitude, radius_km)
    return [ActivityCandidate(a, v) for a, v in directory.activities_with_venues(kith.store, box)]


def activities_near(
    kith: Kith, place: Place, radius_km: float | None, interests: list[str], supports: list[str],
    first: int = 10,
) -> list[Suggestion]:  # fmt: skip
    """Activities near a place for an interest or a need: open to everyone, no person involved."""
    radius = check_radius(radius_km)
    wanted = {kith.term_id((TermKind.INTEREST,), t, "interests")[1] for t in interests}
    kinds = (TermKind.CONDITION, TermKind.NEED)
    needs = {kith.term_id(kinds, t, "supports")[1] for t in supports}
    return activity_scoring.activities_near(place, near(kith, place, radius), kith.taxonomy,
                                            radius, wanted, needs, check_first(first))  # fmt: skip
