"""Near matches through GraphQL: offered to a coordinator, merged keeping every edge and
referral (audited), or kept apart; never merged silently, and refused with codes otherwise."""

from __future__ import annotations

from starlette.testclient import TestClient

from kith import audit, people

from ..conftest import call, code_of

ADD = """mutation($input: PersonInput!) { addPerson(input: $input) { person { id } } }"""
REFER = """mutation($input: ReferralInput!) { referPerson(input: $input) {
    referral { id } person { id } } }"""
OFFERS = "{ mergeOffers(first: 100) { people { id name } edits reason } }"
MERGE = """mutation($keep: ID!, $merge: ID!) { mergePeople(keepId: $keep, mergeId: $merge) {
    person { id name languages interests { name } referrals { id } } } }"""
APART = "mutation($a: ID!, $b: ID!) { keepApart(personId: $a, otherId: $b) }"
PERSON = "query($id: ID!) { person(id: $id) { id name referrals { id } } }"
CONSENT = """mutation($id: ID!) { recordConsent(personId: $id, purpose: CONTACT, given: true) {
    person { id } } }"""


def person(name: str, **more: object) -> dict:
    return {"name": name, "birthYear": 1951, "place": {"postcode": "DE1 1BS"},
            "consentToMatching": True, **more}  # fmt: skip


def ok(body: dict, field: str) -> dict:
    assert "errors" not in body, body
    return body["data"][field]


def offered(client: TestClient, token: str, ids: set[str]) -> list[dict]:
    every = ok(call(client, OFFERS, token), "mergeOffers")
    return [o for o in every if {p["id"] for p in o["people"]} & ids]


def test_a_typo_is_offered_and_merged_keeping_everything(client: TestClient, tokens: dict) -> None:
    co, a = tokens["coordinator"], tokens["prescriber"]
    kept = ok(call(client, ADD, co, input=person("Mabel Hartwright", interests=["knitting"])),
              "addPerson")["person"]["id"]  # fmt: skip
    referred = person("Mabel Hratwright", languages=["Polish"])
    body = call(
        client, REFER, a, input={"person": referred, "reason": "lonely", "urgency": "ROUTINE"}
    )
    sent = ok(body, "referPerson")
    typo, referral = sent["person"]["id"], sent["referral"]["id"]
    other = ok(call(client, ADD, co, input=person("Norman Stead")), "addPerson")["person"]["id"]
    assert typo != kept  # a near match is never joined silently
    ok(call(client, CONSENT, co, id=typo), "recordConsent")

    (offer,) = offered(client, co, {kept, typo, other})
    assert {p["id"] for p in offer["people"]} == {kept, typo} and offer["edits"] == 1
    assert "birth year" in offer["reason"]

    merged = ok(call(client, MERGE, co, keep=kept, merge=typo), "mergePeople")["person"]
    assert merged["id"] == kept and merged["name"] == "Mabel Hartwright"
    assert merged["languages"] == ["Polish"] and merged["interests"][0]["name"] == "Knitting"
    assert [r["id"] for r in merged["referrals"]] == [referral]
    assert code_of(call(client, PERSON, co, id=typo)) == "NOT_FOUND"
    store = client.app.state.kith.store
    assert [c["purpose"] for c in people.repo.consents(store, kept)] == ["CONTACT"]
    # The prescriber follows their referral to the record kept, still seeing what they sent.
    seen = ok(call(client, PERSON, a, id=kept), "person")
    assert seen == {"id": kept, "name": "Mabel Hratwright", "referrals": [{"id": referral}]}
    assert ("person.merge", "allowed") in {(e.action, e.outcome) for e in audit.about(store, typo)}
    assert offered(client, co, {kept, typo}) == []


def test_two_people_kept_apart_are_not_offered_again(client: TestClient, tokens: dict) -> None:
    co = tokens["coordinator"]
    one = ok(call(client, ADD, co, input=person("Rita Oakes")), "addPerson")["person"]["id"]
    two = ok(call(client, ADD, co, input=person("Rita Oaks")), "addPerson")["person"]["id"]
    assert len(offered(client, co, {one, two})) == 1
    assert ok(call(client, APART, co, a=two, b=one), "keepApart") is True
    assert offered(client, co, {one, two}) == []
    assert ok(call(client, PERSON, co, id=one), "person")["id"] == one  # both still held


def test_merging_refused_names_the_problem_and_changes_nothing(
    client: TestClient, tokens: dict
) -> None:
    co, a = tokens["coordinator"], tokens["prescriber"]
    one = ok(call(client, ADD, co, input=person("Stan Lowe")), "addPerson")["person"]["id"]
    two = ok(call(client, ADD, co, input=person("Stan Lowes")), "addPerson")["person"]["id"]
    body = call(client, MERGE, co, keep=one, merge=one)
    assert (
        code_of(body) == "BAD_USER_INPUT" and body["errors"][0]["extensions"]["field"] == "mergeId"
    )
    assert code_of(call(client, MERGE, co, keep=one, merge="p-nobody")) == "NOT_FOUND"
    assert code_of(call(client, MERGE, a, keep=one, merge=two)) == "FORBIDDEN"
    assert code_of(call(client, OFFERS, a)) == "FORBIDDEN"
    assert code_of(call(client, APART, None, a=one, b=two)) == "UNAUTHENTICATED"
    for held in (one, two):
        assert ok(call(client, PERSON, co, id=held), "person")["id"] == held
    assert len(offered(client, co, {one, two})) == 1
