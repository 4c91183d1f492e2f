"""Attendance through GraphQL: a coordinator records that someone goes to an activity and when
they stop; it shows on the person, leaves their suggestions, is audited and exported."""

from __future__ import annotations

from datetime import date

from starlette.testclient import TestClient

from kith import audit
from kith.service import Kith

from ..conftest import call, code_of
from .test_matches_and_erasure import add_person
from .test_people import REFER, person_input

GOING = "activities { since activity { id name } }"
RECORD = f"""mutation($p: ID!, $a: ID!) {{ recordAttendance(personId: $p, activityId: $a) {{
    person {{ id {GOING} }} }} }}"""
END = f"""mutation($p: ID!, $a: ID!) {{ endAttendance(personId: $p, activityId: $a) {{
    person {{ id {GOING} }} }} }}"""
PERSON = f"query($id: ID!) {{ person(id: $id) {{ {GOING} }} }}"
SUGGESTED = "query($p: ID!) { suggestActivities(personId: $p, first: 5) { activity { id } } }"
EXPORT = "query($id: ID!) { exportPerson(id: $id) }"
CHILDREN_ONLY = {
    "id": "a-test-junior-club", "name": "Junior Club", "venueId": "v-allestree-lib",
    "sessions": [{"day": "SATURDAY", "start": "10:00"}], "audience": "CHILDREN",
}  # fmt: skip


def suggested(client: TestClient, token: str, person: str) -> list[str]:
    found = call(client, SUGGESTED, token, p=person)["data"]["suggestActivities"]
    return [s["activity"]["id"] for s in found]


def actions(kith: Kith, person: str, mark: str) -> list[str]:
    """What the audit trail says was done to the person from ``mark`` on (in any order: events
    of one millisecond have no order), as sorted action names."""
    return sorted(e.action for e in audit.about(kith.store, person) if e.at >= mark)


def test_a_coordinator_records_attendance_sees_it_and_ends_it(
    client: TestClient, tokens: dict, derby: Kith
) -> None:
    coordinator = tokens["coordinator"]
    person = add_person(client, coordinator, name="Mabel Frost")
    first = suggested(client, coordinator, person)[0]

    mark = audit.now()
    recorded = call(client, RECORD, coordinator, p=person, a=first)
    going = recorded["data"]["recordAttendance"]["person"]["activities"]
    assert [(g["activity"]["id"], g["since"]) for g in going] == [(first, date.today().isoformat())]
    assert actions(derby, person, mark) == ["attendance.read", "attendance.record", "person.read"]

    again = call(client, RECORD, coordinator, p=person, a=first)
    assert again["data"]["recordAttendance"]["person"]["activities"] == going  # idempotent
    mark = audit.now()
    shown = call(client, PERSON, coordinator, id=person)["data"]["person"]["activities"]
    assert shown == going
    assert actions(derby, person, mark) == ["attendance.read", "person.read"]

    assert first not in suggested(client, coordinator, person)  # no suggesting what they go to

    mark = audit.now()
    ended = call(client, END, coordinator, p=person, a=first)
    assert ended["data"]["endAttendance"]["person"]["activities"] == []
    assert actions(derby, person, mark) == ["attendance.end", "attendance.read", "person.read"]
    assert call(client, PERSON, coordinator, id=person)["data"]["person"]["activities"] == []
    assert first in suggested(client, coordinator, person)
    twice = call(client, END, coordinator, p=person, a=first)
    assert code_of(twice) == "NOT_FOUND" and first in twice["errors"][0]["message"]


def test_going_again_after_stopping_keeps_both_spells_for_export_and_erasure_removes_them(
    client: TestClient, tokens: dict, derby: Kith
) -> None:
    coordinator = tokens["coordinator"]
    person = add_person(client, coordinator, name="Hilda Stone")
    call(client, RECORD, coordinator, p=person, a="a-knit-allestree")
    call(client, END, coordinator, p=person, a="a-knit-allestree")
    call(client, RECORD, coordinator, p=person, a="a-knit-allestree")
    held = call(client, EXPORT, coordinator, id=person)["data"]["exportPerson"]
    today = date.today().isoformat()
    assert [(s["activity_id"], s["activity_name"], s["since"], s["until"])
            for s in held["attendance"]] == [
        ("a-knit-allestree", "Knit and Natter", today, today),
        ("a-knit-allestree", "Knit and Natter", today, None),
    ]  # fmt: skip
    assert {"attendance.record", "attendance.end"} <= {e["action"] for e in held["audit"]}

    def edges() -> int:
        query = "MATCH (:Person {id: $id})-[r:ATTENDS]->() RETURN count(r) AS n"
        return derby.store.read(lambda tx: tx.run(query, id=person).single()["n"])

    assert edges() == 1
    call(client, "mutation($id: ID!) { forgetPerson(id: $id) { deleted } }", coordinator, id=person)
    assert edges() == 0


