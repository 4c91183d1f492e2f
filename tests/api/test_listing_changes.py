"""Organisers keep their own listings, through GraphQL on the app users get: an untrusted
organiser's edit waits and the live listing is unchanged until a coordinator approves it; the
history then holds the listing as first listed and as approved, and restoring the old version
makes it live again as a new version; a trusted organiser's edit is live at once; a rejected
one says why; an organiser cannot touch another group's listing, nor read people; bad input is
named and writes nothing."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from api.app import create_app
from graph import maintenance
from kith import accounts, organisers
from kith.service import Kith

from ..conftest import call, code_of

UPDATE = """mutation($id: ID!, $input: ListingChangeInput!) {
  updateListing(id: $id, input: $input) {
    outcome activity { id cost description status schedule { day start end } }
    change { id state proposedBy againstVersion differences { field live proposed } } } }"""
CHANGES = """query($open: Boolean) { listingChanges(open: $open, first: 100) {
    totalCount pageInfo { hasNextPage }
    edges { cursor node { id state note stale proposedBy decidedBy activity { id cost }
                          differences { field live proposed } } } } }"""
APPROVE = "mutation($id: ID!) { approveListingChange(id: $id) { id state activity { cost } } }"
REJECT = """mutation($id: ID!, $note: String) { rejectListingChange(id: $id, note: $note) {
    id state note } }"""
VERSIONS = """query($id: ID!) { listingVersions(activityId: $id) {
    id number why byName listing { cost description status } } }"""
RESTORE = """mutation($id: ID!) { restoreListingVersion(id: $id) {
    number why byName listing { cost } } }"""
ACTIVITY = "query($id: ID!) { activity(id: $id) { cost description status lastReviewedOn } }"
MINE = "{ myListings { id name status reviewDue } }"
REVIEW = "mutation($id: ID!) { reviewListing(id: $id) { activity { id lastReviewedOn } } }"
TRUST = """mutation($id: ID!, $trusted: Boolean!) { trustOrganiser(accountId: $id,
    trusted: $trusted) { id name trusted groups { id } } }"""


@pytest.fixture(scope="module")
def client(derby: Kith) -> TestClient:
    return TestClient(create_app(kith=derby))


@pytest.fixture(scope="module")
def organiser(derby: Kith) -> tuple[accounts.Account, str]:
    """An organiser keeping two story groups, untrusted (as `kith users add` makes them)."""
    groups = organisers.groups_for(derby, accounts.Role.ORGANISER,
                                   ["g-knit-allestree", "g-breathe-easy"])  # fmt: skip
    return accounts.add(derby.store, "Olu Organiser", accounts.Role.ORGANISER, group_ids=groups)


def changes(client: TestClient, token: str, open: bool | None = True) -> list[dict]:
    body = call(client, CHANGES, token, open=open)
    assert "errors" not in body, body
    return [e["node"] for e in body["data"]["listingChanges"]["edges"]]


def test_an_edit_waits_for_approval_then_is_live_with_both_versions_and_restores(
    client: TestClient, tokens: dict, organiser: tuple[accounts.Account, str]
) -> None:
    (_, mine), co = organiser, tokens["coordinator"]
    before = call(client, ACTIVITY, id="a-knit-allestree")["data"]["activity"]
    assert before["cost"] == 0
    assert {a["id"] for a in call(client, MINE, mine)["data"]["myListings"]} == {
        "a-knit-allestree", "a-breathe-easy"}  # fmt: skip

    sent = call(
        client,
        UPDATE,
        mine,
        id="a-knit-allestree",
        input={
            "cost": 1.5,
            "sessions": [
                {"day": "TUESDAY", "start": "10:00", "end": "12:00"},
                {"day": "FRIDAY", "start": "10:00"},
            ],
        },
    )
    done = sent["data"]["updateListing"]  # fmt: skip
    assert done["outcome"] == "PENDING" and done["activity"]["cost"] == 0
    assert done["change"]["state"] == "PENDING" and done["change"]["proposedBy"] == "Olu Organiser"
    assert done["change"]["differences"] == [
        {"field": "sessions", "live": "Tuesdays 10:00–12:00",
         "proposed": "Tuesdays 10:00–12:00; Fridays 10:00"},
        {"field": "cost", "live": "free", "proposed": "£1.50"},
    ]  # fmt: skip
    assert call(client, ACTIVITY, id="a-knit-allestree")["data"]["activity"] == before
    (waiting,) = [c for c in changes(client, co) if c["id"] == done["change"]["id"]]
    assert waiting["stale"] is False and waiting["activity"]["cost"] == 0
    assert [c["id"] for c in changes(client, mine)] == [waiting["id"]]  # their own only

    approved = call(client, APPROVE, co, id=waiting["id"])["data"]["approveListingChange"]
    assert approved == {"id": waiting["id"], "state": "APPROVED", "activity": {"cost": 1.5}}
    assert call(client, ACTIVITY, id="a-knit-allestree")["data"]["activity"]["cost"] == 1.5
    assert waiting["id"] not in {c["id"] for c in changes(client, co)}
    assert code_of(call(client, APPROVE, co, id=waiting["id"])) == "CONFLICT"

    versions = call(client, VERSIONS, co, id="a-knit-allestree")["data"]["listingVersions"]
    assert [(v["number"], v["why"], v["listing"]["cost"]) for v in versions] == [
        (2, "APPROVED", 1.5), (1, "LISTED", 0.0)]  # fmt: skip
    assert versions[0]["byName"] == "Test coordinator" and versions[1]["byName"] is None

    restored = call(client, RESTORE, co, id=versions[1]["id"])["data"]["restoreListingVersion"]
    assert restored == {"number": 3, "why": "RESTORED", "byName": "Test coordinator",
                        "listing": {"cost": 0.0}}  # fmt: skip
    assert call(client, ACTIVITY, id="a-knit-allestree")["data"]["activity"]["cost"] == 0
    assert len(call(client, VERSIONS, co, id="a-knit-allestree")["data"]["listingVersions"]) == 3


def test_an_organiser_cannot_touch_another_groups_listing_nor_read_people(
    client: TestClient, derby: Kith, tokens: dict, organiser: tuple[accounts.Account, str]
) -> None:
    _, mine = organiser
    before = maintenance.counts(derby.store)
    for query, variables in ((UPDATE, {"id": "a-antiques-society", "input": {"cost": 9}}),
                             (REVIEW, {"id": "a-antiques-society"}),
                             (VERSIONS, {"id": "a-knit-allestree"}),
                             (APPROVE, {"id": "lc-anything"})):  # fmt: skip
        assert code_of(call(client, query, mine, **variables)) == "FORBIDDEN", query
    assert maintenance.counts(derby.store) == before
    assert changes(client, mine) == []  # their own changes only: none made here
    person = "query($id: ID!) { person(id: $id) { name } }"
    assert code_of(call(client, person, mine, id="p-shardlow")) == "FORBIDDEN"
    assert code_of(call(client, UPDATE, None, id="a-knit-allestree", input={"cost": 1})) == (
        "UNAUTHENTICATED"
    )
    assert code_of(call(client, MINE, tokens["coordinator"])) == "FORBIDDEN"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"cost": -1}, "cost"),
        ({"cost": 1001}, "cost"),
        ({"sessions": []}, "sessions"),
        ({"sessions": [{"day": "MONDAY", "start": "25:00"}]}, "sessions.start"),
        ({"description": "x" * 4001}, "description"),
        ({"cost": 0}, "input"),  # nothing differs from the live listing
    ],
)
def test_bad_input_is_named_and_writes_nothing(
    client: TestClient, derby: Kith, organiser: tuple[accounts.Account, str], change: dict,
    field: str,
) -> None:  # fmt: skip
    before = maintenance.counts(derby.store)
    body = call(client, UPDATE, organiser[1], id="a-breathe-easy", input=change)
    assert code_of(body) == "BAD_USER_INPUT"
    assert body["errors"][0]["extensions"]["field"] == field
    assert maintenance.counts(derby.store) == before


def test_a_trusted_organisers_edit_is_live_at_once(
    client: TestClient, derby: Kith, tokens: dict
) -> None:
    account, token = accounts.add(derby.store, "Tam Trusted", accounts.Role.ORGANISER,
                                  group_ids=("g-singing-lungs",))  # fmt: skip
    co = tokens["coordinator"]
    trusted = call(client, TRUST, co, id=account.id, trusted=True)["data"]["trustOrganiser"]
    assert trusted == {"id": account.id, "name": "Tam Trusted", "trusted": True,
                       "groups": [{"id": "g-singing-lungs"}]}  # fmt: skip
    assert code_of(call(client, TRUST, token, id=account.id, trusted=True)) == "FORBIDDEN"
    body = call(client, TRUST, co, id=co_id(client, co), trusted=True)
    assert code_of(body) == "BAD_USER_INPUT" and body["errors"][0]["extensions"]["field"] == (
        "accountId"
    )

    sent = call(
        client,
        UPDATE,
        token,
        id="a-singing-lungs",
        input={"status": "TEMPORARILY_CLOSED", "description": "Back in May."},
    )
    done = sent["data"]["updateListing"]  # fmt: skip
    assert done["outcome"] == "APPLIED" and done["change"] is None
    assert done["activity"]["status"] == "TEMPORARILY_CLOSED"
    live = call(client, ACTIVITY, id="a-singing-lungs")["data"]["activity"]
    assert live["description"] == "Back in May." and live["status"] == "TEMPORARILY_CLOSED"
    versions = call(client, VERSIONS, co, id="a-singing-lungs")["data"]["listingVersions"]
    assert [(v["why"], v["byName"]) for v in versions] == [("CHANGED", "Tam Trusted"),
                                                          ("LISTED", None)]  # fmt: skip
    untrusted = call(client, TRUST, co, id=account.id, trusted=False)["data"]["trustOrganiser"]
    assert untrusted["trusted"] is False
    again = call(client, UPDATE, token, id="a-singing-lungs", input={"status": "ACTIVE"})
    assert again["data"]["updateListing"]["outcome"] == "PENDING"


def co_id(client: TestClient, token: str) -> str:
    return call(client, "{ me { id } }", token)["data"]["me"]["id"]


def test_a_newer_proposal_replaces_the_older_and_a_rejection_says_why(
    client: TestClient, tokens: dict, organiser: tuple[accounts.Account, str]
) -> None:
    (_, mine), co = organiser, tokens["coordinator"]
    first = call(client, UPDATE, mine, id="a-breathe-easy", input={"cost": 2})
    second = call(client, UPDATE, mine, id="a-breathe-easy", input={"cost": 3})
    old, new = (b["data"]["updateListing"]["change"]["id"] for b in (first, second))
    pending = {c["id"]: c for c in changes(client, co)}
    assert new in pending and old not in pending
    every = {c["id"]: c["state"] for c in changes(client, co, open=None)}
    assert every[old] == "REPLACED"

    assert code_of(call(client, REJECT, co, id=new, note="x" * 501)) == "BAD_USER_INPUT"
    rejected = call(client, REJECT, co, id=new, note="The hall charges nothing.")
    assert rejected["data"]["rejectListingChange"] == {
        "id": new,
        "state": "REJECTED",
        "note": "The hall charges nothing.",
    }
    (seen,) = [c for c in changes(client, mine, open=False) if c["id"] == new]  # fmt: skip
    assert seen["note"] == "The hall charges nothing." and seen["decidedBy"] == co_id(client, co)
    assert call(client, ACTIVITY, id="a-breathe-easy")["data"]["activity"]["cost"] == 0
    assert code_of(call(client, APPROVE, co, id="lc-not-held")) == "NOT_FOUND"


def test_a_review_and_a_coordinators_save_are_versions_too(
    client: TestClient, tokens: dict, organiser: tuple[accounts.Account, str]
) -> None:
    (_, mine), co = organiser, tokens["coordinator"]
    reviewed = call(client, REVIEW, mine, id="a-breathe-easy")
    assert "errors" not in reviewed, reviewed
    save = (
        """mutation($input: ActivityInput!) { upsertActivity(input: $input) { activity { id } } }"""
    )
    body = call(client, save, co, input={"id": "a-breathe-easy", "name": "Breathe Easy Derby",
                                          "venueId": "v-central-lib", "groupId": "g-breathe-easy",
                                          "sessions": [{"day": "MONDAY", "start": "13:30"}],
                                          "cost": 0})  # fmt: skip
    assert "errors" not in body, body
    versions = call(client, VERSIONS, co, id="a-breathe-easy")["data"]["listingVersions"]
    assert [(v["why"], v["byName"]) for v in versions] == [
        ("SAVED", "Test coordinator"), ("REVIEWED", "Olu Organiser"), ("LISTED", None)]  # fmt: skip
