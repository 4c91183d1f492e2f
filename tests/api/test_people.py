"""People and volunteers through GraphQL: each role's allowed and forbidden cases, audited."""

from __future__ import annotations

from starlette.testclient import TestClient

from kith import audit
from kith.service import Kith

from ..conftest import call, code_of

PERSON_FIELDS = """id name ageBand postcode languages interests { id name } conditions { id }
                   strengths { id } caresFor { id } isVolunteer consentToMatching
                   preferences { buddyGender } buddies { id status }"""
ADD = f"""mutation($input: PersonInput!) {{ addPerson(input: $input) {{
    person {{ {PERSON_FIELDS} }} normalised {{ field given termId termName }} }} }}"""
REFER = """mutation($input: ReferralInput!) { referPerson(input: $input) {
    person { id name conditions { id } } normalised { field termId } } }"""
GET = f"query($id: ID!) {{ person(id: $id) {{ {PERSON_FIELDS} }} }}"
REGISTER = """mutation($input: VolunteerInput!) { registerVolunteer(input: $input) {
    volunteer { id name approved capacity maxTravelKm skills { id } conditions { id } }
    normalised { field given termId } token } }"""


def person_input(**overrides: object) -> dict:
    base = {"name": "Dorothy Evans", "birthYear": 1950, "gender": "FEMALE",
            "place": {"postcode": "DE22 2AB"}, "interests": ["Knitting ", "antiqes"],
            "conditions": ["COPD"], "languages": ["English"], "consentToMatching": True,
            "preferences": {"buddyGender": "FEMALE"}}  # fmt: skip
    return {**base, **overrides}


def test_a_coordinator_adds_a_person_and_sees_what_their_words_became(
    client: TestClient, tokens: dict
) -> None:
    body = call(client, ADD, tokens["coordinator"], input=person_input())
    payload = body["data"]["addPerson"]
    person = payload["person"]
    assert person["name"] == "Dorothy Evans" and person["ageBand"] == "70-79"
    assert {i["id"] for i in person["interests"]} == {"knitting", "antiques"}
    assert ("interests", "antiqes", "antiques") in {
        (n["field"], n["given"], n["termId"]) for n in payload["normalised"]
    }
    assert person["preferences"] == {"buddyGender": "FEMALE"}
    again = call(client, GET, tokens["coordinator"], id=person["id"])
    assert again["data"]["person"]["conditions"] == [{"id": "copd"}]


def test_the_public_and_volunteers_cannot_add_people(client: TestClient, tokens: dict) -> None:
    assert code_of(call(client, ADD, None, input=person_input())) == "UNAUTHENTICATED"
    assert code_of(call(client, ADD, tokens["prescriber"], input=person_input())) == "FORBIDDEN"


def test_a_bad_token_is_refused_at_the_door(client: TestClient) -> None:
    response = client.post("/graphql", json={"query": "{ me { id } }"},
                           headers={"Authorization": "Bearer kith_not-a-real-token"})  # fmt: skip
    assert response.status_code == 401
    assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


def test_a_prescriber_sees_only_the_people_they_referred(
    client: TestClient, tokens: dict, derby: Kith
) -> None:
    referral = {"person": person_input(name="Alan Price"), "reason": "isolated since retiring"}
    referred = call(client, REFER, tokens["prescriber"], input=referral)
    person_id = referred["data"]["referPerson"]["person"]["id"]
    assert call(client, GET, tokens["prescriber"], id=person_id)["data"]["person"]["name"] == (
        "Alan Price"
    )
    refused = call(client, GET, tokens["other_prescriber"], id=person_id)
    assert code_of(refused) == "FORBIDDEN" and "Alan" not in str(refused)
    assert code_of(call(client, GET, tokens["prescriber"], id="p-shardlow")) == "FORBIDDEN"
    trail = audit.about(derby.store, "p-shardlow")
    assert any(e.outcome == "denied" and e.role == "PRESCRIBER" for e in trail)


def test_the_public_never_sees_a_person(client: TestClient) -> None:
    body = call(client, GET, None, id="p-shardlow")
    assert code_of(body) == "UNAUTHENTICATED" or code_of(body) == "FORBIDDEN"
    assert "Shardlow" not in str(body)


