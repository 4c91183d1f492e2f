"""The demo world holds one listing per activity (issue 17): an activity that meets on several
days is one listing with several sessions, a group's activities are at different venues near
each other, and listings carry review dates and, now and then, a closed status."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import timedelta

from starlette.testclient import TestClient

from kith.domain import ListingStatus
from loaders import demo
from matching.geo import distance_km

from ..conftest import call

WORLD = demo.generate(people=2_000, seed=1)
STORY_IDS = {a["id"] for a in demo.yaml.safe_load(demo.DERBY_FILE.read_text())["stories"]
             ["activities"]}  # fmt: skip


def generated() -> list:
    return [a for a in WORLD.activities if a.id not in STORY_IDS]


def test_no_name_meets_twice_at_one_venue_and_names_are_plain() -> None:
    held = Counter((a.name, a.venue_id) for a in WORLD.activities)
    assert held.most_common(1)[0][1] == 1
    assert not [a.name for a in WORLD.activities if "(" in a.name]


def test_an_activity_meets_on_one_to_three_days_at_the_same_times() -> None:
    days = Counter(len(a.sessions) for a in WORLD.activities)
    assert set(days) == {1, 2, 3} and days[1] > days[2] > days[3]
    for a in WORLD.activities:
        assert len({s.day for s in a.sessions}) == len(a.sessions)
        assert len({(s.start, s.end) for s in a.sessions}) == 1


def test_a_groups_activities_are_at_different_venues_near_each_other() -> None:
    venues = {v.id: v for v in WORLD.venues}
    by_group = defaultdict(list)
    for a in generated():
        by_group[a.group_id].append(venues[a.venue_id])
    assert all(len(vs) >= 2 for vs in by_group.values())
    for vs in by_group.values():
        assert len({v.id for v in vs}) == len(vs)
        home = (vs[0].latitude, vs[0].longitude)
        assert all(distance_km(home, (v.latitude, v.longitude)) < 5 for v in vs)


def test_no_generated_activity_named_like_a_story_one_meets_at_its_venue() -> None:
    stories = {a.venue_id: a.name for a in WORLD.activities if a.id in STORY_IDS}
    beside = [a.name for a in generated() if a.venue_id in stories
              and (a.name in stories[a.venue_id] or stories[a.venue_id] in a.name)]  # fmt: skip
    assert beside == []


def test_stories_were_reviewed_lately_and_the_rest_at_spread_dates() -> None:
    stories = [a for a in WORLD.activities if a.id in STORY_IDS]
    assert all(demo.TODAY - a.last_reviewed_on < timedelta(days=60) for a in stories)
    assert all(a.status is ListingStatus.ACTIVE for a in stories)
    ages = [(demo.TODAY - a.last_reviewed_on).days if a.last_reviewed_on else None
            for a in generated()]  # fmt: skip
    share = Counter(
        "never" if d is None else "fresh" if d <= 182 else "due" if d <= 365 else "older"
        for d in ages
    )
    assert share["fresh"] > 0.7 * len(ages)
    assert 0.05 * len(ages) < share["due"] < 0.25 * len(ages)
    assert share["older"] > 0 and share["never"] > 0
    statuses = Counter(a.status for a in generated())
    assert 0 < statuses[ListingStatus.CLOSED] < statuses[ListingStatus.TEMPORARILY_CLOSED]
    assert statuses[ListingStatus.ACTIVE] > 0.9 * len(ages)
    assert all(g.last_reviewed_on for g in WORLD.groups[:6])  # the stories' groups
    assert sum(g.last_reviewed_on is None for g in WORLD.groups) < 0.1 * len(WORLD.groups)


SEARCH = """query($text: String!, $near: PlaceInput!) {
  search(text: $text, near: $near, kinds: [ACTIVITY], first: 50) {
    edges { also { id } node { ... on Activity { id name venue { id } schedule { day } } } } } }"""
SUGGEST = """query($p: ID!) { suggestActivities(personId: $p, first: 10) {
  activity { id name group { id } } } }"""


def test_knit_near_de22_shows_each_activity_once_with_all_its_days(client: TestClient) -> None:
    body = call(client, SEARCH, None, text="knit", near={"postcode": "DE22 2AB"})
    found = [e["node"] for e in body["data"]["search"]["edges"]]
    assert all(e["also"] == [] for e in body["data"]["search"]["edges"])  # nothing listed twice
    assert any(n["id"] == "a-knit-allestree" for n in found)
    assert len({(n["name"], n["venue"]["id"]) for n in found}) == len(found)
    days = {a.id: [s.day.value for s in a.sessions] for a in demo.generate(500, 1).activities}
    assert all([s["day"] for s in n["schedule"]] == days[n["id"]] for n in found)


def test_mrs_shardlow_is_offered_ten_different_activities(
    client: TestClient, tokens: dict[str, str]
) -> None:
    body = call(client, SUGGEST, tokens["coordinator"], p="p-shardlow")
    offered = [s["activity"] for s in body["data"]["suggestActivities"]]
    assert len(offered) == 10 and len({a["id"] for a in offered}) == 10
    assert max(Counter(a["group"]["id"] for a in offered).values()) <= 2


def test_the_demos_mens_sheds_are_for_men_and_womens_groups_for_women() -> None:
    by_name = defaultdict(set)
    for a in generated():
        by_name[a.name].add(a.eligibility)
    assert {e.genders for e in by_name["Men's Shed"]} == {(demo.Gender.MALE,)}
    assert {e.genders for e in by_name["Urdu Women's Sewing Circle"]} == {(demo.Gender.FEMALE,)}
    assert {e.min_age for e in by_name["Swimming for Seniors"]} == {60}
    assert all(e.open for e in by_name["Knit and Natter"])
