"""Activity suggestions: which activities near a person, or near a place, to offer, and why.

graph/ retrieves activities (with their venues) around the person or place. Every activity a
hard rule forbids is dropped (``matching.rules``: children's sessions, unmet access needs,
outside the radius), and the rest are scored as a weighted sum of parts (weights in
``matching.weights``):

- supports: the activity supports the person's conditions or needs (or a broader or narrower
  term of them);
- interests: topics the person enjoys, exact or related through the taxonomy (every interest
  counts the same: no rarity here);
- carers: for someone caring for others, the activity welcomes carers, and best of all also
  supports the condition of the person they care for;
- language, nearness (0 at the radius), availability (a session at a day-part they are free),
  free, access (the stated access needs met or, with none stated, step-free), and reviewed
  (the listing checked within its review cycle: matching/reviews.py).

Of listings alike in name, group and venue only the best is offered, and no more than two of
one group's (matching/listings.py), so that ten suggestions are ten different things.

Nearness, cost, access and timing make a relevant activity easier to go to; they never make an
irrelevant one relevant. So an activity must score on supports, interests or carers whenever
any of those can apply; only someone with none of them recorded is offered whatever is near.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from kith.domain import (
    AccessNeed,
    Activity,
    ActivityCandidate,
    Availability,
    Person,
    Place,
    ReasonCode,
    Suggestion,
    TermKind,
    Venue,
)

from .eligibility import note
from .explain import (
    NOTHING,
    Component,
    Evidence,
    availability_component,
    day_part,
    interest_component,
    kindred,
    language_boost,
    language_component,
    mix,
    nearness_component,
    ranked,
    saturate,
    single,
    spoken_list,
    suggestion,
)
from .listings import distinct
from .reviews import Reviewed
from .rules import access_needs, distance, eligible_activity, eligible_activity_at, has_feature
from .taxonomy import Taxonomy
from .weights import DEFAULT, Part, Weights

CARER_SUPPORT = "carer-support"
"""The need term an activity supports when it is for carers (respite is narrower)."""

INTEREST_WORDING = ("about {term}", "about {group} ({terms})")
TOPICAL = (Part.SUPPORTS, Part.INTERESTS, Part.CARERS)
ACCESS_WORDS = {
    AccessNeed.STEP_FREE: "step-free venue",
    AccessNeed.HEARING_LOOP: "hearing loop",
    AccessNeed.ACCESSIBLE_TOILET: "accessible toilet",
}


@dataclass(frozen=True)
class Seeker:
    """Whoever the activities are for, as scoring sees them: a person (with the people they
    care for), or the terms of a query without a person."""

    here: Person | Place
    interests: frozenset[str] = frozenset()
    conditions: frozenset[str] = frozenset()
    needs: frozenset[str] = frozenset()
    languages: frozenset[str] = frozenset()
    availability: frozenset[Availability] = frozenset()
    access: frozenset[AccessNeed] = frozenset()
    carer_of: tuple[Person, ...] = ()

    @classmethod
    def of(cls, person: Person, carer_of: Iterable[Person]) -> Seeker:
        return cls(
            here=person,
            interests=frozenset(person.interests),
            conditions=frozenset(person.conditions),
            needs=frozenset(person.needs),
            languages=frozenset(person.languages),
            availability=frozenset(person.availability),
            access=frozenset(person.access_needs),
            carer_of=tuple(carer_of),
        )

    def parts(self) -> set[Part]:
        """The parts that apply: where nothing is recorded, there is nothing to compare with."""
        recorded = {
            Part.SUPPORTS: self.conditions | self.needs,
            Part.INTERESTS: self.interests,
            Part.CARERS: self.carer_of,
            Part.LANGUAGE: self.languages,
            Part.AVAILABILITY: self.availability,
        }
        always = {Part.NEARNESS, Part.FREE, Part.ACCESS, Part.REVIEWED}
        return always | {part for part, values in recorded.items() if values}


def suggest_activities(
    person: Person,
    candidates: list[ActivityCandidate],
    taxonomy: Taxonomy,
    radius_km: float | None = None,
    carer_of: Sequence[Person] = (),
    first: int = 10,
    weights: Weights = DEFAULT,
) -> list[Suggestion]:
    """The best ``first`` activities for ``person`` within ``radius_km`` (the default radius
    when None), best first, one of each listing and two at most of one group's (``distinct``).
    ``carer_of`` are the people ``person`` cares for."""
    return distinct(scored_for(person, candidates, taxonomy, radius_km, carer_of, weights), first)


def scored_for(
    person: Person,
    candidates: list[ActivityCandidate],
    taxonomy: Taxonomy,
    radius_km: float | None = None,
    carer_of: Sequence[Person] = (),
    weights: Weights = DEFAULT,
) -> list[Suggestion]:
    """Every activity the rules allow for ``person`` that is relevant to them, best first: what
    ``suggest_activities`` chooses from."""
    radius = weights.default_activity_radius_km if radius_km is None else radius_km
    today = date.today()
    allowed = [
        c for c in candidates
        if eligible_activity(person, c, carer_of, radius, weights, today) is None
    ]  # fmt: skip
    return rank(Seeker.of(person, carer_of), allowed, taxonomy, radius, weights, today)


def activities_near(
    place: Place,
    candidates: list[ActivityCandidate],
    taxonomy: Taxonomy,
    radius_km: float | None,
    interests: set[str],
    supports: set[str],
    first: int = 10,
    weights: Weights = DEFAULT,
) -> list[Suggestion]:
    """The best ``first`` activities near a place for a query without a person: matching
    the wanted interests and supported conditions or needs (term ids; narrower terms count as
    asked for, so "crafts" finds knitting), nearer, free and step-free first; one of each
    listing, two at most of one group's."""
    found = scored_near(place, candidates, taxonomy, radius_km, interests, supports, weights)
    return distinct(found, first)


