"""Someone to go along the first time (issue 16): fear and transport keep people from a first
session, so a volunteer who is free when the activity meets and lives near both the person
and the venue is offered to go with them.

Going along is one-to-one time with the person, often from their door, so every hard rule of
a buddy holds (``matching.rules.eligible_buddy``: consent, approval, a current DBS check,
capacity, a past decline, gender and language, the travel limit to the person), except that
their own buddy is welcome: nobody is better placed to go along. Two more hold here: free at
one of the activity's sessions (their availability covers its day and part of day), and the
venue within their travel limit too. The rest are ranked by the activity's interests they
share (every interest the same, as for activities), nearness to the farther of person and
venue, and the sessions they are free at, when the person is free too where we know it.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from kith.domain import (
    Activity,
    Availability,
    BuddyCandidate,
    Person,
    ReasonCode,
    Suggestion,
    Venue,
)

from .explain import (
    availability_component,
    day_part,
    interest_component,
    km_text,
    mix,
    ranked,
    single,
    suggestion,
)
from .geo import nearness
from .rules import distance, eligible_buddy, within_reach
from .taxonomy import Taxonomy
from .weights import DEFAULT, Part, Weights

COMPANION_MIX = {Part.NEARNESS: 0.4, Part.INTERESTS: 0.35, Part.AVAILABILITY: 0.25}
"""Getting there together is the point, so nearness to both ends counts most; sharing the
activity's interest gives them something to talk about on the way and a reason to stay;
being free at more than one session (when the person is too) makes a date easy to find."""

INTEREST_WORDING = ("enjoys {term} too", "enjoys {group} ({terms})")


def session_slots(activity: Activity) -> set[Availability]:
    """The day-parts the activity meets at."""
    return {Availability(s.day, day_part(s.start)) for s in activity.sessions}


def free_slots(companion: Person, activity: Activity) -> set[Availability]:
    """The activity's day-parts the companion is free at."""
    return session_slots(activity) & set(companion.availability)


def eligible_companion(
    person: Person,
    candidate: BuddyCandidate,
    activity: Activity,
    venue: Venue,
    today: date,
    weights: Weights = DEFAULT,
) -> str | None:
    """None when ``candidate`` may be offered to go along with ``person``, else why not."""
    why = eligible_buddy(person, replace(candidate, already_buddy=False), today, weights)
    if why is not None:
        return why
    if not free_slots(candidate.person, activity):
        return "not-free-at-a-session"
    limit = candidate.person.volunteer.max_travel_km  # type: ignore[union-attr]
    far = within_reach(venue, candidate.person, limit)
    return None if far is None else f"{far}-from-venue"


def suggest_companions(
    person: Person,
    activity: Activity,
    venue: Venue,
    candidates: list[BuddyCandidate],
    taxonomy: Taxonomy,
    today: date,
    first: int = 5,
    weights: Weights = DEFAULT,
) -> list[Suggestion]:
    """The best ``first`` volunteers to go along with ``person`` to ``activity`` at ``venue``,
    best first, each with its reasons."""
    parts = {Part.NEARNESS, Part.AVAILABILITY} | ({Part.INTERESTS} if activity.interests else set())
    units = mix(COMPANION_MIX, parts)
    allowed = [
        c.person
        for c in candidates
        if eligible_companion(person, c, activity, venue, today, weights) is None
    ]
    scored = (score(person, c, activity, venue, taxonomy, units, weights) for c in allowed)
    return ranked(scored, first)


def score(
    person: Person,
    companion: Person,
    activity: Activity,
    venue: Venue,
    taxonomy: Taxonomy,
    units: dict[Part, int],
    weights: Weights,
) -> Suggestion:
    """One eligible companion, scored and explained."""
    to_person, to_venue = distance(person, companion), distance(venue, companion)
    assert to_person is not None and to_venue is not None and companion.volunteer is not None
    free = free_slots(companion, activity)
    both = free & set(person.availability) if person.availability else free
    where = f"lives {km_text(to_person)} away, {km_text(to_venue)} from {venue.name}"
    components = {
        Part.NEARNESS: single(
            nearness(max(to_person, to_venue), companion.volunteer.max_travel_km),
            ReasonCode.NEARBY,
            where,
        ),
        Part.INTERESTS: interest_component(
            activity.interests, companion.interests, taxonomy, {}, weights, INTEREST_WORDING
        ),
        Part.AVAILABILITY: availability_component(both, 2, "free on {slots}, when it meets"),
    }
    return suggestion(companion, to_person, components, units)
