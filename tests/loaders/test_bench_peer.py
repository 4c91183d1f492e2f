"""The bench's peer (bench/peer.py, bench/peer/server.js) answers from Kith's own graph: on the
suite's Neo4j, its search and its activitiesNear find the activity Kith finds, and not one out
of reach. Neo4j only: the peer is the Neo4j GraphQL Library (``npm ci --prefix bench/peer``)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bench import peer
from bench.client import Client
from bench.workloads import Request
from graph.directory import upsert_activities, upsert_groups, upsert_venues
from kith.domain import Activity, Group, Place, Venue
from kith.service import Kith, SearchRequest
from kith.suggestions import activities_near

from ..conftest import ENGINE

pytestmark = pytest.mark.skipif(ENGINE != "neo4j", reason="the peer runs on Neo4j only")

HERE = Place(52.9225, -1.4746)  # central Derby


@pytest.fixture
def world(empty: Kith) -> Kith:
    """A knitting group in central Derby, a chess club beside it, and a knitting group 40 km
    away; the peer's Point on every venue."""
    upsert_venues(empty.store, [
        Venue("v-near", "Riverside Library", latitude=52.9230, longitude=-1.4750),
        Venue("v-far", "Far Hall", latitude=53.25, longitude=-1.2),
    ])  # fmt: skip
    upsert_groups(empty.store, [Group("g-1", "Derby Yarn Club")])
    upsert_activities(empty.store, [
        Activity("a-knit", "Knit and Natter", "v-near", group_id="g-1", interests=["knitting"]),
        Activity("a-chess", "Chess Club", "v-near", interests=["chess"]),
        Activity("a-far", "Knitting Circle", "v-far", interests=["knitting"]),
    ])  # fmt: skip
    peer.add_location(empty.store.settings.neo4j_uri or "")
    return empty


@pytest.fixture
def asked(world: Kith) -> Iterator[Client]:
    server = peer.PeerServer(world.store.settings.neo4j_uri or "")
    client = Client(server.port, "")
    yield client
    client.close()
    server.stop()


def ask(client: Client, request: Request) -> dict:
    answer = client.ask(request.query, request.variables)
    assert answer.error is None, answer.error
    assert answer.data is not None
    return answer.data


def test_the_peer_searches_as_kith_does(world: Kith, asked: Client) -> None:
    kith = world.search(SearchRequest(text="knit", near=HERE, radius_km=3.0))
    near = {"latitude": HERE.latitude, "longitude": HERE.longitude}
    variables = {"radius": 3.0, "day": None, "free": False, "stepFree": False}
    data = ask(asked, Request("search", peer.SEARCH, peer.peer_search("knit", near, variables)))
    assert [h.entry.id for h in kith.hits if isinstance(h.entry, Activity)] == ["a-knit"]
    assert [a["id"] for a in data["activities"]] == ["a-knit"]
    assert data["activitiesConnection"]["totalCount"] == 1
    assert [g["id"] for g in data["groups"]] == ["g-1"]  # through its activity


def test_the_peer_finds_a_narrower_term_near_a_place(world: Kith, asked: Client) -> None:
    kith = activities_near(world, HERE, 3.0, ["crafts"], [])  # knitting is beneath crafts
    near = {"latitude": HERE.latitude, "longitude": HERE.longitude}
    wanted = {"interests": ["crafts"], "supports": None}
    data = ask(asked, Request("activitiesNear", peer.NEAR, peer.peer_near(world, near, wanted)))
    assert [s.target.id for s in kith] == ["a-knit"]
    assert peer.peer_answer("activitiesNear", data) == [("Activity", "a-knit")]
    assert 0 < data["activities"][0]["distanceKm"] < 0.1
