"""Single records, the taxonomy and health, through the public door."""

from __future__ import annotations

from starlette.testclient import TestClient

from ..conftest import gql


def test_an_activity_with_its_group_venue_and_terms(client: TestClient) -> None:
    body = gql(
        client,
        """{ activity(id: "a-dementia-cafe") {
        name free schedule { day start } group { name } audience
        venue { name postcode stepFree latitude longitude }
        interests { id name } supports { id name broader { id } } languages } }""",
    )
    activity = body["data"]["activity"]
    assert activity["name"] == "Memory Cafe"
    assert activity["venue"]["name"] == "Mickleover Community Centre"
    assert activity["venue"]["postcode"] == "DE3 0DA"
    assert {s["id"] for s in activity["supports"]} == {"dementia", "carer-support"}
    assert activity["languages"] == ["English"]


def test_a_missing_record_is_null(client: TestClient) -> None:
    body = gql(client, '{ venue(id: "v-nowhere") { name } group(id: "g-none") { name } }')
    assert body["data"] == {"venue": None, "group": None}


def test_many_activities_fetch_their_venues_in_one_batch(client: TestClient, derby) -> None:
    calls: list[int] = []
    original = derby.venues
    derby.venues = lambda ids: calls.append(len(ids)) or original(ids)  # type: ignore[method-assign]
    try:
        body = gql(client, "{ search(kinds: [ACTIVITY], first: 50) { edges { node {"
                           " ... on Activity { venue { name } } } } } }")  # fmt: skip
    finally:
        del derby.venues
    assert len(body["data"]["search"]["edges"]) == 50
    assert len(calls) == 1 and calls[0] > 1


def test_the_taxonomy_by_kind_and_prefix(client: TestClient) -> None:
    body = gql(client, '{ taxonomy(kind: INTEREST, prefix: "knit") { id name broader { id } } }')
    assert {"id": "knitting", "name": "Knitting", "broader": {"id": "crafts"}} in (
        body["data"]["taxonomy"]
    )
    languages = gql(client, "{ taxonomy(kind: LANGUAGE) { id } }")["data"]["taxonomy"]
    assert {"polish", "punjabi", "urdu", "gujarati", "bengali", "arabic", "romanian"} <= {
        t["id"] for t in languages}  # fmt: skip


def test_health_reports_the_store(client: TestClient) -> None:
    response = client.get("/health")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    assert response.json()["nodes"] > 1000


def test_node_finds_any_record_but_people_only_for_those_allowed(
    client: TestClient, tokens: dict
) -> None:
    query = """query($id: ID!) { node(id: $id) { __typename ... on Activity { name }
               ... on Venue { name } ... on Person { name } ... on Volunteer { approved } } }"""
    assert gql(client, query, id="a-knit-allestree")["data"]["node"] == {
        "__typename": "Activity", "name": "Knit and Natter"}  # fmt: skip
    assert gql(client, query, id="v-allestree-lib")["data"]["node"]["__typename"] == "Venue"
    assert gql(client, query, id="p-shardlow")["data"]["node"] is None
    assert gql(client, query, id="nothing")["data"]["node"] is None
    headers = {"Authorization": f"Bearer {tokens['coordinator']}"}
    body = client.post("/graphql", json={"query": query, "variables": {"id": "p-brown"}},
                       headers=headers).json()  # fmt: skip
    assert body["data"]["node"] == {"__typename": "Volunteer", "approved": True}
