"""Listing reports through GraphQL on the app users get: anyone may say an activity's listing
is wrong and is told a reference only; the report reaches the coordinators' listingReports,
and leaves the open list once resolved; the public cannot read reports; bad input is named and
writes nothing; and each client address may report ten times an hour."""

from __future__ import annotations

import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient

from api.app import create_app
from kith.listing_reports import PER_HOUR
from kith.service import Kith

from ..conftest import call, code_of

REPORT = """mutation($id: ID!, $problem: ListingProblem!, $note: String) {
    reportListing(id: $id, problem: $problem, note: $note) { reference } }"""
REPORTS = """query($open: Boolean, $first: Int = 100) { listingReports(open: $open, first: $first) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { cursor node { id problem note at open resolvedAt resolvedBy resolution
                          activity { id name } } } } }"""
RESOLVE = """mutation($id: ID!, $note: String) { resolveListingReport(id: $id, note: $note) {
    id open resolvedAt resolvedBy resolution } }"""
ACTIVITIES = (
    "{ search(kinds: [ACTIVITY], first: 3) { edges { node { ... on Activity { id name } } } } }"
)
ME = "{ me { id } }"


@pytest.fixture(scope="module")
def app(derby: Kith) -> Starlette:
    return create_app(kith=derby)


def public(app: Starlette, address: str) -> TestClient:
    """The app as a visitor at ``address`` reaches it, signed in as nobody."""
    return TestClient(app, client=(address, 50000))


@pytest.fixture(scope="module")
def activities(app: Starlette) -> list[dict]:
    body = call(public(app, "198.51.100.1"), ACTIVITIES)
    return [edge["node"] for edge in body["data"]["search"]["edges"]]


def reports(client: TestClient, token: str, open: bool | None = True) -> list[dict]:
    body = call(client, REPORTS, token, open=open)
    assert "errors" not in body, body
    return [edge["node"] for edge in body["data"]["listingReports"]["edges"]]


def test_a_public_report_reaches_the_coordinators_and_leaves_the_open_list_once_resolved(
    app: Starlette, tokens: dict, activities: list[dict]
) -> None:
    visitor, co = public(app, "198.51.100.2"), tokens["coordinator"]
    activity = activities[0]
    body = call(visitor, REPORT, id=activity["id"], problem="CLOSED", note="Shut since May")
    reference = body["data"]["reportListing"]["reference"]
    assert body == {"data": {"reportListing": {"reference": reference}}}

    (found,) = [r for r in reports(visitor, co) if r["id"] == reference]
    assert found["problem"] == "CLOSED" and found["note"] == "Shut since May"
    assert found["open"] is True and found["activity"] == activity
    assert found["resolvedAt"] is None and found["resolvedBy"] is None

    done = call(visitor, RESOLVE, co, id=reference, note="Marked as closed")
    me = call(visitor, ME, co)["data"]["me"]["id"]
    resolved = done["data"]["resolveListingReport"]
    assert resolved["open"] is False and resolved["resolution"] == "Marked as closed"
    assert resolved["resolvedBy"] == me and resolved["resolvedAt"]
    assert reference not in {r["id"] for r in reports(visitor, co)}
    assert reference in {r["id"] for r in reports(visitor, co, open=False)}
    assert code_of(call(visitor, RESOLVE, co, id=reference)) == "CONFLICT"


CLOSE = """mutation($id: ID!) { resolveListingReport(id: $id, note: "Gone", status: CLOSED) {
    open activity { id status lastReviewedOn } } }"""
FOUND = """query($text: String!) { search(text: $text, kinds: [ACTIVITY], first: 50) {
    edges { node { ... on Activity { id status } } } } }"""


