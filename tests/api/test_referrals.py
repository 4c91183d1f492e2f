"""Referrals through GraphQL: the loop from referral to outcome, who may see and move which
referral, every refused change a CONFLICT naming the state, tell it once, and referrals stored
before they had states."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from kith import audit
from kith.service import Kith

from ..conftest import call, code_of

REFERRAL = """id status source reason urgency receivedAt acceptedAt firstContactAt closedAt
              declineReason person { id name interests { id } } referrer { id name }
              coordinator { id name } history { at by { id } from to note }"""
REFER = f"""mutation($input: ReferralInput!) {{ referPerson(input: $input) {{
    referral {{ {REFERRAL} }} person {{ id name postcode interests {{ id }} }}
    normalised {{ field termId }} }} }}"""
LIST = f"""query($status: [ReferralStatus!], $mine: Boolean, $first: Int, $after: String) {{
    referrals(status: $status, assignedToMe: $mine, first: $first, after: $after) {{
    totalCount pageInfo {{ hasNextPage endCursor }}
    edges {{ cursor node {{ {REFERRAL} }} }} }} }}"""
GET = f"query($id: ID!) {{ referral(id: $id) {{ {REFERRAL} }} }}"
ACCEPT = f"""mutation($id: ID!, $coordinator: ID) {{ acceptReferral(id: $id,
    coordinatorId: $coordinator) {{ referral {{ {REFERRAL} }} person {{ id }} }} }}"""
DECLINE = f"""mutation($id: ID!, $reason: String!) {{ declineReferral(id: $id, reason: $reason) {{
    referral {{ {REFERRAL} }} }} }}"""
CONTACT = f"""mutation($id: ID!, $at: DateTime, $note: String) {{ recordContact(referralId: $id,
    at: $at, note: $note) {{ referral {{ {REFERRAL} }} }} }}"""
CLOSE = f"""mutation($id: ID!, $outcome: ReferralStatus!, $note: String) {{ closeReferral(id: $id,
    outcome: $outcome, note: $note) {{ referral {{ {REFERRAL} }} }} }}"""
ME = "{ me { id name } }"
PERSON = "query($id: ID!) { person(id: $id) { id referrals { id status } } }"
PERSON_SENT = """query($id: ID!) { person(id: $id) { id name interests { id }
    referrals { id status } } }"""
UPDATE = """mutation($id: ID!, $patch: PersonPatch!) { updatePerson(id: $id, input: $patch) {
    person { id } } }"""


def referral_input(name: str, postcode: str = "DE22 3AB", **person: object) -> dict:
    return {"person": {"name": name, "birthYear": 1946, "place": {"postcode": postcode},
                       "consentToMatching": True, **person},
            "reason": "lonely since her husband died", "urgency": "SOON"}  # fmt: skip


def refer(client: TestClient, token: str, referral: dict) -> dict:
    body = call(client, REFER, token, input=referral)
    assert "errors" not in body, body
    return body["data"]["referPerson"]


def done(body: dict, field: str) -> dict:
    assert "errors" not in body, body
    return body["data"][field]["referral"]


def listed(client: TestClient, token: str, **variables: object) -> list[dict]:
    body = call(client, LIST, token, first=100, **variables)
    assert "errors" not in body, body
    return [e["node"] for e in body["data"]["referrals"]["edges"]]


def error_of(body: dict) -> tuple[str, str]:
    (error,) = body["errors"]
    return error["extensions"]["code"], error["message"]


def test_the_loop_from_two_prescribers_referrals_to_an_outcome(
    client: TestClient, tokens: dict
) -> None:
    a, b, co = tokens["prescriber"], tokens["other_prescriber"], tokens["coordinator"]
    first = refer(client, a, referral_input("Ivy Testworth", interests=["knitting"]))
    second = refer(client, b, referral_input("  ivy   TESTWORTH ", "de223ab"))
    mine, theirs = first["referral"], second["referral"]
    person = first["person"]["id"]

    # Told once: B's referral joins the record A's made. Each prescriber reads the person as
    # they sent them, with their own referrals only: neither learns that the other referred.
    assert second["person"]["id"] == person
    assert second["person"]["interests"] == [] and second["person"]["name"] == "ivy   TESTWORTH"
    assert mine["status"] == theirs["status"] == "RECEIVED" and mine["source"] == "GP"
    assert [e["to"] for e in mine["history"]] == ["RECEIVED"]
    assert [r["id"] for r in listed(client, b)] == [theirs["id"]]
    as_b = call(client, PERSON_SENT, b, id=person)["data"]["person"]
    assert as_b == {"id": person, "name": "ivy   TESTWORTH", "interests": [],
                    "referrals": [{"id": theirs["id"], "status": "RECEIVED"}]}  # fmt: skip
    as_a = call(client, PERSON_SENT, a, id=person)["data"]["person"]
    assert as_a["name"] == "Ivy Testworth" and as_a["interests"] == mine["person"]["interests"]
    assert [r["id"] for r in as_a["referrals"]] == [mine["id"]]

    # A coordinator's referral joins too, and sees one person with every referral; what the
    # coordinator records afterwards is not shown to the prescribers.
    third = refer(client, co, referral_input(" IVY testworth", "DE22 3AB"))
    ours = third["referral"]
    assert third["person"]["id"] == person and third["person"]["interests"] == []
    assert ours["source"] == "OTHER"
    everyone = [r["id"] for r in listed(client, co) if r["person"]["id"] == person]
    assert sorted(everyone) == sorted([mine["id"], theirs["id"], ours["id"]])
    held = call(client, PERSON, co, id=person)["data"]["person"]["referrals"]
    assert [r["id"] for r in held] == [mine["id"], theirs["id"], ours["id"]]
    body = call(client, UPDATE, co, id=person, patch={"languages": ["Polish"]})
    assert "errors" not in body, body
    assert call(client, PERSON_SENT, a, id=person)["data"]["person"] == as_a

    me = call(client, ME, co)["data"]["me"]
    accepted = done(call(client, ACCEPT, co, id=mine["id"], coordinator=me["id"]), "acceptReferral")
    assert accepted["status"] == "ACCEPTED" and accepted["coordinator"] == me
    assert call(client, GET, a, id=mine["id"])["data"]["referral"]["status"] == "ACCEPTED"

    phoned = {"at": "2026-01-05T10:30:00+00:00", "note": "phoned; she would like a knitting group"}
    contact = done(call(client, CONTACT, co, id=mine["id"], **phoned), "recordContact")
    assert contact["status"] == "IN_PROGRESS"
    again = done(call(client, CONTACT, co, id=mine["id"]), "recordContact")
    assert again["firstContactAt"] == contact["firstContactAt"]
    closed = done(call(client, CLOSE, co, id=mine["id"], outcome="COMPLETED"), "closeReferral")
    assert closed["status"] == "COMPLETED" and closed["closedAt"]

    seen = call(client, GET, a, id=mine["id"])["data"]["referral"]
    assert seen["coordinator"]["name"] == me["name"]
    assert seen["firstContactAt"].startswith("2026-01-05T10:30:00")
    assert [(e["from"], e["to"]) for e in seen["history"]] == [
        (None, "RECEIVED"), ("RECEIVED", "ACCEPTED"), ("ACCEPTED", "IN_PROGRESS"),
        ("IN_PROGRESS", "IN_PROGRESS"), ("IN_PROGRESS", "COMPLETED"),
    ]  # fmt: skip
    assert {e["by"]["id"] for e in seen["history"][1:]} == {me["id"]}
    assert [r["status"] for r in listed(client, b)] == ["RECEIVED"]
    assert listed(client, a, status=["COMPLETED"])[0]["id"] == mine["id"]
    assert [r["id"] for r in listed(client, co, mine=True)] == [mine["id"]]


def test_a_prescriber_sees_and_moves_only_their_own_and_may_only_withdraw(
    client: TestClient, tokens: dict
) -> None:
    a, b, co = tokens["prescriber"], tokens["other_prescriber"], tokens["coordinator"]
    ref = refer(client, a, referral_input("Walter Ownreferral"))["referral"]["id"]
    # Another prescriber's referral is not found: "forbidden" would confirm that the id exists.
    assert code_of(call(client, GET, b, id=ref)) == "NOT_FOUND"
    assert code_of(call(client, CLOSE, b, id=ref, outcome="WITHDRAWN")) == "NOT_FOUND"
    for query, variables in ((ACCEPT, {}), (DECLINE, {"reason": "no"}), (CONTACT, {})):
        assert code_of(call(client, query, a, id=ref, **variables)) == "FORBIDDEN"
    assert code_of(call(client, CLOSE, a, id=ref, outcome="COMPLETED")) == "FORBIDDEN"
    assert code_of(call(client, LIST, None)) == "UNAUTHENTICATED"
    assert code_of(call(client, GET, None, id=ref)) == "UNAUTHENTICATED"
    assert call(client, GET, co, id=ref)["data"]["referral"]["status"] == "RECEIVED"

    withdrawn = done(call(client, CLOSE, a, id=ref, outcome="WITHDRAWN", note="moved away"),
                     "closeReferral")  # fmt: skip
    assert withdrawn["status"] == "WITHDRAWN" and withdrawn["history"][-1]["note"] == "moved away"
    done_by = {(e.action, e.outcome) for e in audit.about(client.app.state.kith.store, ref)}
    assert ("referral.withdrawn", "allowed") in done_by and ("referral.read", "denied") in done_by


@pytest.mark.parametrize(
    ("steps", "refused", "state"),
    [
        ([], (CONTACT, {}), "RECEIVED"),
        ([], (CLOSE, {"outcome": "COMPLETED"}), "RECEIVED"),
        ([], (CLOSE, {"outcome": "DID_NOT_ENGAGE"}), "RECEIVED"),
        ([(ACCEPT, {})], (ACCEPT, {}), "ACCEPTED"),
        ([(ACCEPT, {})], (DECLINE, {"reason": "full"}), "ACCEPTED"),
        ([(ACCEPT, {})], (CLOSE, {"outcome": "COMPLETED"}), "ACCEPTED"),
        ([(ACCEPT, {}), (CONTACT, {})], (ACCEPT, {}), "IN_PROGRESS"),
        ([(ACCEPT, {}), (CONTACT, {})], (DECLINE, {"reason": "x"}), "IN_PROGRESS"),
        ([(DECLINE, {"reason": "out of area"})], (ACCEPT, {}), "DECLINED"),
        ([(DECLINE, {"reason": "out of area"})], (CLOSE, {"outcome": "WITHDRAWN"}), "DECLINED"),
        ([(CLOSE, {"outcome": "WITHDRAWN"})], (CONTACT, {}), "WITHDRAWN"),
        ([(ACCEPT, {}), (CONTACT, {}), (CLOSE, {"outcome": "COMPLETED"})], (CONTACT, {}),
         "COMPLETED"),
        ([(ACCEPT, {}), (CONTACT, {}), (CLOSE, {"outcome": "DID_NOT_ENGAGE"})],
         (CLOSE, {"outcome": "WITHDRAWN"}), "DID_NOT_ENGAGE"),
    ],
)  # fmt: skip
def test_every_disallowed_change_is_a_conflict_naming_the_state_and_changes_nothing(
    client: TestClient, tokens: dict, steps: list, refused: tuple, state: str
) -> None:
    co = tokens["coordinator"]
    ref = refer(client, tokens["prescriber"], referral_input("Con Flict"))["referral"]["id"]
    for query, variables in steps:
        assert "errors" not in call(client, query, co, id=ref, **variables)
    before = call(client, GET, co, id=ref)["data"]["referral"]
    code, message = error_of(call(client, refused[0], co, id=ref, **refused[1]))
    assert code == "CONFLICT" and state in message
    assert call(client, GET, co, id=ref)["data"]["referral"] == before


def test_bad_input_names_the_field_and_changes_nothing(client: TestClient, tokens: dict) -> None:
    co = tokens["coordinator"]
    ref = refer(client, tokens["prescriber"], referral_input("Bad Input"))["referral"]["id"]
    checks = [
        (CLOSE, {"outcome": "ACCEPTED"}, "outcome"),
        (DECLINE, {"reason": "  "}, "reason"),
        (ACCEPT, {"coordinator": "acct-nobody"}, "coordinatorId"),
        (CONTACT, {"at": "2999-01-01T00:00:00+00:00"}, "at"),
    ]
    for query, variables, field in checks:
        (error,) = call(client, query, co, id=ref, **variables)["errors"]
        assert error["extensions"]["code"] == "BAD_USER_INPUT"
        assert error["extensions"]["field"] == field and field in error["message"]
    after = call(client, GET, co, id=ref)["data"]["referral"]
    assert after["status"] == "RECEIVED" and len(after["history"]) == 1
    wrong = call(
        client, REFER, tokens["prescriber"], input={**referral_input("X Y"), "source": "FAX"}
    )
    assert code_of(wrong) == "BAD_USER_INPUT"
    sent = {**referral_input("Sal Social"), "source": "SOCIAL_CARE"}
    assert refer(client, tokens["prescriber"], sent)["referral"]["source"] == "SOCIAL_CARE"


# How referPerson stored a referral before referrals had states (the code this change replaced).
OLD_REFER = """
MATCH (p:Person {id: $person}), (a:Account {id: $by})
CREATE (r:Referral {id: $id, reason: 'isolated', urgency: 'URGENT', at: $at, by: $by})
CREATE (r)-[:FOR]->(p)
CREATE (r)-[:BY]->(a)
"""


def test_a_referral_stored_before_states_reads_as_received_and_moves_on(
    client: TestClient, tokens: dict, derby: Kith
) -> None:
    a, co = tokens["prescriber"], tokens["coordinator"]
    person = refer(client, a, referral_input("Olive Oldway"))["person"]["id"]
    prescriber = call(client, ME, a)["data"]["me"]["id"]
    at = audit.now()
    derby.store.write(lambda tx: tx.run(OLD_REFER, person=person, by=prescriber, id="ref-old1",
                                        at=at).consume())  # fmt: skip
    old = call(client, GET, a, id="ref-old1")["data"]["referral"]
    assert (old["status"], old["source"], old["reason"], old["urgency"]) == (
        "RECEIVED", "GP", "isolated", "URGENT")  # fmt: skip
    assert old["referrer"]["id"] == prescriber and old["person"]["id"] == person
    assert [(e["from"], e["to"], e["by"]["id"]) for e in old["history"]] == [
        (None, "RECEIVED", prescriber)
    ]
    assert "ref-old1" in {r["id"] for r in listed(client, a, status=["RECEIVED"])}
    accepted = done(call(client, ACCEPT, co, id="ref-old1"), "acceptReferral")
    assert [e["to"] for e in accepted["history"]] == ["RECEIVED", "ACCEPTED"]


def test_referrals_page_with_cursors(client: TestClient, tokens: dict) -> None:
    co = tokens["coordinator"]
    body = call(client, LIST, co, first=1)["data"]["referrals"]
    assert body["totalCount"] >= 2 and body["pageInfo"]["hasNextPage"]
    after = body["pageInfo"]["endCursor"]
    following = call(client, LIST, co, first=1, after=after)["data"]["referrals"]
    assert following["edges"][0]["node"]["id"] != body["edges"][0]["node"]["id"]
    assert code_of(call(client, LIST, co, first=0)) == "BAD_USER_INPUT"


def test_one_message_sent_twice_at_once_is_one_referral(client: TestClient, tokens: dict) -> None:
    """A GP system that resends a referral (a timeout, a retry) under the same identifier makes
    one referral, even when the copies arrive together on different threads."""
    from concurrent.futures import ThreadPoolExecutor

    from graph import referrals as repo
    from kith import accounts, people

    kith: Kith = client.app.state.kith
    actor = accounts.authenticate(kith.store, tokens["prescriber"])
    form = {"name": "Ada Resent", "birth_year": 1950, "place": {"postcode": "DE22 3AB"},
            "consent_to_matching": True}  # fmt: skip
    before = len(repo.every(kith.store))

    def send(_: int) -> people.PersonResult:
        return people.refer(kith, actor, form, "low mood", "ROUTINE", identifier="emis|SR-77")

    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(send, range(4)))
    assert len({r.referral.id for r in results}) == 1
    assert sorted(r.created for r in results) == [False, False, False, True]
    assert len(repo.every(kith.store)) == before + 1
    other = accounts.authenticate(kith.store, tokens["other_prescriber"])
    theirs = people.refer(kith, other, form, "low mood", "ROUTINE", identifier="emis|SR-77")
    assert theirs.created and theirs.referral.id != results[0].referral.id
