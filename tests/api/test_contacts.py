"""Contacts and check-ins through GraphQL: a coordinator records a call, visit or message with
anyone they support (not only on a referral), it sets lastContactAt, a future one is refused
naming ``at`` and leaves nothing behind; a cadence says when the next check-in is due, and
check_ins_due lists those due; all audited, in exportPerson, and gone with the person."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from starlette.testclient import TestClient

from graph import people as people_repo
from kith import accounts, audit, contacts
from kith.errors import Forbidden
from kith.service import Kith

from ..conftest import call, code_of
from .test_matches_and_erasure import add_person
from .test_people import REFER

CONTACTED = "id lastContactAt contacts { id kind at note } checkInEveryDays checkInDue"
RECORD = f"""mutation($p: ID!, $input: ContactInput!) {{ recordPersonContact(personId: $p,
    input: $input) {{ person {{ {CONTACTED} }} }} }}"""
CHECK_IN = f"""mutation($p: ID!, $days: Int) {{ setCheckIn(personId: $p, everyDays: $days) {{
    person {{ {CONTACTED} }} }} }}"""
PERSON = f"query($id: ID!) {{ person(id: $id) {{ {CONTACTED} }} }}"
EXPORT = "query($id: ID!) { exportPerson(id: $id) }"
LEAFLET = "MATCH (c:Contact) WHERE c.note = 'brought the leaflet' RETURN count(c) AS n"
FORGET = "mutation($id: ID!) { forgetPerson(id: $id) { id } }"


def ago(days: int) -> str:
    return (datetime.now(UTC) - timedelta(days=days)).isoformat(timespec="milliseconds")


def recorded(client: TestClient, token: str, person: str, **contact: object) -> dict:
    body = call(client, RECORD, token, p=person, input=contact)
    assert "errors" not in body, body
    return body["data"]["recordPersonContact"]["person"]


def person_of(client: TestClient, token: str, person: str) -> dict:
    body = call(client, PERSON, token, id=person)
    assert "errors" not in body, body
    return body["data"]["person"]


def moment(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def test_contacts_on_anyone_newest_first_set_the_last_contact(
    client: TestClient, tokens: dict, derby: Kith
) -> None:
    coordinator = tokens["coordinator"]
    person = add_person(client, coordinator, name="Nora Shaw")
    assert person_of(client, coordinator, person)["lastContactAt"] is None

    mark = audit.now()
    called = recorded(client, coordinator, person, kind="PHONE", at=ago(10), note="  all well ")
    assert [(c["kind"], c["note"]) for c in called["contacts"]] == [("PHONE", "all well")]
    assert moment(called["lastContactAt"]) == moment(called["contacts"][0]["at"])
    assert "contact.record" in {e.action for e in audit.about(derby.store, person) if e.at >= mark}

    visited = recorded(client, coordinator, person, kind="VISIT")  # now
    late = recorded(client, coordinator, person, kind="MESSAGE", at=ago(20))  # told late
    assert [c["kind"] for c in late["contacts"]] == ["VISIT", "PHONE", "MESSAGE"]
    assert late["lastContactAt"] == visited["lastContactAt"]  # not moved back by the late one
    assert datetime.now(UTC) - moment(late["lastContactAt"]) < timedelta(minutes=1)


def test_a_future_contact_or_a_long_note_is_refused_naming_it_and_nothing_is_written(
    client: TestClient, tokens: dict
) -> None:
    coordinator = tokens["coordinator"]
    person = add_person(client, coordinator, name="Olive Marsh")
    tomorrow = (datetime.now(UTC) + timedelta(days=1)).isoformat()
    future = call(client, RECORD, coordinator, p=person, input={"kind": "PHONE", "at": tomorrow})
    assert code_of(future) == "BAD_USER_INPUT" and "at" in future["errors"][0]["message"]
    long = call(client, RECORD, coordinator, p=person, input={"kind": "VISIT", "note": "x" * 1001})
    assert code_of(long) == "BAD_USER_INPUT" and "note" in long["errors"][0]["message"]
    held = person_of(client, coordinator, person)
    assert held["contacts"] == [] and held["lastContactAt"] is None


def test_only_coordinators_record_or_read_contacts(client: TestClient, tokens: dict) -> None:
    coordinator, prescriber = tokens["coordinator"], tokens["prescriber"]
    referred = call(client, REFER, prescriber, input={
        "person": {"name": "Pearl Dunn", "birthYear": 1938, "place": {"postcode": "DE22 3AB"},
                   "consentToMatching": True},
        "reason": "on her own since a fall", "urgency": "ROUTINE"})  # fmt: skip
    person = referred["data"]["referPerson"]["person"]["id"]
    refused = call(client, RECORD, prescriber, p=person, input={"kind": "PHONE"})
    assert code_of(refused) == "FORBIDDEN"
    assert code_of(call(client, RECORD, None, p=person, input={"kind": "PHONE"})) in (
        "UNAUTHENTICATED", "FORBIDDEN")  # fmt: skip
    recorded(client, coordinator, person, kind="PHONE", note="spoke to her daughter")
    call(client, CHECK_IN, coordinator, p=person, days=30)
    # The prescriber reads the person as they sent them: none of the coordinator's notes.
    seen = person_of(client, prescriber, person)
    assert seen["contacts"] == [] and seen["lastContactAt"] is None
    assert seen["checkInEveryDays"] is None and seen["checkInDue"] is None
    assert code_of(call(client, CHECK_IN, prescriber, p=person, days=30)) == "FORBIDDEN"


def test_a_cadence_says_when_the_next_check_in_is_due(
    client: TestClient, tokens: dict, derby: Kith
) -> None:
    coordinator = tokens["coordinator"]
    person = add_person(client, coordinator, name="Queenie Lord")
    bad = call(client, CHECK_IN, coordinator, p=person, days=3)
    assert code_of(bad) == "BAD_USER_INPUT" and "everyDays" in bad["errors"][0]["message"]

    never = call(client, CHECK_IN, coordinator, p=person, days=30)["data"]["setCheckIn"]["person"]
    today = date.today()
    assert (never["checkInEveryDays"], never["checkInDue"]) == (30, today.isoformat())
    recorded(client, coordinator, person, kind="VISIT", at=ago(40))
    overdue = person_of(client, coordinator, person)
    assert overdue["checkInDue"] == (today - timedelta(days=10)).isoformat()

    prescriber, _ = accounts.add(derby.store, "Not a coordinator", accounts.Role.PRESCRIBER)
    with pytest.raises(Forbidden):
        contacts.check_ins_due(derby, prescriber, today)
    actor, _ = accounts.add(derby.store, "Queue reader", accounts.Role.COORDINATOR)
    mark = audit.now()
    due = contacts.check_ins_due(derby, actor, today)
    assert person in [c.person_id for c in due]
    assert [c.due_on for c in due] == sorted(c.due_on for c in due)  # longest overdue first
    assert all(c.due_on <= today for c in due)
    assert "checkin.read" in {e.action for e in audit.about(derby.store, person) if e.at >= mark}
    earlier = contacts.check_ins_due(derby, actor, today - timedelta(days=11))
    assert person not in [c.person_id for c in earlier]

    recorded(client, coordinator, person, kind="PHONE")
    assert person not in [c.person_id for c in contacts.check_ins_due(derby, actor, today)]
    cleared = call(client, CHECK_IN, coordinator, p=person, days=None)
    assert cleared["data"]["setCheckIn"]["person"]["checkInEveryDays"] is None


def test_contacts_are_exported_and_erased_with_the_person(
    client: TestClient, tokens: dict, derby: Kith
) -> None:
    coordinator = tokens["coordinator"]
    person = add_person(client, coordinator, name="Ruby Tate")
    recorded(client, coordinator, person, kind="VISIT", note="brought the leaflet")
    call(client, CHECK_IN, coordinator, p=person, days=28)
    held = call(client, EXPORT, coordinator, id=person)["data"]["exportPerson"]
    assert [(c["kind"], c["note"]) for c in held["contacts"]["contacts"]] == [
        ("VISIT", "brought the leaflet")]  # fmt: skip
    assert held["contacts"]["check_in"]["every_days"] == 28
    assert held["person"]["last_contact_at"] == held["contacts"]["contacts"][0]["at"]

    assert "errors" not in call(client, FORGET, coordinator, id=person)
    left = derby.store.read(lambda tx: tx.run(LEAFLET).single()["n"])
    assert left == 0 and not people_repo.exists(derby.store, person)