def test_a_report_resolved_as_closed_closes_the_listing(
    app: Starlette, tokens: dict, activities: list[dict]
) -> None:
    visitor, co = public(app, "198.51.100.9"), tokens["coordinator"]
    shut = activities[2]
    reference = call(visitor, REPORT, id=shut["id"], problem="CLOSED")["data"]["reportListing"][
        "reference"]  # fmt: skip
    resolved = call(visitor, CLOSE, co, id=reference)["data"]["resolveListingReport"]
    assert resolved["open"] is False
    assert resolved["activity"]["id"] == shut["id"] and resolved["activity"]["status"] == "CLOSED"
    hits = [e["node"] for e in call(visitor, FOUND, text=shut["name"])["data"]["search"]["edges"]]
    assert {"id": shut["id"], "status": "CLOSED"} in hits
    assert hits[-1]["status"] == "CLOSED"  # after every open one


def test_reports_page_newest_first_with_cursors(
    app: Starlette, tokens: dict, activities: list[dict]
) -> None:
    visitor, co = public(app, "198.51.100.3"), tokens["coordinator"]
    made = [call(visitor, REPORT, id=activities[1]["id"], problem="OUT_OF_DATE")
            ["data"]["reportListing"]["reference"] for _ in range(2)]  # fmt: skip
    body = call(visitor, REPORTS, co, open=True, first=1)["data"]["listingReports"]
    assert body["totalCount"] >= 2 and body["pageInfo"]["hasNextPage"] is True
    assert body["edges"][0]["node"]["id"] == made[-1]


def test_the_public_and_prescribers_cannot_read_or_resolve_reports(
    app: Starlette, tokens: dict, activities: list[dict]
) -> None:
    visitor = public(app, "198.51.100.4")
    reference = call(visitor, REPORT, id=activities[0]["id"], problem="EXTRA_INFORMATION")[
        "data"]["reportListing"]["reference"]  # fmt: skip
    assert code_of(call(visitor, REPORTS)) == "UNAUTHENTICATED"
    assert code_of(call(visitor, REPORTS, tokens["prescriber"])) == "FORBIDDEN"
    assert code_of(call(visitor, RESOLVE, id=reference)) == "UNAUTHENTICATED"
    assert code_of(call(visitor, RESOLVE, tokens["prescriber"], id=reference)) == "FORBIDDEN"
    assert reference in {r["id"] for r in reports(visitor, tokens["coordinator"])}


def test_bad_input_is_named_and_writes_nothing(
    app: Starlette, tokens: dict, activities: list[dict]
) -> None:
    visitor, co = public(app, "198.51.100.5"), tokens["coordinator"]
    before = len(reports(visitor, co, open=None))
    long = call(visitor, REPORT, id=activities[0]["id"], problem="CLOSED", note="x" * 501)
    assert code_of(long) == "BAD_USER_INPUT"
    assert long["errors"][0]["message"].startswith("note:")
    unknown = call(visitor, REPORT, id="act-not-held", problem="CLOSED")
    assert code_of(unknown) == "NOT_FOUND"
    wrong = call(visitor, REPORT, id=activities[0]["id"], problem="BORING")
    assert "errors" in wrong
    assert code_of(call(visitor, RESOLVE, co, id="lr-not-held")) == "NOT_FOUND"
    assert len(reports(visitor, co, open=None)) == before
    assert code_of(call(visitor, REPORTS, co, first=0)) == "BAD_USER_INPUT"


def test_each_address_may_report_ten_times_an_hour(
    app: Starlette, tokens: dict, activities: list[dict]
) -> None:
    visitor, other = public(app, "198.51.100.6"), public(app, "198.51.100.7")
    co, activity = tokens["coordinator"], activities[2]["id"]
    for _ in range(PER_HOUR):
        assert "errors" not in call(visitor, REPORT, id=activity, problem="CLOSED")
    before = len(reports(visitor, co, open=None))
    refused = call(visitor, REPORT, id=activity, problem="CLOSED")
    assert code_of(refused) == "RATE_LIMITED"
    assert "try again in" in refused["errors"][0]["message"]
    assert len(reports(visitor, co, open=None)) == before
    assert "errors" not in call(other, REPORT, id=activity, problem="CLOSED")
