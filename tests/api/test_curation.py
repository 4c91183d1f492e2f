"""Keeping the directory: upserting groups, venues and activities by stable ids."""

from __future__ import annotations

from starlette.testclient import TestClient

from ..conftest import call, code_of

GROUP = "mutation($input: GroupInput!) { upsertGroup(input: $input) { group { id name } } }"
VENUE = """mutation($input: VenueInput!) { upsertVenue(input: $input) {
    venue { id name postcode latitude stepFree } } }"""
ACTIVITY = """mutation($input: ActivityInput!) { upsertActivity(input: $input) {
    activity { id name free cost group { id } venue { id } schedule { day start end }
               interests { id } supports { id } languages }
    normalised { field given termId } } }"""


def test_an_activity_is_created_and_then_updated_by_its_id(
    client: TestClient, tokens: dict
) -> None:
    token = tokens["coordinator"]
    group = {"id": "ext:g-1", "name": "Spondon Stitchers", "website": "https://example.org"}
    assert call(client, GROUP, token, input=group)["data"]["upsertGroup"]["group"]["id"] == (
        "ext:g-1"
    )
    venue = {"id": "ext:v-1", "name": "Spondon Library", "place": {"postcode": "de21 7ab"},
             "stepFree": True}  # fmt: skip
    made = call(client, VENUE, token, input=venue)["data"]["upsertVenue"]["venue"]
    assert made["postcode"] == "DE21 7AB" and made["stepFree"] is True
    activity = {"id": "ext:a-1", "name": "Stitch and Chat", "venueId": "ext:v-1",
                "groupId": "ext:g-1", "sessions": [{"day": "MONDAY", "start": "10:00"}],
                "cost": 0, "interests": ["sewing", "knitting & crochet"],
                "supports": ["isolation"], "languages": ["Polish"]}  # fmt: skip
    body = call(client, ACTIVITY, token, input=activity)["data"]["upsertActivity"]
    assert body["activity"]["free"] is True
    assert {i["id"] for i in body["activity"]["interests"]} == {"sewing", "knitting"}
    assert body["activity"]["supports"] == [{"id": "loneliness"}]
    changed = call(client, ACTIVITY, token, input={**activity, "cost": 2.5, "interests": []})
    assert changed["data"]["upsertActivity"]["activity"]["cost"] == 2.5
    assert changed["data"]["upsertActivity"]["activity"]["interests"] == []
    query = '{ search(text: "Stitch and Chat", kinds: [ACTIVITY]) { edges { node {'
    query += " ... on Activity { id } } } } }"
    found = call(client, query)["data"]["search"]["edges"]
    assert found[0]["node"]["id"] == "ext:a-1"


def test_curation_is_for_coordinators_and_checks_its_input(
    client: TestClient, tokens: dict
) -> None:
    group = {"name": "Anyone's Group"}
    assert code_of(call(client, GROUP, None, input=group)) == "UNAUTHENTICATED"
    assert code_of(call(client, GROUP, tokens["prescriber"], input=group)) == "FORBIDDEN"
    token = tokens["coordinator"]
    bad = [
        (GROUP, {"name": "G", "website": "javascript:alert(1)"}, "website"),
        (GROUP, {"name": "G", "id": "has spaces"}, "id"),
        (VENUE, {"name": "V", "place": {"postcode": "nope"}}, "postcode"),
        (ACTIVITY, {"name": "A", "venueId": "v-missing",
                    "sessions": [{"day": "MONDAY", "start": "10:00"}]}, "venueId"),
        (ACTIVITY, {"name": "A", "venueId": "v-allestree-lib",
                    "sessions": [{"day": "MONDAY", "start": "25:00"}]}, "sessions.start"),
        (ACTIVITY, {"name": "A", "venueId": "v-allestree-lib", "sessions": []}, "sessions"),
        (ACTIVITY, {"name": "A", "venueId": "v-allestree-lib", "cost": -1,
                    "sessions": [{"day": "MONDAY", "start": "10:00"}]}, "cost"),
    ]  # fmt: skip
    for mutation, form, field in bad:
        body = call(client, mutation, token, input=form)
        assert body["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "field": field}, form