def test_a_prescriber_records_only_for_the_people_they_referred(
    client: TestClient, tokens: dict, derby: Kith
) -> None:
    referral = {"person": person_input(name="Walter Reed"), "reason": "lonely since his wife died"}
    referred = call(client, REFER, tokens["prescriber"], input=referral)
    person = referred["data"]["referPerson"]["person"]["id"]
    mine = call(client, RECORD, tokens["prescriber"], p=person, a="a-knit-allestree")
    assert mine["data"]["recordAttendance"]["person"]["activities"][0]["activity"]["id"] == (
        "a-knit-allestree"
    )

    refused = call(client, RECORD, tokens["other_prescriber"], p=person, a="a-knit-allestree")
    assert code_of(refused) == "FORBIDDEN" and "Walter" not in str(refused)
    ending = call(client, END, tokens["other_prescriber"], p=person, a="a-knit-allestree")
    assert code_of(ending) == "FORBIDDEN"
    mark = audit.now()
    not_theirs = call(client, RECORD, tokens["prescriber"], p="p-shardlow", a="a-knit-allestree")
    assert code_of(not_theirs) == "FORBIDDEN"
    trail = [e for e in audit.about(derby.store, "p-shardlow") if e.at >= mark]
    assert [(e.action, e.outcome, e.role) for e in trail] == [
        ("person.read", "denied", "PRESCRIBER")
    ]
    assert code_of(call(client, RECORD, None, p=person, a="a-knit-allestree")) == (
        "UNAUTHENTICATED"
    )


def test_unknown_records_and_activities_for_children_are_refused(
    client: TestClient, tokens: dict, derby: Kith
) -> None:
    coordinator = tokens["coordinator"]
    person = add_person(client, coordinator, name="Ada Marsh")
    unknown = call(client, RECORD, coordinator, p=person, a="a-no-such-activity")
    assert code_of(unknown) == "NOT_FOUND"
    assert "a-no-such-activity" in unknown["errors"][0]["message"]
    assert code_of(call(client, END, coordinator, p=person, a="a-no-such-activity")) == (
        "NOT_FOUND"
    )
    assert code_of(call(client, RECORD, coordinator, p="p-nobody", a="a-knit-allestree")) == (
        "NOT_FOUND"
    )
    blank = call(client, RECORD, coordinator, p=person, a=" ")
    assert blank["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "field": "activityId"}

    upsert = "mutation($i: ActivityInput!) { upsertActivity(input: $i) { activity { id } } }"
    assert "errors" not in call(client, upsert, coordinator, i=CHILDREN_ONLY)
    adult = call(client, RECORD, coordinator, p=person, a="a-test-junior-club")
    assert adult["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "field": "activityId"}
    child = add_person(client, coordinator, name="Tom Marsh", birthYear=date.today().year - 9)
    allowed = call(client, RECORD, coordinator, p=child, a="a-test-junior-club")
    assert "errors" not in allowed, allowed["errors"]
    going = call(client, PERSON, coordinator, id=person)["data"]["person"]["activities"]
    assert going == []  # nothing half-written by the refusals


def test_a_volunteer_records_their_own_attendance_only(client: TestClient) -> None:
    form = {"name": "Iris Gale", "place": {"postcode": "DE22 2AB"}, "maxTravelKm": 3,
            "capacity": 1, "consentToMatching": True}  # fmt: skip
    register = """mutation($i: VolunteerInput!) { registerVolunteer(input: $i) {
        volunteer { id } token } }"""
    payload = call(client, register, None, i=form)["data"]["registerVolunteer"]
    own, token = payload["volunteer"]["id"], payload["token"]
    done = call(client, RECORD, token, p=own, a="a-knit-allestree")
    assert [g["activity"]["id"] for g in done["data"]["recordAttendance"]["person"]["activities"]]
    assert code_of(call(client, RECORD, token, p="p-shardlow", a="a-knit-allestree")) == (
        "FORBIDDEN"
    )
