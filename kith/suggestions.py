"""Suggestions: the in-memory copies find the candidates near a person, matching/ scores and
explains them, and what is suggested is read afresh from the graph.

Who may ask: coordinators for anyone; a prescriber for the people they referred (activities
only: buddy suggestions show other people's records); nobody gets suggestions for a person who
has not consented to matching.
"""

from __future__ import annotations

from datetime import date

import numpy as np

from graph import candidates
from graph import people as people_repo
from matching import activities as activity_scoring
from matching import buddies as buddy_scoring
from matching.explain import UNIT, ranked

from . import attendance, audit, people, unmet
from .access import require
from .accounts import Account, Role
from .domain import AccessNeed, ActivityCandidate, Availability, Person, Place, Suggestion, TermKind
from .errors import InvalidInput
from .memory import buddy_bounds
from .memory.buddy_bounds import Bounded
from .memory.nearby import Directory
from .memory.shortlist import Likeness, best, topical_terms
from .service import Kith, checked_radius

DEFAULT_RADIUS_KM = 5.0  # around a person
NEAR_RADIUS_KM = 3.0  # around a place (activitiesNear)
MAX_RADIUS_KM = 50.0
MAX_FIRST = 50
RARITY_SECONDS = 600.0
CONFIRM_BATCH = 20  # buddies read afresh per round trip


def check_first(first: int) -> int:
    if not 1 <= first <= MAX_FIRST:
        raise InvalidInput("first", f"must be between 1 and {MAX_FIRST}")
    return first


def rarity(kith: Kith) -> dict[str, float]:
    """Interest shares, cached for a few minutes: they move slowly and cost a scan."""
    return kith.cached("rarity", RARITY_SECONDS, lambda: candidates.interest_shares(kith.store))


def located(person: Person) -> Place:
    if person.latitude is None or person.longitude is None:
        raise InvalidInput("personId", "this person has no home location to search near")
    return Place(person.latitude, person.longitude, person.postcode)


@audit.written_once
def buddies(kith: Kith, actor: Account | None, person_id: str, first: int = 5) -> list[Suggestion]:
    """Peer buddies for a person, best first, with reasons; every buddy shown is audited.

    Volunteers whose travel limit may reach the person are found in the in-memory copy and
    ordered by a bound on their score (kith/memory/buddy_bounds.py), then read afresh in that order
    (consent and match history included) until nothing further down could enter the best
    ``first``: the answer of scoring every volunteer, for the cost of scoring a few.
    """
    require(actor, Role.COORDINATOR)
    person = people.get(kith, actor, person_id)
    if not person.consent_to_matching:
        return []
    first, today = check_first(first), date.today()
    volunteers = kith.volunteer_mirror.current()
    order = buddy_bounds.bounds(person, located(person), volunteers, kith.taxonomy,
                                rarity(kith), today)  # fmt: skip
    found = confirmed(kith, person, order, first, today)
    if found:
        audit.record(kith.store, actor, "person.suggested", [s.target.id for s in found])
    else:
        unmet.note(kith, unmet.Kind.BUDDY_SUGGESTION, located(person))
    return found


def confirmed(
    kith: Kith, person: Person, order: list[Bounded], first: int, today: date
) -> list[Suggestion]:
    """The best ``first`` volunteers, read afresh (consent and match history included) and
    scored in the order of their bounds, until no bound further down can beat the last."""
    best: list[Suggestion] = []
    for start in range(0, len(order), CONFIRM_BATCH):
        if len(best) == first and round(best[-1].score * UNIT) > order[start][0]:
            break
        ids = [v.id for _, v in order[start : start + CONFIRM_BATCH]]
        fresh = candidates.volunteers(kith.store, person.id, ids)
        scored = buddy_scoring.suggest_buddies(person, fresh, kith.taxonomy, rarity(kith), today,
                                               first)  # fmt: skip
        best = ranked([*best, *scored], first)
    return best


