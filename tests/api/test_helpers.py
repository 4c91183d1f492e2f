"""Practical help through GraphQL, on a small world each test makes far from the demo's Derby:
volunteers say what help they give, and suggestHelpers offers only approved volunteers who
give that help and can reach the person, nearest and most often free first, with reasons."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from graph import candidates
from kith import audit, people
from kith.errors import InvalidInput
from kith.service import Kith

from ..conftest import call, code_of

KM = 1 / 111.2  # degrees of latitude in a kilometre
REGISTER = """mutation($i: VolunteerInput!) { registerVolunteer(input: $i) {
    volunteer { id helps } } }"""
APPROVE = """mutation($id: ID!, $dbs: Date) { approveVolunteer(id: $id, dbsCheckedOn: $dbs) {
    volunteer { id approved } } }"""
ADD = "mutation($i: PersonInput!) { addPerson(input: $i) { person { id } } }"
UPDATE = """mutation($id: ID!, $p: PersonPatch!) { updatePerson(id: $id, input: $p) {
    person { id } } }"""
VOLUNTEER = "query($id: ID!) { volunteer(id: $id) { helps maxTravelKm } }"
HELPERS = """query($p: ID!, $need: PracticalNeed!, $first: Int) {
    suggestHelpers(personId: $p, need: $need, first: $first) {
      buddy { id name } score distanceKm reasons { code text weight } } }"""
DBS = "2026-01-05"


def place(centre: tuple[float, float], km_north: float = 0.0) -> dict:
    return {"latitude": centre[0] + km_north * KM, "longitude": centre[1]}


def volunteer(
    client: TestClient, coordinator: str, centre: tuple[float, float], name: str,
    km_north: float, *, approved: bool = True, dbs: str | None = DBS, **form: object,
) -> str:  # fmt: skip
    """A volunteer so many km north of ``centre``, approved (with a DBS check) unless told."""
    given = {"name": name, "place": place(centre, km_north), "maxTravelKm": 5.0, "capacity": 2,
             "consentToMatching": True, **form}  # fmt: skip
    body = call(client, REGISTER, None, i=given)
    assert "errors" not in body, body
    vid = body["data"]["registerVolunteer"]["volunteer"]["id"]
    if approved:
        assert "errors" not in call(client, APPROVE, coordinator, id=vid, dbs=dbs)
    return vid


def person(
    client: TestClient, coordinator: str, centre: tuple[float, float], **form: object
) -> str:
    given = {"name": "Ada Lowe", "place": place(centre), "consentToMatching": True, **form}
    body = call(client, ADD, coordinator, i=given)
    assert "errors" not in body, body
    return body["data"]["addPerson"]["person"]["id"]


def helpers(client: TestClient, token: str, person_id: str, need: str, first: int = 5) -> list:
    body = call(client, HELPERS, token, p=person_id, need=need, first=first)
    assert "errors" not in body, body
    return body["data"]["suggestHelpers"]


def names(found: list[dict]) -> list[str]:
    return [s["buddy"]["name"] for s in found]


def test_prescriptions_only_from_approved_volunteers_who_offer_them_within_their_reach(
    client: TestClient, tokens: dict, derby: Kith
) -> None:
    coordinator, keswick = tokens["coordinator"], (54.60, -3.13)
    tuesday = [{"day": "TUESDAY", "part": "MORNING"}]
    ada = person(client, coordinator, keswick, availability=tuesday)
    for name, km, extra in [
        ("Near", 1.0, {}),
        ("Reaching", 4.0, {"maxTravelKm": 6.0, "availability": tuesday}),
        ("Unapproved", 0.5, {"approved": False}),
        ("Shopper", 0.5, {"helps": ["SHOPPING"]}),
        ("Too far", 4.0, {"maxTravelKm": 3.0}),
        ("Nobody asked", 0.2, {"consentToMatching": False}),
    ]:
        extra = {"helps": ["PRESCRIPTIONS", "SNOW_CLEARING"], **extra}
        volunteer(client, coordinator, keswick, name, km, **extra)

    mark = audit.now()
    found = helpers(client, coordinator, ada, "PRESCRIPTIONS")
    assert names(found) == ["Reaching", "Near"]  # free when Ada is outweighs 3 km here
    assert [s["distanceKm"] for s in found] == [4.0, 1.0]
    for s in found:
        assert sum(r["weight"] for r in s["reasons"]) == pytest.approx(s["score"], abs=1e-6)
        offer = [r for r in s["reasons"] if r["code"] == "PRACTICAL_HELP"]
        assert offer == [{"code": "PRACTICAL_HELP", "text": "collects prescriptions", "weight": 0}]
    assert {"lives 4.0 km away", "free on Tuesday mornings"} <= {
        r["text"] for r in found[0]["reasons"]
    }
    for s in found:  # every volunteer shown is a read of their record
        assert "person.suggested" in actions(derby, s["buddy"]["id"], mark)
    assert names(helpers(client, coordinator, ada, "PRESCRIPTIONS", first=1)) == ["Reaching"]
    assert helpers(client, coordinator, ada, "LIFTS") == []


def actions(kith: Kith, subject: str, mark: str) -> list[str]:
    return [e.action for e in audit.about(kith.store, subject) if e.at >= mark]


def test_lifts_and_check_ins_only_from_volunteers_with_a_current_dbs_check(
    client: TestClient, tokens: dict
) -> None:
    coordinator, alston = tokens["coordinator"], (54.81, -2.44)
    ada = person(client, coordinator, alston)
    for name, dbs in [("Checked", DBS), ("Unchecked", None), ("Long ago", "2019-03-01")]:
        volunteer(client, coordinator, alston, name, 1.0, dbs=dbs, helps=["LIFTS", "PRESCRIPTIONS"])
    assert names(helpers(client, coordinator, ada, "LIFTS")) == ["Checked"]
    lift = helpers(client, coordinator, ada, "LIFTS")[0]["reasons"]
    assert {"code": "PRACTICAL_HELP", "text": "gives lifts, DBS checked", "weight": 0} in lift
    assert sorted(names(helpers(client, coordinator, ada, "PRESCRIPTIONS"))) == [
        "Checked", "Long ago", "Unchecked"]  # fmt: skip


def test_a_volunteer_says_what_help_they_give_and_changes_it(
    client: TestClient, tokens: dict
) -> None:
    coordinator, hawes = tokens["coordinator"], (54.30, -2.20)
    ada = person(client, coordinator, hawes)
    body = call(client, REGISTER, None, i={"name": "Sam", "place": place(hawes, 0.5),
                "maxTravelKm": 3.0, "capacity": 1, "consentToMatching": True,
                "helps": ["SNOW_CLEARING", "SHOPPING", "SHOPPING"]})  # fmt: skip
    sam = body["data"]["registerVolunteer"]["volunteer"]
    assert sam["helps"] == ["SHOPPING", "SNOW_CLEARING"]  # once each, in the enum's order
    call(client, APPROVE, coordinator, id=sam["id"], dbs=DBS)
    assert names(helpers(client, coordinator, ada, "SNOW_CLEARING")) == ["Sam"]

    assert "errors" not in call(
        client, UPDATE, coordinator, id=sam["id"], p={"helps": ["CHECK_IN"]}
    )
    shown = call(client, VOLUNTEER, coordinator, id=sam["id"])["data"]["volunteer"]
    assert shown == {"helps": ["CHECK_IN"], "maxTravelKm": 3.0}
    assert helpers(client, coordinator, ada, "SNOW_CLEARING") == []
    assert names(helpers(client, coordinator, ada, "CHECK_IN")) == ["Sam"]
    assert "errors" not in call(client, UPDATE, coordinator, id=sam["id"], p={"capacity": 2})
    kept = call(client, VOLUNTEER, coordinator, id=sam["id"])["data"]["volunteer"]
    assert kept["helps"] == ["CHECK_IN"]  # left as it was


def test_only_coordinators_ask_and_bad_input_says_what_was_wrong(
    client: TestClient, tokens: dict
) -> None:
    coordinator = tokens["coordinator"]
    ada = person(client, coordinator, (54.45, -2.98))
    variables = {"p": ada, "need": "PRESCRIPTIONS"}
    assert code_of(call(client, HELPERS, None, **variables)) == "UNAUTHENTICATED"
    assert code_of(call(client, HELPERS, tokens["prescriber"], **variables)) == "FORBIDDEN"
    unknown = call(client, HELPERS, coordinator, p="p-nobody", need="PRESCRIPTIONS")
    assert code_of(unknown) == "NOT_FOUND"
    too_many = call(client, HELPERS, coordinator, p=ada, need="PRESCRIPTIONS", first=0)
    assert too_many["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "field": "first"}
    assert "errors" in call(client, HELPERS, coordinator, p=ada, need="GARDENING")
    refused = person(client, coordinator, (54.45, -2.98), consentToMatching=False)
    assert helpers(client, coordinator, refused, "PRESCRIPTIONS") == []


def test_help_not_on_the_list_is_refused_by_name_and_writes_nothing(derby: Kith) -> None:
    """The sign-up page sends the ticked boxes as text: a value from no box is refused."""
    form = {"name": "Tampered", "place": place((54.40, -2.60)), "max_travel_km": 3.0,
            "capacity": 1, "consent_to_matching": True,
            "helps": ["PRESCRIPTIONS", "GARDENING"]}  # fmt: skip
    with pytest.raises(InvalidInput) as refused:
        people.register_volunteer(derby, None, form)
    assert (refused.value.field, refused.value.reason) == (
        "helps",
        "'GARDENING' is not a practical need",
    )
    assert not [v for v in candidates.all_volunteers(derby.store) if v.name == "Tampered"]
