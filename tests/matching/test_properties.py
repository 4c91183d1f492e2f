"""Properties of the matching model on random small worlds (hypothesis).

No suggestion ever breaks a hard rule; every score is in [0, 1] and is exactly the sum of its
reasons; nearer never scores lower, all else equal; a rarer shared interest never scores below
a commoner one.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from kith.domain import (
    AccessNeed,
    ActivityCandidate,
    Audience,
    Availability,
    BuddyCandidate,
    DayPart,
    Gender,
    Person,
    Session,
    Weekday,
)
from matching.activities import activities_near, suggest_activities
from matching.buddies import suggest_buddies
from matching.explain import UNIT, apportion, mix
from matching.rules import (
    distance,
    eligible_activity,
    eligible_activity_at,
    eligible_buddy,
    has_feature,
    years_before,
)
from matching.weights import DEFAULT, Part

from .worlds import HOME, TAXONOMY, TODAY, activity, adds_up, at, person, volunteer

INTERESTS = ["knitting", "crochet", "antiques", "local-history", "music", "singing", "football"]
CONDITIONS = ["copd", "respiratory", "dementia", "diabetes"]
NEEDS = ["loneliness", "carer-support", "respite"]
LANGUAGES = ["english", "polish", "urdu", "punjabi"]
SLOTS = [Availability(d, p) for d in Weekday for p in DayPart]
RELAXED = settings(deadline=None, max_examples=150)


def some(pool: list, most: int = 3) -> st.SearchStrategy[list]:
    return st.lists(st.sampled_from(pool), max_size=most, unique=True)


km = st.floats(-3.0, 3.0)
likely = st.integers(0, 9).map(lambda n: n > 0)
unlikely = likely.map(lambda b: not b)
maybe_gender = st.none() | st.sampled_from(Gender)
wanted_gender = st.none() | st.just(Gender.FEMALE)
maybe_feature = st.none() | st.booleans()
current_dbs = st.dates(years_before(TODAY, 3), TODAY)
any_dbs = st.none() | st.dates(date(2022, 1, 1), date(2027, 12, 31))


@st.composite
def people(draw: st.DrawFn, pid: str = "p-me") -> Person:
    return person(
        pid, draw(km), draw(km),
        interests=draw(some(INTERESTS)), conditions=draw(some(CONDITIONS, 2)),
        needs=draw(some(NEEDS, 2)), languages=draw(some(LANGUAGES, 2)),
        availability=draw(some(SLOTS, 4)), access_needs=draw(some(list(AccessNeed), 2)),
        gender=draw(maybe_gender), buddy_gender=draw(wanted_gender),
        consent_to_matching=draw(likely),
    )  # fmt: skip


@st.composite
def volunteers(draw: st.DrawFn, pid: str) -> BuddyCandidate:
    """Volunteers who mostly keep the rules about themselves, so that suggestions are many."""
    active = draw(st.integers(0, 2))
    has_room = draw(likely)
    profile = {
        "approved": draw(likely),
        "dbs_checked_on": draw(current_dbs if draw(likely) else any_dbs),
        "capacity": active + draw(st.integers(1, 2)) if has_room else draw(st.integers(0, active)),
        "max_travel_km": draw(st.floats(0.5, 10.0)),
    }
    return volunteer(
        pid, draw(km), draw(km), active=active, declined=draw(unlikely),
        already=draw(unlikely), profile=profile, interests=draw(some(INTERESTS)),
        conditions=draw(some(CONDITIONS, 2)), languages=draw(some(LANGUAGES, 2)),
        availability=draw(some(SLOTS, 4)), consent_to_matching=draw(likely),
        gender=draw(st.sampled_from([Gender.FEMALE, Gender.MALE]) | maybe_gender),
    )  # fmt: skip


@st.composite
def activities(draw: st.DrawFn, aid: str) -> ActivityCandidate:
    features = {
        "step_free": draw(maybe_feature),
        "hearing_loop": draw(maybe_feature),
        "accessible_toilet": draw(maybe_feature),
    }
    session = Session(draw(st.sampled_from(Weekday)), f"{draw(st.integers(7, 21)):02d}:00")
    return activity(
        aid, draw(km), draw(km), venue=features, sessions=[session],
        audience=draw(st.sampled_from(Audience)), cost=draw(st.sampled_from([None, 0.0, 2.5])),
        interests=draw(some(INTERESTS)), supports=draw(some(CONDITIONS + NEEDS)),
        languages=draw(some(LANGUAGES, 2)),
    )  # fmt: skip


def buddy_worlds() -> st.SearchStrategy[tuple[Person, list[BuddyCandidate]]]:
    crowd = st.integers(0, 6).flatmap(
        lambda n: st.tuples(*(volunteers(f"p-{i}") for i in range(n)))
    )
    return st.tuples(people(), crowd.map(list))


def activity_lists() -> st.SearchStrategy[list[ActivityCandidate]]:
    return (
        st.integers(0, 6)
        .flatmap(lambda n: st.tuples(*(activities(f"a-{i}") for i in range(n))))
        .map(list)
    )


rarities = st.dictionaries(st.sampled_from(INTERESTS), st.floats(0.001, 1.0))
radii = st.none() | st.floats(0.5, 8.0)


@RELAXED
@given(world=buddy_worlds(), rarity=rarities)
def test_no_buddy_suggestion_breaks_a_hard_rule(
    world: tuple[Person, list[BuddyCandidate]], rarity: dict[str, float]
) -> None:
    me, candidates = world
    by_id = {c.person.id: c for c in candidates}
    found = suggest_buddies(me, candidates, TAXONOMY, rarity, TODAY, first=10)
    for suggestion in found:
        candidate = by_id[suggestion.target.id]
        buddy, profile = candidate.person, candidate.person.volunteer
        assert eligible_buddy(me, candidate, TODAY) is None
        assert me.consent_to_matching and buddy.consent_to_matching and profile is not None
        assert profile.approved and profile.dbs_checked_on is not None
        assert years_before(TODAY, 3) <= profile.dbs_checked_on <= TODAY
        assert candidate.active_buddies < profile.capacity
        assert not (candidate.declined_by_person or candidate.already_buddy)
        assert me.buddy_gender is None or buddy.gender == me.buddy_gender
        assert distance(me, buddy) <= profile.max_travel_km
        assert adds_up(suggestion)
    assert len(found) == sum(eligible_buddy(me, c, TODAY) is None for c in candidates)


@RELAXED
@given(me=people(), cared_for=st.lists(people("p-cared"), max_size=1), radius=radii,
       candidates=activity_lists())  # fmt: skip
def test_no_activity_suggestion_breaks_a_hard_rule(
    me: Person, cared_for: list[Person], radius: float | None, candidates: list[ActivityCandidate]
) -> None:
    by_id = {c.activity.id: c for c in candidates}
    found = suggest_activities(me, candidates, TAXONOMY, radius, cared_for)
    limit = DEFAULT.default_activity_radius_km if radius is None else radius
    for suggestion in found:
        candidate = by_id[suggestion.target.id]
        assert eligible_activity(me, candidate, cared_for, radius) is None
        assert me.consent_to_matching
        assert candidate.activity.audience is not Audience.CHILDREN
        assert all(has_feature(candidate.venue, need) for need in me.access_needs)
        assert distance(me, candidate.venue) <= limit
        assert adds_up(suggestion)


@RELAXED
@given(candidates=activity_lists(), radius=st.floats(0.5, 8.0),
       interests=some(INTERESTS).map(set), supports=some(CONDITIONS + NEEDS).map(set))  # fmt: skip
def test_activities_near_a_place_keep_the_rules(
    candidates: list[ActivityCandidate], radius: float, interests: set[str], supports: set[str]
) -> None:
    by_id = {c.activity.id: c for c in candidates}
    for suggestion in activities_near(HOME, candidates, TAXONOMY, radius, interests, supports):
        candidate = by_id[suggestion.target.id]
        assert eligible_activity_at(HOME, candidate, (), radius) is None
        assert candidate.activity.audience is not Audience.CHILDREN
        assert distance(HOME, candidate.venue) <= radius
        assert adds_up(suggestion)


def buddy_score(
    me: Person, candidate: BuddyCandidate, rarity: dict[str, float], **changes: object
) -> float | None:
    """The score of one volunteer with ``changes`` to their record, None when not suggested."""
    changed = replace(candidate, person=replace(candidate.person, **changes))
    found = suggest_buddies(me, [changed], TAXONOMY, rarity, TODAY)
    return found[0].score if found else None


def activity_score(me: Person, candidate: ActivityCandidate, km_north: float) -> float | None:
    """The score of one activity with its venue moved, None when not suggested."""
    changed = replace(candidate, venue=replace(candidate.venue, **at(km_north)))
    found = suggest_activities(me, [changed], TAXONOMY)
    return found[0].score if found else None


def never_lower(nearer: float | None, farther: float | None) -> bool:
    """Whenever the farther one is suggested, the nearer one is too, scoring at least as much."""
    return farther is None or (nearer is not None and nearer >= farther)


@RELAXED
@given(world=buddy_worlds(), rarity=rarities, near=st.floats(0, 10), extra=st.floats(0, 5))
def test_a_nearer_buddy_never_scores_lower(
    world: tuple[Person, list[BuddyCandidate]], rarity: dict[str, float], near: float, extra: float
) -> None:
    me, candidates = world
    me = replace(me, **at())
    for candidate in candidates:
        scores = [buddy_score(me, candidate, rarity, **at(d)) for d in (near, near + extra)]
        assert never_lower(*scores)


@RELAXED
@given(me=people(), candidates=activity_lists(), near=st.floats(0, 8), extra=st.floats(0, 4))
def test_a_nearer_activity_never_scores_lower(
    me: Person, candidates: list[ActivityCandidate], near: float, extra: float
) -> None:
    me = replace(me, **at())
    for candidate in candidates:
        assert never_lower(*(activity_score(me, candidate, d) for d in (near, near + extra)))


two_interests = st.lists(st.sampled_from(INTERESTS), min_size=2, max_size=2, unique=True)
two_shares = st.lists(st.floats(0.001, 1.0), min_size=2, max_size=2)


@RELAXED
@given(world=buddy_worlds(), pair=two_interests, shares=two_shares)
def test_a_rarer_shared_interest_never_scores_below_a_commoner_one(
    world: tuple[Person, list[BuddyCandidate]], pair: list[str], shares: list[float]
) -> None:
    (me, candidates), (rare, common) = world, pair
    rarity = {rare: min(shares), common: max(shares)}
    me = replace(me, interests=[rare, common])
    for candidate in candidates:
        rarer = buddy_score(me, candidate, rarity, interests=[rare])
        commoner = buddy_score(me, candidate, rarity, interests=[common])
        assert (rarer is None) == (commoner is None)
        assert rarer is None or rarer >= commoner


@given(total=st.integers(0, UNIT), shares=st.lists(st.floats(0, 1), max_size=8))
def test_apportioned_units_are_whole_and_add_up(total: int, shares: list[float]) -> None:
    units = apportion(total, shares)
    assert all(u >= 0 for u in units)
    assert sum(units) == (total if sum(shares) > 0 else 0)


@given(parts=st.sets(st.sampled_from(list(Part)), min_size=1), boost=st.floats(0, 1))
def test_a_mix_always_shares_out_the_whole_score(parts: set[Part], boost: float) -> None:
    units = mix(DEFAULT.activity_mix(), parts, (Part.LANGUAGE, boost))
    applicable = parts & set(DEFAULT.activity_mix())
    assert set(units) == applicable
    assert sum(units.values()) == (UNIT if applicable else 0)
