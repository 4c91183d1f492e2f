"""The Derby demo generator: deterministic, plausible, and consistent with the taxonomy."""

from __future__ import annotations

from collections import Counter

from kith.domain import Audience, TermKind
from loaders import demo
from loaders.taxonomy import read_taxonomy
from matching.geo import distance_km

DERBY = (52.9225, -1.4746)


def test_the_same_seed_gives_the_same_world() -> None:
    assert demo.generate(people=300, seed=4) == demo.generate(people=300, seed=4)
    assert demo.generate(people=300, seed=4) != demo.generate(people=300, seed=5)


def test_sizes_follow_the_county_proportions() -> None:
    world = demo.generate(people=20_000, seed=1)
    volunteers = sum(1 for p in world.people if p.volunteer)
    assert len(world.people) == 20_000
    assert 1_700 < volunteers < 2_300
    assert len(world.activities) >= 4_000 and len(world.groups) >= 1_000
    assert len(world.venues) >= 600


def test_every_reference_is_to_a_known_term_venue_group_or_person() -> None:
    world = demo.generate(people=2_000, seed=1)
    terms = {(t.kind, t.id) for t in read_taxonomy()}
    venues, groups = {v.id for v in world.venues}, {g.id for g in world.groups}
    people = [p.id for p in world.people]
    for a in world.activities:
        assert a.venue_id in venues and a.group_id in groups
        assert all((TermKind.INTEREST, i) in terms for i in a.interests)
        assert all((TermKind.LANGUAGE, i) in terms for i in a.languages)
        assert all((TermKind.CONDITION, s) in terms or (TermKind.NEED, s) in terms
                   for s in a.supports)  # fmt: skip
    for p in world.people:
        assert all((TermKind.INTEREST, i) in terms for i in p.interests)
        assert all((TermKind.CONDITION, c) in terms for c in p.conditions)
        assert all(people.index(c) < people.index(p.id) for c in p.cares_for)


def test_the_world_is_derby_shaped() -> None:
    world = demo.generate(people=1_000, seed=1)
    assert all(distance_km(DERBY, (v.latitude, v.longitude)) < 12 for v in world.venues)
    names = Counter(a.name for a in world.activities)
    for kind in (
        "Knit and Natter",
        "Memory Cafe",
        "Health Walk",
        "Polish Social Club",
        "Punjabi Lunch Club",
    ):
        assert any(n.startswith(kind) for n in names), kind  # fmt: skip
    assert any(a.audience is Audience.CHILDREN for a in world.activities)
    languages = Counter(lang for p in world.people for lang in p.languages)
    assert languages["english"] > 800 and languages["polish"] > 5 and languages["urdu"] > 5
    assert sum(1 for p in world.people if p.cares_for) > 10
    assert {"p-shardlow", "p-brown", "p-khan", "p-walker", "p-iris"} <= {p.id for p in world.people}
