"""Buddy suggestions: which volunteers to offer someone as a one-to-one buddy, and why.

graph/ retrieves volunteers near the person, with what the hard rules need (active buddies,
past declines). Here every candidate a hard rule forbids is dropped (``matching.rules``), and
the rest are scored as a weighted sum of five parts (weights in ``matching.weights``):

- shared interests, each weighted by how rare it is in the area (information content), an
  interest related through the taxonomy counting ``related_interest`` of an exact one;
- lived experience: the volunteer lives with the person's condition, or a broader or narrower
  one (the COPD peer story);
- language: a shared home language fully, English alone half; for someone without English
  the language part takes ``buddy_language_without_english`` of the whole score;
- nearness, falling to 0 at the volunteer's own travel limit, where the hard rule begins;
- availability: day-parts when both are free.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from kith.domain import (
    BuddyCandidate,
    Gender,
    Person,
    Reason,
    ReasonCode,
    Suggestion,
    TermKind,
)

from .explain import (
    Evidence,
    availability_component,
    interest_component,
    kindred,
    language_boost,
    language_component,
    mix,
    nearness_component,
    ranked,
    saturate,
    suggestion,
)
from .rules import distance, eligible_buddy
from .taxonomy import Taxonomy
from .weights import DEFAULT, Part, Weights

INTEREST_WORDING = ("both enjoy {term}", "both enjoy {group} ({terms})")
AS_ASKED = {
    Gender.FEMALE: "a woman, as asked",
    Gender.MALE: "a man, as asked",
    Gender.NON_BINARY: "non-binary, as asked",
    Gender.UNDISCLOSED: "gender undisclosed, as asked",
}


def suggest_buddies(
    person: Person,
    candidates: list[BuddyCandidate],
    taxonomy: Taxonomy,
    rarity: Mapping[str, float],
    today: date,
    first: int = 5,
    weights: Weights = DEFAULT,
) -> list[Suggestion]:
    """The best ``first`` volunteers for ``person``, best first, each with its reasons.

    ``rarity`` maps an interest id to the share of people in the area who enjoy it (0..1];
    ``today`` decides whether a DBS check is still current. Someone who has not consented to
    matching gets no suggestions.
    """
    units = mix(
        weights.buddy_mix(),
        buddy_parts(person),
        language_boost(person.languages, weights.buddy_language_without_english),
    )
    allowed = [c.person for c in candidates if eligible_buddy(person, c, today, weights) is None]
    return ranked((score(person, b, taxonomy, rarity, units, weights) for b in allowed), first)


def buddy_parts(person: Person) -> set[Part]:
    """The parts that can tell volunteers apart for this person: where nothing is recorded
    about the person, there is nothing to compare with."""
    recorded = {
        Part.INTERESTS: person.interests,
        Part.LIVED_EXPERIENCE: person.conditions,
        Part.LANGUAGE: person.languages,
        Part.AVAILABILITY: person.availability,
    }
    return {Part.NEARNESS} | {part for part, values in recorded.items() if values}


def score(
    person: Person,
    buddy: Person,
    taxonomy: Taxonomy,
    rarity: Mapping[str, float],
    units: Mapping[Part, int],
    weights: Weights,
) -> Suggestion:
    """One eligible volunteer, scored and explained."""
    km = distance(person, buddy)
    assert km is not None and buddy.volunteer is not None, "eligible_buddy guarantees both"
    lived = [
        Evidence(ReasonCode.LIVED_EXPERIENCE, f"has lived experience of {name}", strength)
        for name, strength in kindred(
            taxonomy, TermKind.CONDITION, person.conditions, buddy.conditions, weights
        )
    ]
    components = {
        Part.INTERESTS: interest_component(
            person.interests, buddy.interests, taxonomy, rarity, weights, INTEREST_WORDING
        ),
        Part.LIVED_EXPERIENCE: saturate(lived),
        Part.LANGUAGE: language_component(
            person.languages, buddy.languages, taxonomy, weights, "both speak {languages}"
        ),
        Part.NEARNESS: nearness_component(km, buddy.volunteer.max_travel_km, "lives {km} away"),
        Part.AVAILABILITY: availability_component(
            set(person.availability) & set(buddy.availability),
            weights.buddy_slots_for_full,
            "free on {slots}",
        ),
    }
    return suggestion(buddy, km, components, units, preference_notes(person))


def preference_notes(person: Person) -> list[Reason]:
    """A respected buddy-gender preference, as a reason of weight 0: hard rules explain a
    suggestion but never add to its score."""
    wanted = person.buddy_gender
    return [Reason(ReasonCode.PREFERENCE, AS_ASKED[wanted], 0.0)] if wanted else []