def for_person(
    kith: Kith, actor: Account | None, person_id: str, first: int = 10,
    radius_km: float | None = None,
) -> list[Suggestion]:  # fmt: skip
    """Activities for a person (and for the people they care for), best first: of the
    relevant activities near them, only the nearest of each likeness are weighed
    (kith/memory/shortlist.py), which answers exactly as weighing them all. What they already go to
    is left out: suggesting it again would tell the coordinator nothing."""
    require(actor, Role.COORDINATOR, Role.PRESCRIBER, Role.VOLUNTEER)
    person = people.get(kith, actor, person_id)
    if not person.consent_to_matching:
        return []
    radius = checked_radius(radius_km, DEFAULT_RADIUS_KM, MAX_RADIUS_KM)
    first = check_first(first)
    cared_for = list(people_repo.people_by_id(kith.store, person.cares_for).values()) \
        if person.cares_for else []  # fmt: skip
    topical = topical_terms(kith.taxonomy, person.interests, person.conditions, person.needs,
                            bool(cared_for))  # fmt: skip

    def score(some: list[ActivityCandidate]) -> list[Suggestion]:
        return activity_scoring.scored_for(person, some, kith.taxonomy, radius, cared_for,
                                           kith.weights)  # fmt: skip

    here = kith.directory_mirror.current()
    alike = likeness(here, kith, frozenset(person.availability), frozenset(person.access_needs),
                     tuple(cared_for))  # fmt: skip
    going = attendance.attended_ids(kith, person_id)
    found = here.activities_within(located(person), radius, topical)
    unattended = np.setdiff1d(found, [here.position[i] for i in going if i in here.position])
    queues = here.alike_by_distance(unattended, person, alike)
    return noted(kith, best(queues, score, first), located(person))


def likeness(
    here: Directory, kith: Kith, free: frozenset[Availability] = frozenset(),
    access: frozenset[AccessNeed] = frozenset(), carer_of: tuple[Person, ...] = (),
) -> Likeness:  # fmt: skip
    """What makes activities alike for someone free at ``free`` with ``access`` needs, with the
    directory's freshness of today."""
    return Likeness(here.freshness(date.today(), kith.weights.review_months), free, access,
                    carer_of)  # fmt: skip


def activities_near(
    kith: Kith, place: Place, radius_km: float | None, interests: list[str], supports: list[str],
    first: int = 10,
) -> list[Suggestion]:  # fmt: skip
    """Activities near a place for an interest or a need: open to everyone, no person involved
    (weighed as ``for_person`` weighs them)."""
    radius = checked_radius(radius_km, NEAR_RADIUS_KM, MAX_RADIUS_KM)
    first = check_first(first)
    wanted = {kith.term((TermKind.INTEREST,), t, "interests").id for t in interests}
    kinds = (TermKind.CONDITION, TermKind.NEED)
    needs = {kith.term(kinds, t, "supports").id for t in supports}
    taxonomy = kith.taxonomy
    interests_wanted = activity_scoring.widen(taxonomy, TermKind.INTEREST, wanted)
    conditions = activity_scoring.widen(taxonomy, TermKind.CONDITION, needs)
    needs_wanted = activity_scoring.widen(taxonomy, TermKind.NEED, needs)
    topical = topical_terms(taxonomy, interests_wanted, conditions, needs_wanted, False)

    def score(some: list[ActivityCandidate]) -> list[Suggestion]:
        return activity_scoring.scored_near(place, some, taxonomy, radius, wanted, needs,
                                            kith.weights)  # fmt: skip

    here = kith.directory_mirror.current()
    found = here.activities_within(place, radius, topical)
    queues = here.alike_by_distance(found, place, likeness(here, kith))
    return noted(kith, best(queues, score, first), place)


def noted(kith: Kith, found: list[Suggestion], place: Place) -> list[Suggestion]:
    """Activities suggested; none is an unmet need at the place."""
    if not found:
        unmet.note(kith, unmet.Kind.ACTIVITY_SUGGESTION, place)
    return found
