"""Suggestions through GraphQL on the demo world: reasons, rules and who may ask."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from ..conftest import call, code_of

BUDDIES = """query($p: ID!) { suggestBuddies(personId: $p) {
    buddy { id name } score distanceKm reasons { code text weight } } }"""
ACTIVITIES = """query($p: ID!, $r: Float) { suggestActivities(personId: $p, radiusKm: $r) {
    activity { id name audience } score distanceKm reasons { code text weight } } }"""
NEAR = """query($place: PlaceInput!, $i: [String!], $s: [String!]) {
    activitiesNear(place: $place, interests: $i, supports: $s) {
      activity { id name } score distanceKm reasons { code text } } }"""


def test_mrs_shardlow_is_offered_her_neighbour_with_reasons(
    client: TestClient, tokens: dict
) -> None:
    body = call(client, BUDDIES, tokens["coordinator"], p="p-shardlow")
    found = body["data"]["suggestBuddies"]
    assert "p-brown" in [s["buddy"]["id"] for s in found[:3]]
    texts = " ".join(r["text"] for r in found[0]["reasons"])
    assert "antiques" in texts.lower()
    assert [s["score"] for s in found] == sorted((s["score"] for s in found), reverse=True)
    for suggestion in found:
        assert 0 <= suggestion["score"] <= 1
        assert sum(r["weight"] for r in suggestion["reasons"]) == pytest.approx(
            suggestion["score"], abs=1e-6
        )


def test_activities_come_with_distances_and_never_for_children(
    client: TestClient, tokens: dict
) -> None:
    found = call(client, ACTIVITIES, tokens["coordinator"], p="p-shardlow", r=4.0)
    suggestions = found["data"]["suggestActivities"]
    assert suggestions[0]["activity"]["id"] == "a-knit-allestree"
    assert all(s["distanceKm"] <= 4 for s in suggestions)
    assert all(s["activity"]["audience"] != "CHILDREN" for s in suggestions)
    codes = {r["code"] for r in suggestions[0]["reasons"]}
    assert {"SHARED_INTEREST", "NEARBY"} <= codes


def test_buddy_suggestions_are_for_coordinators(client: TestClient, tokens: dict) -> None:
    assert code_of(call(client, BUDDIES, None, p="p-shardlow")) == "UNAUTHENTICATED"
    assert code_of(call(client, BUDDIES, tokens["prescriber"], p="p-shardlow")) == "FORBIDDEN"
    assert code_of(call(client, ACTIVITIES, tokens["prescriber"], p="p-shardlow")) == "FORBIDDEN"


def test_nobody_who_has_not_consented_is_matched(client: TestClient, tokens: dict) -> None:
    add = """mutation($i: PersonInput!) { addPerson(input: $i) { person { id } } }"""
    form = {"name": "Nora Dean", "place": {"latitude": 52.9515, "longitude": -1.4893},
            "interests": ["antiques", "knitting"], "consentToMatching": False}  # fmt: skip
    person = call(client, add, tokens["coordinator"], i=form)["data"]["addPerson"]["person"]["id"]
    assert call(client, BUDDIES, tokens["coordinator"], p=person)["data"]["suggestBuddies"] == []
    assert call(client, ACTIVITIES, tokens["coordinator"], p=person)["data"][
        "suggestActivities"] == []  # fmt: skip


def test_anyone_may_ask_for_activities_near_a_postcode(client: TestClient) -> None:
    found = call(client, NEAR, None, place={"postcode": "DE3 0DA"}, s=["dementia"])
    names = [s["activity"]["name"] for s in found["data"]["activitiesNear"]]
    assert names and names[0] == "Memory Cafe"
    assert all(s["distanceKm"] <= 3 for s in found["data"]["activitiesNear"])
    bad = call(client, NEAR, None, place={"postcode": "DE3 0DA"}, i=["zzzqqq"])
    assert bad["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "field": "interests"}


NULLS = """query($place: PlaceInput!, $r: Float) {
    activitiesNear(place: $place, radiusKm: $r) { activity { id } distanceKm }
    search(near: $place, radiusKm: $r) { edges { node { __typename } } } }"""


def test_a_null_radius_counts_as_leaving_it_out(client: TestClient) -> None:
    place = {"postcode": "DE3 0DA"}
    given = call(client, NULLS, None, place=place, r=None)
    assert "errors" not in given, given.get("errors")
    assert given["data"] == call(client, NULLS, None, place=place)["data"]


def test_a_null_for_an_argument_that_cannot_be_null_is_named(client: TestClient) -> None:
    query = 'query($f: Int) { activitiesNear(place: {postcode: "DE3 0DA"}, first: $f) { score } }'
    found = call(client, query, None, f=None)
    assert "first" in found["errors"][0]["message"]
    assert found["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "field": "first"}
