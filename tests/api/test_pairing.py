"""planBuddyPairs through GraphQL on the demo world: who waits, the rules, who may ask, and the
audit trail.

A first plan is taken, then three of its pairs are acted on (one accepted, one declined, one
left proposed) and the plan asked for again: the second plan must know all three.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import pytest
from starlette.testclient import TestClient

from graph import matches as match_repo
from graph import people as people_repo
from kith import audit
from kith.domain import MatchStatus
from kith.service import Kith
from matching.geo import distance_km

from ..conftest import call, code_of

CENTRE = {"latitude": 52.9136, "longitude": -1.4725}
PLAN = """query($area: PlaceInput!, $r: Float) { planBuddyPairs(area: $area, radiusKm: $r) {
    pairs { person { id } buddy { id } score distanceKm reasons { code text weight } }
    unpaired { id } totalScore greedyTotalScore } }"""
BUDDIES = """query($p: ID!) { suggestBuddies(personId: $p, first: 50) {
    buddy { id } score distanceKm reasons { code text weight } } }"""
PROPOSE = """mutation($p: ID!, $b: ID!) { proposeBuddy(personId: $p, buddyId: $b) {
    match { id } } }"""
UPDATE = """mutation($id: ID!, $s: MatchStatus!) { updateMatch(id: $id, status: $s) {
    match { status } } }"""


@dataclass
class Acted:
    before: dict
    after: dict
    accepted: tuple[str, str]
    declined: tuple[str, str]
    proposed: tuple[str, str]
    since: str  # just before the second plan


def plan_of(client: TestClient, token: str, radius: float | None = None, **area: object) -> dict:
    body = call(client, PLAN, token, area=area or CENTRE, r=radius)
    assert "errors" not in body, body
    return body["data"]["planBuddyPairs"]


def pair_ids(plan: dict) -> list[tuple[str, str]]:
    return [(p["person"]["id"], p["buddy"]["id"]) for p in plan["pairs"]]


@pytest.fixture(scope="module")
def acted(client: TestClient, tokens: dict) -> Acted:
    """The plan before and after acting on its first three pairs."""
    token = tokens["coordinator"]
    before = plan_of(client, token)
    assert len(before["pairs"]) >= 3, "the demo world should give a plan worth the name"
    done = []
    for (person, buddy), status in zip(pair_ids(before), ["ACCEPTED", "DECLINED", None],
                                       strict=False):  # fmt: skip
        match = call(client, PROPOSE, token, p=person, b=buddy)["data"]["proposeBuddy"]["match"]
        if status:
            assert "errors" not in call(client, UPDATE, token, id=match["id"], s=status)
        done.append((person, buddy))
    since = audit.now()
    return Acted(before, plan_of(client, token), *done, since=since)


def waiting_within(kith: Kith, radius_km: float) -> set[str]:
    """Who waits within the radius, worked out the slow way: everyone, every match."""
    everyone = people_repo.people_in(kith.store, None)
    live = {m.person_id for m in match_repo.of_people(kith.store, [p.id for p in everyone])
            if m.status in (MatchStatus.PROPOSED, MatchStatus.ACCEPTED)}  # fmt: skip
    here = (CENTRE["latitude"], CENTRE["longitude"])
    return {
        p.id for p in everyone
        if not p.volunteer and p.consent_to_matching and p.id not in live
        and p.latitude is not None and distance_km(here, (p.latitude, p.longitude)) <= radius_km
    }  # fmt: skip


def test_the_plan_holds_everyone_waiting_within_the_radius_and_nobody_else(
    acted: Acted, derby: Kith
) -> None:
    plan = acted.after
    shown = [p for p, _ in pair_ids(plan)] + [u["id"] for u in plan["unpaired"]]
    assert len(shown) == len(set(shown)), "a person shown twice"
    assert set(shown) == waiting_within(derby, 3.0)
    assert acted.accepted[0] not in shown and acted.proposed[0] not in shown
    assert acted.declined[0] in shown


def test_the_plan_keeps_the_rules_and_is_no_worse_than_greedy(acted: Acted, derby: Kith) -> None:
    for plan in (acted.before, acted.after):
        assert plan["totalScore"] >= plan["greedyTotalScore"] > 0
        assert plan["totalScore"] == pytest.approx(sum(p["score"] for p in plan["pairs"]))
    assert acted.declined not in pair_ids(acted.after)
    taken = Counter(b for _, b in pair_ids(acted.after))
    volunteers = people_repo.people_by_id(derby.store, list(taken))
    matches = match_repo.of_people(derby.store, list(taken))
    for buddy, count in taken.items():
        active = sum(m.buddy_id == buddy and m.status is MatchStatus.ACCEPTED for m in matches)
        capacity = volunteers[buddy].volunteer.capacity  # type: ignore[union-attr]
        assert count <= capacity - active, f"{buddy} given more buddies than they have room for"


def test_each_pair_is_as_suggest_buddies_shows_it(
    client: TestClient, tokens: dict, acted: Acted
) -> None:
    for pair in acted.after["pairs"][:5]:
        body = call(client, BUDDIES, tokens["coordinator"], p=pair["person"]["id"])
        same = [
            s for s in body["data"]["suggestBuddies"] if s["buddy"]["id"] == pair["buddy"]["id"]
        ]
        assert same, "a planned buddy suggestBuddies would not offer"
        assert (same[0]["score"], same[0]["distanceKm"], same[0]["reasons"]) == (
            pair["score"], pair["distanceKm"], pair["reasons"])  # fmt: skip
        assert pair["distanceKm"] is not None and {r["code"] for r in pair["reasons"]} >= {"NEARBY"}


def test_everyone_shown_is_audited(acted: Acted, derby: Kith) -> None:
    plan = acted.after
    shown = {i for pair in pair_ids(plan) for i in pair} | {u["id"] for u in plan["unpaired"]}
    events = audit.recent(derby.store, acted.since, limit=10_000)
    suggested = {e.subject for e in events
                 if e.action == "person.suggested" and e.role == "COORDINATOR"}  # fmt: skip
    assert shown <= suggested


def test_only_coordinators_may_plan(client: TestClient, tokens: dict) -> None:
    assert code_of(call(client, PLAN, None, area=CENTRE)) == "UNAUTHENTICATED"
    assert code_of(call(client, PLAN, tokens["prescriber"], area=CENTRE)) == "FORBIDDEN"


def test_a_volunteer_may_not_plan(client: TestClient, derby: Kith) -> None:
    from kith import accounts

    _, token = accounts.add(derby.store, "A volunteer", accounts.Role.VOLUNTEER, "p-brown")
    assert code_of(call(client, PLAN, token, area=CENTRE)) == "FORBIDDEN"


@pytest.mark.parametrize("radius", [0.0, -1.0, 10.5])
def test_a_bad_radius_is_named(client: TestClient, tokens: dict, radius: float) -> None:
    body = call(client, PLAN, tokens["coordinator"], area=CENTRE, r=radius)
    assert body["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "field": "radiusKm"}
    assert "at most 10" in body["errors"][0]["message"]


def test_too_many_waiting_asks_for_a_smaller_area(client: TestClient, tokens: dict) -> None:
    body = call(client, PLAN, tokens["coordinator"], area=CENTRE, r=10.0)
    assert body["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "field": "radiusKm"}
    assert "narrow the area" in body["errors"][0]["message"]


def test_a_postcode_area_and_an_unknown_postcode(client: TestClient, tokens: dict) -> None:
    plan = plan_of(client, tokens["coordinator"], 1.5, postcode="DE3 0DA")
    assert plan["totalScore"] >= plan["greedyTotalScore"]
    body = call(client, PLAN, tokens["coordinator"], area={"postcode": "ZZ99 9ZZ"})
    assert body["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "field": "postcode"}
    assert "ZZ99 9ZZ" in body["errors"][0]["message"]
