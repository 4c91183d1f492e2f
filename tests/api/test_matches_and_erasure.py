"""Buddy pairings from proposal to end, and erasure that leaves nothing reachable."""

from __future__ import annotations

from starlette.testclient import TestClient

from kith import audit
from kith.service import Kith

from ..conftest import call, code_of
from .test_people import ADD, GET, person_input

PROPOSE = """mutation($p: ID!, $b: ID!) { proposeBuddy(personId: $p, buddyId: $b) {
    match { id status person { id } buddy { id name } history { status note } } } }"""
UPDATE = """mutation($id: ID!, $status: MatchStatus!, $note: String) {
    updateMatch(id: $id, status: $status, note: $note) {
        match { id status history { status } } } }"""
BUDDIES = "query($id: ID!) { person(id: $id) { buddies { id status buddy { id } } } }"


def add_person(client: TestClient, token: str, **overrides: object) -> str:
    body = call(client, ADD, token, input=person_input(**overrides))
    return body["data"]["addPerson"]["person"]["id"]


def test_a_pairing_is_proposed_accepted_and_ended(client: TestClient, tokens: dict) -> None:
    coordinator = tokens["coordinator"]
    person = add_person(client, coordinator, name="Edna Hall")
    proposed = call(client, PROPOSE, coordinator, p=person, b="p-brown")
    match = proposed["data"]["proposeBuddy"]["match"]
    assert match["status"] == "PROPOSED" and match["buddy"]["name"] == "Mr Brown"
    again = call(client, PROPOSE, coordinator, p=person, b="p-brown")
    assert code_of(again) == "CONFLICT"
    accepted = call(client, UPDATE, coordinator, id=match["id"], status="ACCEPTED", note="met")
    assert accepted["data"]["updateMatch"]["match"]["status"] == "ACCEPTED"
    buddies = call(client, BUDDIES, coordinator, id=person)["data"]["person"]["buddies"]
    assert buddies == [{"id": match["id"], "status": "ACCEPTED", "buddy": {"id": "p-brown"}}]
    backwards = call(client, UPDATE, coordinator, id=match["id"], status="DECLINED")
    assert code_of(backwards) == "CONFLICT"
    ended = call(client, UPDATE, coordinator, id=match["id"], status="ENDED")
    history = ended["data"]["updateMatch"]["match"]["history"]
    assert [h["status"] for h in history] == ["PROPOSED", "ACCEPTED", "ENDED"]


def test_a_pairing_needs_a_volunteer_and_consent(client: TestClient, tokens: dict) -> None:
    coordinator = tokens["coordinator"]
    person = add_person(client, coordinator, name="Len Cole")
    not_volunteer = call(client, PROPOSE, coordinator, p=person, b="p-khan")
    assert not_volunteer["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT",
                                                         "field": "buddyId"}  # fmt: skip
    refusing = add_person(client, coordinator, name="Ivy Bell", consentToMatching=False)
    assert code_of(call(client, PROPOSE, coordinator, p=refusing, b="p-brown")) == (
        "BAD_USER_INPUT"
    )
    assert code_of(call(client, PROPOSE, tokens["prescriber"], p=person, b="p-brown")) == (
        "FORBIDDEN"
    )
    assert code_of(call(client, UPDATE, coordinator, id="match-none", status="ENDED")) == (
        "NOT_FOUND"
    )


def test_after_erasure_nothing_about_the_person_is_reachable(
    client: TestClient, tokens: dict, derby: Kith
) -> None:
    coordinator = tokens["coordinator"]
    person = add_person(client, coordinator, name="Zelda Quorn", interests=["bowls"])
    call(client, PROPOSE, coordinator, p=person, b="p-brown")
    forget = "mutation($id: ID!) { forgetPerson(id: $id) { id deleted } }"
    assert code_of(call(client, forget, tokens["prescriber"], id=person)) == "FORBIDDEN"
    assert call(client, forget, coordinator, id=person)["data"]["forgetPerson"]["deleted"]
    assert code_of(call(client, GET, coordinator, id=person)) == "NOT_FOUND"
    assert code_of(call(client, forget, coordinator, id=person)) == "NOT_FOUND"
    buddies = call(client, BUDDIES, coordinator, id="p-brown")["data"]["person"]["buddies"]
    assert person not in str(buddies)
    search = call(client, '{ search(text: "Zelda Quorn") { totalCount } }', coordinator)
    assert search["data"]["search"]["totalCount"] == 0
    events = audit.about(derby.store, person)
    assert events[0].action == "person.erase"
    assert "Zelda" not in str(events) and "Quorn" not in str(events)
