"""Someone to go along through GraphQL, on a small world the test makes far from the demo's
Derby: suggestCompanions offers only approved volunteers free at one of the activity's
sessions and within their reach of both the person and the venue, with reasons."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from ..conftest import call, code_of
from .test_helpers import person, place, volunteer

VENUE = "mutation($i: VenueInput!) { upsertVenue(input: $i) { venue { id } } }"
ACTIVITY = "mutation($i: ActivityInput!) { upsertActivity(input: $i) { activity { id } } }"
COMPANIONS = """query($p: ID!, $a: ID!, $first: Int) {
    suggestCompanions(personId: $p, activityId: $a, first: $first) {
      buddy { id name } score distanceKm reasons { code text weight } } }"""
TUESDAY_AM, FRIDAY_PM = (
    {"day": "TUESDAY", "part": "MORNING"},
    {"day": "FRIDAY", "part": "AFTERNOON"},
)


def garden_club(client: TestClient, coordinator: str, centre: tuple[float, float], key: str) -> str:
    """A gardening club 2 km north of ``centre``, on Tuesday mornings and Friday afternoons."""
    venue = {"id": f"v-test-{key}", "name": f"{key.title()} Hall", "place": place(centre, 2.0)}
    assert "errors" not in call(client, VENUE, coordinator, i=venue)
    sessions = [{"day": "TUESDAY", "start": "10:00"}, {"day": "FRIDAY", "start": "14:30"}]
    activity = {"id": f"a-test-{key}", "name": "Garden Club", "venueId": venue["id"],
                "sessions": sessions, "interests": ["gardening"]}  # fmt: skip
    body = call(client, ACTIVITY, coordinator, i=activity)
    assert "errors" not in body, body
    return body["data"]["upsertActivity"]["activity"]["id"]


def companions(client: TestClient, token: str, person_id: str, activity_id: str) -> list[dict]:
    body = call(client, COMPANIONS, token, p=person_id, a=activity_id)
    assert "errors" not in body, body
    return body["data"]["suggestCompanions"]


def test_only_volunteers_free_at_a_session_and_near_both(client: TestClient, tokens: dict) -> None:
    coordinator, centre = tokens["coordinator"], (54.67, -2.75)
    club = garden_club(client, coordinator, centre, "penrith")
    ada = person(client, coordinator, centre, availability=[FRIDAY_PM])
    for name, km, extra in [
        ("Tuesday", 1.0, {"availability": [TUESDAY_AM]}),
        ("Friday gardener", 1.0, {"availability": [FRIDAY_PM], "interests": ["gardening"]}),
        ("Monday", 1.0, {"availability": [{"day": "MONDAY", "part": "MORNING"}]}),
        ("Tuesday evening", 1.0, {"availability": [{"day": "TUESDAY", "part": "EVENING"}]}),
        ("Unapproved", 1.0, {"availability": [TUESDAY_AM], "approved": False}),
        ("South", -1.5, {"availability": [TUESDAY_AM], "maxTravelKm": 3.0}),  # 3.5 km from the hall
    ]:
        volunteer(client, coordinator, centre, name, km, **extra)

    found = companions(client, coordinator, ada, club)
    assert [s["buddy"]["name"] for s in found] == ["Friday gardener", "Tuesday"]
    best = found[0]
    assert sum(r["weight"] for r in best["reasons"]) == pytest.approx(best["score"], abs=1e-6)
    texts = {r["text"] for r in best["reasons"]}
    assert {"enjoys gardening too", "lives 1.0 km away, 1.0 km from Penrith Hall",
            "free on Friday afternoons, when it meets"} <= texts  # fmt: skip
    assert {r["code"] for r in best["reasons"]} == {"SHARED_INTEREST", "NEARBY", "AVAILABILITY"}


def test_only_coordinators_ask_and_an_unknown_activity_is_not_found(
    client: TestClient, tokens: dict
) -> None:
    coordinator, centre = tokens["coordinator"], (54.52, -2.32)
    club = garden_club(client, coordinator, centre, "appleby")
    ada = person(client, coordinator, centre)
    assert code_of(call(client, COMPANIONS, None, p=ada, a=club)) == "UNAUTHENTICATED"
    assert code_of(call(client, COMPANIONS, tokens["prescriber"], p=ada, a=club)) == "FORBIDDEN"
    missing = call(client, COMPANIONS, coordinator, p=ada, a="a-test-nowhere")
    assert code_of(missing) == "NOT_FOUND" and "a-test-nowhere" in missing["errors"][0]["message"]
    refused = person(client, coordinator, centre, consentToMatching=False)
    volunteer(client, coordinator, centre, "Willing", 1.0, availability=[TUESDAY_AM])
    assert [s["buddy"]["name"] for s in companions(client, coordinator, ada, club)] == ["Willing"]
    assert companions(client, coordinator, refused, club) == []