def test_reads_of_person_records_are_audited(client: TestClient, tokens: dict, derby: Kith) -> None:
    before = len(audit.about(derby.store, "p-khan"))
    call(client, GET, tokens["coordinator"], id="p-khan")
    after = audit.about(derby.store, "p-khan")
    assert len(after) == before + 1
    assert after[0].action == "person.read" and after[0].outcome == "allowed"
    assert "Khan" not in str(after[0])


def test_a_volunteer_registers_then_sees_and_edits_only_their_own_record(
    client: TestClient, tokens: dict
) -> None:
    form = {"name": "Grace Lee", "place": {"latitude": 52.92, "longitude": -1.47},
            "maxTravelKm": 3, "capacity": 2, "consentToMatching": True,
            "skills": ["befriending"], "livedExperience": ["asthma"],
            "email": "grace@example.org"}  # fmt: skip
    payload = call(client, REGISTER, None, input=form)["data"]["registerVolunteer"]
    volunteer, token = payload["volunteer"], payload["token"]
    assert volunteer["approved"] is False and token.startswith("kith_")
    assert volunteer["conditions"] == [{"id": "asthma"}]
    own = call(client, GET, token, id=volunteer["id"])
    assert own["data"]["person"]["name"] == "Grace Lee"
    assert code_of(call(client, GET, token, id="p-shardlow")) == "FORBIDDEN"
    patch = """mutation($id: ID!, $input: PersonPatch!) { updatePerson(id: $id, input: $input) {
               volunteer { capacity } } }"""
    updated = call(client, patch, token, id=volunteer["id"], input={"capacity": 1})
    assert updated["data"]["updatePerson"]["volunteer"]["capacity"] == 1
    assert code_of(call(client, patch, token, id="p-brown", input={"capacity": 1})) == "FORBIDDEN"
    approve = """mutation($id: ID!) { approveVolunteer(id: $id, dbsCheckedOn: "2026-10-01") {
                 volunteer { approved dbsCheckedOn } } }"""
    assert code_of(call(client, approve, token, id=volunteer["id"])) == "FORBIDDEN"
    approved = call(client, approve, tokens["coordinator"], id=volunteer["id"])
    assert approved["data"]["approveVolunteer"]["volunteer"] == {
        "approved": True,
        "dbsCheckedOn": "2026-10-01",
    }


def test_bad_person_input_names_the_field_and_writes_nothing(
    client: TestClient, tokens: dict, derby: Kith
) -> None:
    from graph import maintenance

    before = maintenance.counts(derby.store)
    cases = [
        (person_input(name=""), "name"),
        (person_input(name="x" * 500), "name"),
        (person_input(birthYear=1700), "birthYear"),
        (person_input(place={"postcode": "nowhere"}), "postcode"),
        (person_input(place={"latitude": 91, "longitude": 0}), "latitude"),
        (person_input(interests=["zzqqxx"]), "interests"),
        (person_input(languages=["Klingon"]), "languages"),
        (person_input(caresFor=["p-does-not-exist"]), "caresFor"),
    ]
    for form, field in cases:
        body = call(client, ADD, tokens["coordinator"], input=form)
        assert body["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "field": field}, form
    assert maintenance.counts(derby.store) == before


def test_consent_is_recorded_per_purpose(client: TestClient, tokens: dict) -> None:
    added = call(client, ADD, tokens["coordinator"], input=person_input(name="Rita Moss"))
    person_id = added["data"]["addPerson"]["person"]["id"]
    consent = """mutation($id: ID!, $given: Boolean!) { recordConsent(personId: $id,
                 purpose: MATCHING, given: $given) { person { consentToMatching } } }"""
    body = call(client, consent, tokens["coordinator"], id=person_id, given=False)
    assert body["data"]["recordConsent"]["person"]["consentToMatching"] is False
    body = call(client, consent, tokens["coordinator"], id=person_id, given=True)
    assert body["data"]["recordConsent"]["person"]["consentToMatching"] is True


def test_me_says_who_is_signed_in(client: TestClient, tokens: dict) -> None:
    assert call(client, "{ me { role } }", None)["data"]["me"] is None
    assert call(client, "{ me { role } }", tokens["admin"])["data"]["me"] == {"role": "ADMIN"}