def scored_near(
    place: Place,
    candidates: list[ActivityCandidate],
    taxonomy: Taxonomy,
    radius_km: float | None,
    interests: set[str],
    supports: set[str],
    weights: Weights = DEFAULT,
) -> list[Suggestion]:
    """Every relevant activity near a place the rules allow, best first."""
    radius = weights.default_activity_radius_km if radius_km is None else radius_km
    seeker = Seeker(
        place,
        interests=widen(taxonomy, TermKind.INTEREST, interests),
        conditions=widen(taxonomy, TermKind.CONDITION, supports),
        needs=widen(taxonomy, TermKind.NEED, supports),
    )
    allowed = [c for c in candidates if eligible_activity_at(place, c, (), radius) is None]
    return rank(seeker, allowed, taxonomy, radius, weights, date.today())


def widen(taxonomy: Taxonomy, kind: TermKind, ids: Iterable[str]) -> frozenset[str]:
    """The terms of ``kind`` among ``ids`` and every term beneath them."""
    return frozenset().union(*(taxonomy.narrower(kind, t) for t in ids if taxonomy.get(kind, t)))


def rank(
    seeker: Seeker,
    allowed: list[ActivityCandidate],
    taxonomy: Taxonomy,
    radius_km: float,
    weights: Weights,
    today: date,
) -> list[Suggestion]:
    """Score the activities the hard rules allowed, keep the relevant ones, best first. What
    an activity is about is weighed once for all that share it (``about``): near a town
    centre a few dozen kinds of activity are listed at hundreds of venues."""
    parts = seeker.parts()
    boost = language_boost(seeker.languages, weights.activity_language_without_english)
    units = mix(weights.activity_mix(), parts, boost)
    weighed: dict[tuple, dict[Part, Component]] = {}
    found = []
    for candidate in allowed:
        activity = candidate.activity
        km = distance(seeker.here, candidate.venue)
        assert km is not None, "the radius rule guarantees both positions"
        kind = (tuple(activity.interests), tuple(activity.supports), tuple(activity.languages))
        if kind not in weighed:
            weighed[kind] = about(seeker, activity, taxonomy, weights)
        reviewed = Reviewed.of(activity, today, weights.review_months)
        components = {**weighed[kind], **where_and_when(seeker, candidate, km, radius_km)}
        components[Part.REVIEWED] = reviewed.component
        if relevant(components, parts):
            notes = [*note(activity.eligibility), *reviewed.notes]
            found.append(suggestion(activity, km, components, units, notes))
    return ranked(found, len(found))


