"""Review dates and listing status through GraphQL on the app users get: an overdue listing
ranks below an equal reviewed one with the reason shown, a listing marked CLOSED disappears
from suggestions and shows as closed in search, reviewListing is for the listing's own
organiser or a coordinator, and the review cycle follows KITH_REVIEW_MONTHS."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from starlette.testclient import TestClient

from api.app import create_app
from graph import directory
from graph import people as people_repo
from kith import accounts, listing_reviews
from kith.domain import Activity, Group, ListingStatus, Person, Session, Venue, Weekday
from kith.errors import InvalidInput
from kith.service import Kith
from kith.settings import Settings

from ..conftest import call, code_of

TODAY = date.today()
NEAR = """query($interests: [String!]) { activitiesNear(place: {latitude: 52.92, longitude: -1.48},
    interests: $interests, first: 10) { activity { id status } score reasons { code text } } }"""
SUGGEST = """query($id: ID!) { suggestActivities(personId: $id, first: 10) {
    activity { id } } }"""
SEARCH = """{ search(text: "knit", kinds: [ACTIVITY], near: {latitude: 52.92, longitude: -1.48}) {
    edges { node { ... on Activity { id status lastReviewedOn reviewDue } } } } }"""
REVIEW = """mutation($id: ID!, $status: ListingStatus) { reviewListing(id: $id, status: $status) {
    activity { id status lastReviewedOn reviewDue } } }"""


def knitting(aid: str, group: str, venue: str, reviewed: date | None) -> Activity:
    return Activity(aid, f"Knitting at {venue}", venue, group_id=group, cost=0.0,
                    sessions=[Session(Weekday.TUESDAY, "10:00", "11:30")],
                    interests=["knitting"], last_reviewed_on=reviewed)  # fmt: skip


@pytest.fixture
def world(empty: Kith) -> Kith:
    """Two alike knitting groups at two halls the same distance from (52.92, -1.48),
    one reviewed last month and one two years ago, and a knitter there."""
    halls = [Venue(v, f"Hall {v}", latitude=52.92, longitude=lon, step_free=True)
             for v, lon in (("v-east", -1.47), ("v-west", -1.49))]  # fmt: skip
    directory.upsert_venues(empty.store, halls)
    directory.upsert_groups(empty.store, [Group("g-fresh", "Fresh"), Group("g-stale", "Stale")])
    directory.upsert_activities(empty.store, [
        knitting("a-fresh", "g-fresh", "v-east", TODAY - timedelta(days=30)),
        knitting("a-stale", "g-stale", "v-west", TODAY - timedelta(days=730)),
    ])  # fmt: skip
    knitter = Person("p-knitter", "Kit Knitter", latitude=52.92, longitude=-1.48,
                     interests=["knitting"], consent_to_matching=True)  # fmt: skip
    people_repo.upsert_people(empty.store, [knitter])
    return empty


@pytest.fixture
def client(world: Kith) -> TestClient:
    return TestClient(create_app(kith=world))


def token(kith: Kith, role: accounts.Role, *groups: str) -> str:
    return accounts.add(kith.store, f"A {role.value.lower()}", role, group_ids=groups)[1]


def test_an_overdue_listing_ranks_below_an_equal_reviewed_one_with_the_reason(
    client: TestClient,
) -> None:
    found = call(client, NEAR, interests=["knitting"])["data"]["activitiesNear"]
    assert [s["activity"]["id"] for s in found] == ["a-fresh", "a-stale"]
    fresh, stale = ({r["code"]: r["text"] for r in s["reasons"]} for s in found)
    assert fresh["REVIEWED"].startswith("listing checked ")
    assert stale["REVIEWED"].startswith("listing long overdue for review (checked ")
    assert found[0]["score"] > found[1]["score"]


def test_a_listing_marked_closed_leaves_suggestions_and_shows_as_closed_in_search(
    world: Kith, client: TestClient
) -> None:
    coordinator = token(world, accounts.Role.COORDINATOR)
    suggested = call(client, SUGGEST, coordinator, id="p-knitter")["data"]["suggestActivities"]
    assert {s["activity"]["id"] for s in suggested} == {"a-fresh", "a-stale"}
    body = call(client, REVIEW, coordinator, id="a-fresh", status="CLOSED")
    assert body["data"]["reviewListing"]["activity"]["status"] == "CLOSED"
    suggested = call(client, SUGGEST, coordinator, id="p-knitter")["data"]["suggestActivities"]
    assert [s["activity"]["id"] for s in suggested] == ["a-stale"]
    near = call(client, NEAR, interests=["knitting"])["data"]["activitiesNear"]
    assert [s["activity"]["id"] for s in near] == ["a-stale"]
    hits = [e["node"] for e in call(client, SEARCH)["data"]["search"]["edges"]]
    assert [(h["id"], h["status"]) for h in hits] == [("a-stale", "ACTIVE"), ("a-fresh", "CLOSED")]


def test_a_review_by_the_listings_organiser_resets_its_cycle(
    world: Kith, client: TestClient
) -> None:
    hits = {e["node"]["id"]: e["node"] for e in call(client, SEARCH)["data"]["search"]["edges"]}
    assert hits["a-stale"]["reviewDue"] is True and hits["a-fresh"]["reviewDue"] is False
    organiser = token(world, accounts.Role.ORGANISER, "g-stale")
    reviewed = call(client, REVIEW, organiser, id="a-stale")["data"]["reviewListing"]["activity"]
    assert reviewed == {"id": "a-stale", "status": "ACTIVE", "lastReviewedOn": TODAY.isoformat(),
                        "reviewDue": False}  # fmt: skip
    near = call(client, NEAR, interests=["knitting"])["data"]["activitiesNear"]
    assert near[0]["score"] == near[1]["score"]  # alike in all else now


def test_an_organiser_may_not_review_another_groups_listing(
    world: Kith, client: TestClient
) -> None:
    before = directory.activities_by_id(world.store, ["a-fresh"])["a-fresh"]
    organiser = token(world, accounts.Role.ORGANISER, "g-stale")
    body = call(client, REVIEW, organiser, id="a-fresh", status="CLOSED")
    assert code_of(body) == "FORBIDDEN"
    assert directory.activities_by_id(world.store, ["a-fresh"])["a-fresh"] == before
    assert code_of(call(client, REVIEW, None, id="a-fresh")) == "UNAUTHENTICATED"
    prescriber = token(world, accounts.Role.PRESCRIBER)
    assert code_of(call(client, REVIEW, prescriber, id="a-fresh")) == "FORBIDDEN"
    coordinator = token(world, accounts.Role.COORDINATOR)
    assert code_of(call(client, REVIEW, coordinator, id="a-nowhere")) == "NOT_FOUND"
    wrong = call(client, REVIEW, coordinator, id="a-fresh", status="OPEN")
    assert "OPEN" in wrong["errors"][0]["message"]
    assert directory.activities_by_id(world.store, ["a-fresh"])["a-fresh"] == before


def test_the_review_cycle_is_read_from_kith_review_months() -> None:
    assert Settings.from_env({}).review_months == 6
    assert Settings.from_env({"KITH_REVIEW_MONTHS": "12"}).review_months == 12
    with pytest.raises(InvalidInput, match="KITH_REVIEW_MONTHS"):
        Settings.from_env({"KITH_REVIEW_MONTHS": "0"})


def test_a_review_is_kept_whole(world: Kith) -> None:
    coordinator = accounts.add(world.store, "Cora", accounts.Role.COORDINATOR)[0]
    listing_reviews.review(world, coordinator, "a-fresh", ListingStatus.TEMPORARILY_CLOSED)
    held = directory.activities_by_id(world.store, ["a-fresh"])["a-fresh"]
    assert (held.status, held.last_reviewed_on, held.reminders) == \
        (ListingStatus.TEMPORARILY_CLOSED, TODAY, 0)  # fmt: skip
