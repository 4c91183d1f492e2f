"""What a closed referral offered, back to the one who made it (kith.referrals.summary and
GraphQL's Referral.summary): the activities taken up while it was open, by name, and whether
a volunteer buddy was agreed then, never who; only once closed, and only to who may see it."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from starlette.testclient import TestClient

from graph import attendance as attendance_repo
from kith import (
    accounts,
    attendance,
    audit,
    matches,
    people,
    referral_states,
    referrals,
    suggestions,
    wellbeing,
)
from kith.accounts import Account, Role
from kith.domain import MatchStatus, Person, Referral, ReferralStatus
from kith.errors import Forbidden, NotFound, Unauthenticated
from kith.service import Kith

from ..conftest import call

SUMMARY = """summary { outcome closedOn buddy activities { since until
             activity { id name venue { name } } }
             wellbeing { measure score baseline latest change verdict } }"""
GET = f"query($id: ID!) {{ referral(id: $id) {{ id status {SUMMARY} }} }}"
LIST = f"{{ referrals(first: 100) {{ edges {{ node {{ id {SUMMARY} }} }} }} }}"


def account(kith: Kith, name: str, role: Role) -> tuple[Account, str]:
    return accounts.add(kith.store, name, role)


def refer(kith: Kith, gp: Account, name: str) -> Referral:
    form = {"name": name, "birth_year": 1950, "place": {"postcode": "DE22 3AB"},
            "interests": ["knitting"], "consent_to_matching": True}  # fmt: skip
    made = people.refer(kith, gp, form, "lonely since moving here", "SOON").referral
    assert made is not None
    return made


def taken_on(kith: Kith, co: Account, referral: Referral) -> None:
    referral_states.accept(kith, co, referral.id, None)
    referral_states.record_contact(kith, co, referral.id, None, "rang her")


def close(kith: Kith, co: Account, referral: Referral) -> Referral:
    return referral_states.close(kith, co, referral.id, ReferralStatus.COMPLETED, None)


def buddy_for(kith: Kith, co: Account, person_id: str) -> Person:
    found = suggestions.buddies(kith, co, person_id, first=1)[0].target
    assert isinstance(found, Person)
    return found


def test_a_closed_referral_says_what_it_offered_and_nothing_before(derby: Kith) -> None:
    (gp, _), (co, _) = account(derby, "Dr Summary", Role.PRESCRIBER), account(
        derby, "Cath Closer", Role.COORDINATOR)  # fmt: skip
    referral = refer(derby, gp, "Nell Summarised")
    person = referral.person_id
    assert referrals.summary(derby, gp, referral) is None  # open: nothing to say yet

    first, second, earlier = [s.target for s in suggestions.for_person(derby, co, person, first=3)]
    # Going since before the referral (recorded afterwards): not something it offered.
    attendance_repo.record(derby.store, person, earlier.id, date.today() - timedelta(days=40))
    taken_on(derby, co, referral)
    attendance.attend(derby, co, person, first.id)
    attendance.attend(derby, co, person, second.id)
    attendance.stop(derby, co, person, second.id)  # tried it, stopped: still offered
    buddy = buddy_for(derby, co, person)
    match = matches.propose(derby, co, person, buddy.id)
    matches.update(derby, co, match.id, MatchStatus.ACCEPTED, None)
    closed = close(derby, co, referral)

    found = referrals.summary(derby, gp, closed)
    assert found is not None
    assert (found.outcome, found.closed_on) == (ReferralStatus.COMPLETED, date.today())
    today = date.today()
    assert sorted((g.activity.id, g.since, g.until) for g in found.activities) == sorted(
        [(first.id, today, None), (second.id, today, today)]
    )
    assert all(g.venue is not None and g.venue.id == g.activity.venue_id for g in found.activities)
    assert found.buddy == referrals.BUDDY == "a volunteer buddy"
    assert buddy.name not in repr(found) and buddy.id not in repr(found)
    assert referrals.summary(derby, co, closed) == found  # a coordinator sees the same


def test_a_buddy_counts_only_when_agreed_while_the_referral_was_open(derby: Kith) -> None:
    (gp, _), (co, _) = account(derby, "Dr Boundary", Role.PRESCRIBER), account(
        derby, "Bea Boundary", Role.COORDINATOR)  # fmt: skip
    referral = refer(derby, gp, "Olive Proposed")
    taken_on(derby, co, referral)
    buddy = buddy_for(derby, co, referral.person_id)
    match = matches.propose(derby, co, referral.person_id, buddy.id)
    closed = close(derby, co, referral)
    assert (found := referrals.summary(derby, gp, closed)) is not None
    assert found.buddy is None and found.activities == []  # proposed is not agreed

    matches.update(derby, co, match.id, MatchStatus.ACCEPTED, None)  # after it closed
    assert (later := referrals.summary(derby, gp, closed)) is not None and later.buddy is None


def test_a_declined_referral_has_a_summary_that_offered_nothing(derby: Kith) -> None:
    (gp, _), (co, _) = account(derby, "Dr Declined", Role.PRESCRIBER), account(
        derby, "Dee Decliner", Role.COORDINATOR)  # fmt: skip
    referral = referral_states.decline(
        derby, co, refer(derby, gp, "Pam Declined").id, "out of area"
    )
    found = referrals.summary(derby, gp, referral)
    assert found is not None and found.outcome is ReferralStatus.DECLINED
    assert found.activities == [] and found.buddy is None


def test_only_who_may_see_the_referral_gets_its_summary_and_each_read_is_audited(
    derby: Kith,
) -> None:
    (gp, _), (other, _) = account(derby, "Dr Mine", Role.PRESCRIBER), account(
        derby, "Dr Theirs", Role.PRESCRIBER)  # fmt: skip
    (co, _), (volunteer, _) = account(derby, "Col Coord", Role.COORDINATOR), account(
        derby, "Val Volunteer", Role.VOLUNTEER)  # fmt: skip
    referral = refer(derby, gp, "Queenie Private")
    taken_on(derby, co, referral)
    closed = close(derby, co, referral)

    mark = audit.now()
    with pytest.raises(NotFound):
        referrals.summary(derby, other, closed)
    with pytest.raises(Forbidden):
        referrals.summary(derby, volunteer, closed)
    with pytest.raises(Unauthenticated):
        referrals.summary(derby, None, closed)
    assert not [e for e in audit.about(derby.store, referral.person_id) if e.at >= mark]

    assert referrals.summary(derby, gp, closed) is not None
    done = {(e.action, e.actor, e.outcome) for e in audit.about(derby.store, referral.person_id)
            if e.at >= mark}  # fmt: skip
    assert done == {("person.read", gp.id, "allowed"), ("attendance.read", gp.id, "allowed"),
                    ("wellbeing.read", gp.id, "allowed")}  # fmt: skip


def test_graphql_shows_the_summary_once_closed_to_the_referrer_and_never_the_buddy(
    client: TestClient, derby: Kith
) -> None:
    (gp, gp_token), (other, other_token) = account(derby, "Dr Graph", Role.PRESCRIBER), account(
        derby, "Dr Elsewhere", Role.PRESCRIBER)  # fmt: skip
    co, co_token = account(derby, "Gwen Graph", Role.COORDINATOR)
    referral = refer(derby, gp, "Rita Graphed")
    person = referral.person_id

    body = call(client, GET, gp_token, id=referral.id)
    assert body == {"data": {"referral": {"id": referral.id, "status": "RECEIVED",
                                          "summary": None}}}  # fmt: skip

    taken_on(derby, co, referral)
    activity = suggestions.for_person(derby, co, person, first=1)[0].target
    attendance.attend(derby, co, person, activity.id)
    for timepoint, answers in (("BASELINE", [1, 2, 2]), ("FOLLOW_UP", [1, 1, 1])):
        wellbeing.record(derby, co, person, {"measure": "UCLA3", "timepoint": timepoint,
                                             "answers": answers})  # fmt: skip
    buddy = buddy_for(derby, co, person)
    match = matches.propose(derby, co, person, buddy.id)
    matches.update(derby, co, match.id, MatchStatus.ACCEPTED, None)
    close(derby, co, referral)

    body = call(client, GET, gp_token, id=referral.id)
    assert "errors" not in body, body
    summary = body["data"]["referral"]["summary"]
    assert summary["outcome"] == "COMPLETED" and summary["closedOn"] == date.today().isoformat()
    assert summary["buddy"] == "a volunteer buddy"
    lonely = {"measure": "UCLA3", "score": "loneliness", "baseline": 5.0, "latest": 3.0,
              "change": -2.0, "verdict": "BETTER"}  # fmt: skip
    assert summary["wellbeing"] == [lonely]
    (offered,) = summary["activities"]
    assert offered["activity"]["id"] == activity.id and offered["activity"]["name"]
    assert offered["since"] == date.today().isoformat() and offered["until"] is None
    for token in (gp_token, co_token):
        text = client.post("/graphql", json={"query": LIST},
                           headers={"Authorization": f"Bearer {token}"}).text  # fmt: skip
        assert buddy.name not in text and buddy.id not in text

    listed = call(client, LIST, gp_token)["data"]["referrals"]["edges"]
    assert [e["node"]["summary"] for e in listed if e["node"]["id"] == referral.id] == [summary]
    assert call(client, GET, co_token, id=referral.id)["data"]["referral"]["summary"] == summary

    refused = call(client, GET, other_token, id=referral.id)
    assert refused["data"]["referral"] is None
    assert refused["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    assert other.id and "summary" not in str(refused["errors"])