def relevant(components: Mapping[Part, Component], parts: set[Part]) -> bool:
    """An activity scores on a topical part, or none applies to whoever it is for."""
    topical = [p for p in TOPICAL if p in parts]
    return not topical or any(components[p].value > 0 for p in topical)


def about(
    seeker: Seeker, activity: Activity, taxonomy: Taxonomy, weights: Weights
) -> dict[Part, Component]:
    """The parts that read only what the activity is about: its interests, what it supports,
    its languages."""
    return {
        Part.SUPPORTS: supports_component(seeker, activity, taxonomy, weights),
        Part.INTERESTS: interest_component(
            seeker.interests, activity.interests, taxonomy, {}, weights, INTEREST_WORDING
        ),
        Part.CARERS: carers_component(seeker.carer_of, activity, taxonomy, weights),
        Part.LANGUAGE: language_component(
            seeker.languages, activity.languages, taxonomy, weights, "held in {languages}"
        ),
    }


def where_and_when(
    seeker: Seeker, candidate: ActivityCandidate, km: float, radius_km: float
) -> dict[Part, Component]:
    """The parts that read where and when it is held, what it costs and how to get in."""
    activity = candidate.activity
    sessions = {Availability(s.day, day_part(s.start)) for s in activity.sessions}
    return {
        Part.NEARNESS: nearness_component(km, radius_km, "{km} away"),
        Part.AVAILABILITY: availability_component(
            seeker.availability & sessions, 1, "on {slots}, when free"
        ),
        Part.FREE: single(1.0 if activity.free else 0.0, ReasonCode.FREE, "free"),
        Part.ACCESS: access_component(
            access_needs(seeker.access, activity, seeker.carer_of), candidate.venue
        ),
    }


def supports_component(
    seeker: Seeker, activity: Activity, taxonomy: Taxonomy, weights: Weights
) -> Component:
    """The seeker's conditions and needs that the activity supports."""
    wanted = ((TermKind.CONDITION, seeker.conditions), (TermKind.NEED, seeker.needs))
    return saturate(
        Evidence(ReasonCode.SUPPORTS_NEED, f"supports {name}", strength)
        for kind, mine in wanted
        for name, strength in kindred(taxonomy, kind, mine, activity.supports, weights)
    )


def carers_component(
    carer_of: Sequence[Person], activity: Activity, taxonomy: Taxonomy, weights: Weights
) -> Component:
    """For a carer: the activity welcomes carers (``carers_only``), and the closer it also
    supports the condition of someone they care for, the fuller the part."""
    if not carer_of or not set(activity.supports) & taxonomy.narrower(TermKind.NEED, CARER_SUPPORT):
        return NOTHING
    for_them = [
        (f"supports {name} ({cared_for.name})", strength)
        for cared_for in carer_of
        for name, strength in kindred(
            taxonomy, TermKind.CONDITION, cared_for.conditions, activity.supports, weights
        )
    ]
    best = max((strength for _, strength in for_them), default=0.0)
    value = weights.carers_only + (1 - weights.carers_only) * best
    text = "; ".join(["carers welcome", *(text for text, _ in for_them)])
    return single(value, ReasonCode.CARER_WELCOME, text)


def access_component(needs: set[AccessNeed], venue: Venue) -> Component:
    """The share of the access needs the venue meets; with none stated, whether it is
    step-free."""
    considered = sorted(needs or {AccessNeed.STEP_FREE}, key=lambda n: n.value)
    met = [n for n in considered if has_feature(venue, n)]
    if not met:
        return NOTHING
    text = spoken_list([ACCESS_WORDS[n] for n in met])
    return single(len(met) / len(considered), ReasonCode.ACCESSIBLE, text)
