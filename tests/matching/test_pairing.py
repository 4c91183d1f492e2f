"""Batch pairing on random small worlds (hypothesis) and on a world made by hand.

The plan never breaks a hard rule, never pairs a person twice or fills a volunteer beyond
their free places, is never worse than greedy, and is as good as trying every assignment.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import replace

from hypothesis import given, settings, target
from hypothesis import strategies as st

from kith.domain import BuddyCandidate, Person, Suggestion
from matching.buddies import suggest_buddies
from matching.explain import UNIT
from matching.pairing import Options, Pair, allowed_pairs, free_slots, greedy, optimal, plan
from matching.rules import eligible_buddy

from .test_properties import people
from .test_properties import volunteers as volunteer_candidates
from .worlds import TAXONOMY, TODAY, person, volunteer

RARITY = {"knitting": 0.05, "antiques": 0.02, "music": 0.3}
WORLDS = settings(deadline=None, max_examples=200)


@st.composite
def worlds(draw: st.DrawFn) -> tuple[list[Person], Options]:
    """Up to five waiting people and six volunteers, every pair with its own rule data (a
    person may have declined a volunteer, or be paired with them already). Half the worlds are
    crowded: everyone consents and nobody minds a buddy's gender, so that people compete for
    the few places of up to three volunteers, and greedy often loses."""
    crowded = draw(st.booleans())
    eager = {"consent_to_matching": True, "buddy_gender": None} if crowded else {}
    crowd = [replace(draw(people(f"p-{i}")), **eager) for i in range(draw(st.integers(1, 5)))]
    helpers = [draw(volunteer_candidates(f"v-{j}")) for j in range(draw(st.integers(0, 6)))]
    if crowded:
        helpers = [crowded_out(h) for h in helpers[:3]]
    options = {
        p.id: [
            BuddyCandidate(h.person, h.active_buddies, draw(st.integers(0, 9)) == 0,
                           draw(st.integers(0, 19)) == 0)
            for h in helpers
        ]
        for p in crowd
    }  # fmt: skip
    return crowd, options


def crowded_out(helper: BuddyCandidate) -> BuddyCandidate:
    """A volunteer who consented, with one free place at most."""
    profile = helper.person.volunteer
    assert profile is not None
    room = replace(profile, capacity=min(profile.capacity, helper.active_buddies + 1))
    return replace(helper, person=replace(helper.person, consent_to_matching=True, volunteer=room))


def units(pairs: list[Pair]) -> int:
    return sum(p.units for p in pairs)


def best_by_trying_all(pairs: list[Pair], slots: Mapping[str, int]) -> int:
    """The largest total (in units) of any assignment, found by trying them all."""
    by_person: dict[str, list[Pair]] = {}
    for pair in pairs:
        by_person.setdefault(pair.person.id, []).append(pair)
    order = sorted(by_person)

    def best(k: int, left: dict[str, int]) -> int:
        if k == len(order):
            return 0
        found = best(k + 1, left)  # this person unpaired
        for pair in by_person[order[k]]:
            if left.get(pair.buddy.id, 0) > 0:
                rest = {**left, pair.buddy.id: left[pair.buddy.id] - 1}
                found = max(found, pair.units + best(k + 1, rest))
        return found

    return best(0, dict(slots))


def keeps_the_rules(pairs: list[Pair], options: Options, slots: Mapping[str, int]) -> None:
    for pair in pairs:
        (candidate,) = [c for c in options[pair.person.id] if c.person.id == pair.buddy.id]
        assert eligible_buddy(pair.person, candidate, TODAY) is None
    assert len({p.person.id for p in pairs}) == len(pairs), "a person paired twice"
    for volunteer_id, taken in Counter(p.buddy.id for p in pairs).items():
        assert taken <= slots[volunteer_id], f"{volunteer_id} over their free places"


@WORLDS
@given(worlds())
def test_the_plan_keeps_every_rule_and_beats_or_equals_greedy(
    world: tuple[list[Person], Options],
) -> None:
    crowd, options = world
    found = plan(crowd, options, TAXONOMY, RARITY, TODAY)
    pairs = allowed_pairs(crowd, options, TAXONOMY, RARITY, TODAY)
    slots = free_slots(options)
    keeps_the_rules(found.pairs, options, slots)
    keeps_the_rules(greedy(pairs, slots), options, slots)
    target(found.total_score - found.greedy_total_score)  # seek worlds where greedy loses
    assert found.total_score >= found.greedy_total_score
    assert round(found.total_score * UNIT) == units(found.pairs) == best_by_trying_all(pairs, slots)
    assert {p.id for p in found.unpaired} == {p.id for p in crowd} - {
        p.person.id for p in found.pairs
    }


@WORLDS
@given(worlds())
def test_each_pair_is_scored_and_explained_as_suggest_buddies_does(
    world: tuple[list[Person], Options],
) -> None:
    crowd, options = world
    for pair in plan(crowd, options, TAXONOMY, RARITY, TODAY).pairs:
        found = options[pair.person.id]
        alone = suggest_buddies(pair.person, found, TAXONOMY, RARITY, TODAY, len(found))
        (same,) = [s for s in alone if s.target.id == pair.buddy.id]
        mine = pair.suggestion
        assert (same.score, same.distance_km, same.reasons) == (
            mine.score, mine.distance_km, mine.reasons)  # fmt: skip


def scored(person_id: str, volunteer_id: str, score: float, km: float = 1.0) -> Pair:
    buddy = volunteer(volunteer_id).person
    return Pair(person(person_id), Suggestion(buddy, score, km, []))


def test_greedy_takes_the_best_pair_and_loses_the_best_total() -> None:
    """A fits X 0.9 and Y 0.8; B fits only X 0.7. Greedy gives X to A (0.9 in all); the plan
    gives Y to A and X to B (1.5)."""
    pairs = [scored("A", "X", 0.9), scored("A", "Y", 0.8), scored("B", "X", 0.7)]
    slots = {"X": 1, "Y": 1}
    taken = optimal(pairs, slots)
    assert [(p.person.id, p.buddy.id) for p in taken] == [("A", "Y"), ("B", "X")]
    assert [(p.person.id, p.buddy.id) for p in greedy(pairs, slots)] == [("A", "X")]
    assert units(taken) == 15_000 and units(greedy(pairs, slots)) == 9_000


def test_a_volunteer_with_two_places_takes_two_people_and_forbidden_pairs_stay_empty() -> None:
    pairs = [scored("A", "X", 0.5), scored("B", "X", 0.4), scored("C", "X", 0.3)]
    assert [p.person.id for p in optimal(pairs, {"X": 2})] == ["A", "B"]
    assert optimal(pairs, {"X": 0}) == [] and optimal([], {"X": 3}) == []
    lonely = [scored("A", "X", 0.5), scored("B", "Y", 0.0)]  # a zero score is still allowed
    assert [p.person.id for p in optimal(lonely, {"X": 1, "Y": 1})] == ["A", "B"]


def test_a_made_world_where_only_the_plan_pairs_everyone() -> None:
    """Real scoring: Ann lives by Xena and Yuri, both keen knitters; Bob lives 4 km north,
    beyond Yuri's 2 km but within Xena's 5 km. Greedy gives Xena to Ann and leaves Bob alone."""
    ann = person("p-ann", interests=["knitting"], languages=["english"])
    bob = person("p-bob", 4.0, interests=["music"], languages=["english"])
    knitter = {"interests": ["knitting"], "languages": ["english"]}
    xena = volunteer("v-xena", 0.2, profile={"capacity": 1, "max_travel_km": 5.0}, **knitter)
    yuri = volunteer("v-yuri", 0.0, 0.6, profile={"capacity": 1, "max_travel_km": 2.0}, **knitter)
    options = {ann.id: [xena, yuri], bob.id: [xena, yuri]}
    found = plan([ann, bob], options, TAXONOMY, RARITY, TODAY)
    assert sorted((p.person.id, p.buddy.id) for p in found.pairs) == [
        ("p-ann", "v-yuri"), ("p-bob", "v-xena")]  # fmt: skip
    assert found.unpaired == []
    assert found.total_score > found.greedy_total_score > 0
    pairs = allowed_pairs([ann, bob], options, TAXONOMY, RARITY, TODAY)
    assert [(p.person.id, p.buddy.id) for p in greedy(pairs, free_slots(options))] == [
        ("p-ann", "v-xena")]  # fmt: skip
