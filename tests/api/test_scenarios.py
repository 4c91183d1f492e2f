"""The seed stories (shared/scenarios/seed-vignettes.yaml), loaded and asked through GraphQL.

Each scenario's world is built with the API's own mutations, as a council's system would, on an
otherwise empty store; every `expect` of the file is then checked.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import yaml
from starlette.testclient import TestClient

from api.app import create_app
from kith import accounts
from kith.service import Kith

from ..conftest import SHARED, call

SCENARIOS = yaml.safe_load((SHARED / "scenarios" / "seed-vignettes.yaml").read_text())["scenarios"]
AUDIENCES = {"children": "CHILDREN", "families": "FAMILIES", "adults": "ADULTS"}


@pytest.fixture
def world(empty: Kith) -> Iterator[tuple[TestClient, str]]:
    _, token = accounts.add(empty.store, "Scenario Coordinator", accounts.Role.COORDINATOR)
    with TestClient(create_app(kith=empty)) as client:
        yield client, token


def ok(body: dict) -> dict:
    assert "errors" not in body, body["errors"]
    return body["data"]


def load(client: TestClient, token: str, scenario: dict) -> dict[str, str]:
    """Write the scenario's venues, activities and people; returns scenario id -> Kith id."""
    ids: dict[str, str] = {}
    for v in scenario["venues"]:
        ok(call(client, "mutation($i: VenueInput!) { upsertVenue(input: $i) { venue { id } } }",
                token, i={"id": v["id"], "name": v["name"], "stepFree": v.get("step_free"),
                          "place": {"latitude": v["lat"], "longitude": v["lon"]}}))  # fmt: skip
    for a in scenario["activities"]:
        form = {"id": a["id"], "name": a["name"], "venueId": a["venue"], "cost": a["cost"],
                "sessions": [{"day": a["day"], "start": a["time"]}],
                "interests": a.get("interests", []), "supports": a.get("supports", []),
                "languages": a.get("languages", ["English"]),
                "audience": AUDIENCES.get(a.get("audience", ""), "ADULTS")}  # fmt: skip
        ok(call(client, "mutation($i: ActivityInput!) { upsertActivity(input: $i) "
                        "{ activity { id } } }", token, i=form))  # fmt: skip
    for p in sorted(scenario["people"], key=lambda p: bool(p.get("cares_for"))):
        ids[p["id"]] = add_person(client, token, p, ids)
    return ids


def add_person(client: TestClient, token: str, p: dict, ids: dict[str, str]) -> str:
    base = {"name": p["name"], "birthYear": 2026 - p["age"], "gender": p["gender"].upper(),
            "place": {"latitude": p["lat"], "longitude": p["lon"]},
            "interests": p.get("interests", []), "languages": p.get("languages", []),
            "consentToMatching": p["consent_matching"]}  # fmt: skip
    volunteer = p.get("volunteer")
    if volunteer is None:
        form = {**base, "conditions": p.get("conditions", []),
                "caresFor": [ids[c] for c in p.get("cares_for", [])],
                "preferences": {"buddyGender": (p.get("preferences") or {}).get(
                    "buddy_gender", "").upper() or None}}  # fmt: skip
        query = "mutation($i: PersonInput!) { addPerson(input: $i) { person { id } } }"
        return ok(call(client, query, token, i=form))["addPerson"]["person"]["id"]
    form = {**base, "livedExperience": p.get("conditions", []), "capacity": volunteer["capacity"],
            "maxTravelKm": volunteer["max_travel_km"], "skills": ["befriending"],
            "availability": [{"day": d, "part": "AFTERNOON"}
                             for d in ("MONDAY", "WEDNESDAY", "FRIDAY")]}  # fmt: skip
    query = "mutation($i: VolunteerInput!) { registerVolunteer(input: $i) { volunteer { id } } }"
    person_id = ok(call(client, query, None, i=form))["registerVolunteer"]["volunteer"]["id"]
    if volunteer["approved"]:
        approve = "mutation($id: ID!, $d: Date) { approveVolunteer(id: $id, dbsCheckedOn: $d) {" \
                  " volunteer { approved } } }"  # fmt: skip
        ok(call(client, approve, token, id=person_id, d=str(volunteer["dbs_checked_on"])))
    return person_id


def suggested(client: TestClient, token: str, kind: str, person_id: str) -> list[str]:
    if kind == "buddies":
        query = "query($p: ID!) { suggestBuddies(personId: $p, first: 10) { buddy { id } } }"
        return [s["buddy"]["id"] for s in ok(call(client, query, token, p=person_id))[
            "suggestBuddies"]]  # fmt: skip
    query = "query($p: ID!) { suggestActivities(personId: $p, first: 10) { activity { id } } }"
    return [s["activity"]["id"]
            for s in ok(call(client, query, token, p=person_id))["suggestActivities"]]  # fmt: skip


CASES = [(s["name"], s, e) for s in SCENARIOS for e in s["expect"]]


@pytest.mark.parametrize(("name", "scenario", "expect"), CASES,
                         ids=[f"{n}-{e['for']}-{e['suggest']}" for n, _, e in CASES])  # fmt: skip
def test_the_story_comes_out_right(world, name: str, scenario: dict, expect: dict) -> None:
    client, token = world
    ids = load(client, token, scenario)
    reverse = {v: k for k, v in ids.items()}
    got = [reverse.get(i, i) for i in suggested(client, token, expect["suggest"],
                                                  ids[expect["for"]])]  # fmt: skip
    if "first_is" in expect:
        assert got and got[0] == expect["first_is"], got
    for n, wanted in (expect.get("within_top") or {}).items():
        assert set(wanted) <= set(got[: int(n)]), got
    for never in expect.get("never", []):
        assert never not in got, got
