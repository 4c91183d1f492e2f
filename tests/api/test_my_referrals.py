"""A prescriber's own referrals through the service (kith/referrals.py): newest first, with the
referral and where each person is now, audited, and nobody else's."""

from __future__ import annotations

from datetime import date

import pytest

from kith import (
    accounts,
    attendance,
    audit,
    matches,
    people,
    referral_states,
    referrals,
    suggestions,
)
from kith.accounts import Account, Role
from kith.domain import MatchStatus, ReferralStatus
from kith.errors import Forbidden, InvalidInput, NotFound, Unauthenticated
from kith.service import Kith


def referral_form(name: str) -> dict:
    return {"name": name, "birth_year": 1948, "place": {"postcode": "DE22 3AB"},
            "interests": ["knitting"], "conditions": ["COPD"], "languages": ["English"],
            "consent_to_matching": True}  # fmt: skip


def account(kith: Kith, name: str, role: Role) -> Account:
    return accounts.add(kith.store, name, role)[0]


def test_a_prescriber_sees_their_own_referrals_newest_first_with_where_each_is_now(
    derby: Kith,
) -> None:
    gp, other = account(derby, "Dr One", Role.PRESCRIBER), account(derby, "Dr Two", Role.PRESCRIBER)
    coordinator = account(derby, "Co Ordinator", Role.COORDINATOR)
    assert referrals.mine(derby, gp) == []

    first = people.refer(derby, gp, referral_form("Ivy Firstreferred"), "lonely", "ROUTINE")
    second = people.refer(derby, gp, referral_form("Ada Secondreferred"), "isolated", "URGENT")
    theirs = people.refer(derby, other, referral_form("Not Yours"), "low mood", "SOON")
    one, two = first.person.id, second.person.id

    buddy = suggestions.buddies(derby, coordinator, one, first=1)[0].target.id
    match = matches.propose(derby, coordinator, one, buddy)
    matches.update(derby, coordinator, match.id, MatchStatus.ACCEPTED, None)
    matches.propose(derby, coordinator, two, buddy)
    activity = suggestions.for_person(derby, coordinator, two, first=1)[0].target
    attendance.attend(derby, coordinator, two, activity.id)

    mark = audit.now()
    listed = referrals.mine(derby, gp)
    assert [r.person.id for r in listed] == [two, one]  # newest first
    newest, oldest = listed
    assert (newest.referral.reason, newest.referral.urgency) == ("isolated", "URGENT")
    assert (oldest.referral.reason, oldest.referral.urgency) == ("lonely", "ROUTINE")
    assert newest.buddy is MatchStatus.PROPOSED and oldest.buddy is MatchStatus.ACCEPTED
    assert [g.activity.id for g in newest.going] == [activity.id] and oldest.going == []
    assert newest.going[0].venue is not None

    for person in (one, two):  # each person shown was an audited read, of ids only
        done = {(e.action, e.actor, e.outcome) for e in audit.about(derby.store, person)
                if e.at >= mark}  # fmt: skip
        assert done == {("person.read", gp.id, "allowed"), ("attendance.read", gp.id, "allowed")}
    assert not [e for e in audit.about(derby.store, theirs.person.id) if e.at >= mark]

    assert [r.person.id for r in referrals.mine(derby, other)] == [theirs.person.id]


def test_only_a_prescriber_has_referrals_to_list(derby: Kith) -> None:
    with pytest.raises(Unauthenticated):
        referrals.mine(derby, None)
    for role in (Role.COORDINATOR, Role.VOLUNTEER):
        with pytest.raises(Forbidden):
            referrals.mine(derby, account(derby, f"A {role.value.lower()}", role))


def test_a_referral_needs_a_known_urgency_and_writes_nothing_without_one(derby: Kith) -> None:
    gp = account(derby, "Dr Three", Role.PRESCRIBER)
    with pytest.raises(InvalidInput) as wrong:
        people.refer(derby, gp, referral_form("Nora Nowhere"), "lonely", "WHENEVER")
    assert wrong.value.field == "urgency"
    assert referrals.mine(derby, gp) == []


def test_each_referral_shows_its_state_and_the_coordinator_who_took_it_on(derby: Kith) -> None:
    gp = account(derby, "Dr Four", Role.PRESCRIBER)
    coordinator = account(derby, "Cora Ordinator", Role.COORDINATOR)
    made = people.refer(derby, gp, referral_form("Elsie Stateful"), "lonely", "ROUTINE")
    assert made.referral is not None
    (before,) = referrals.mine(derby, gp)
    assert before.referral.status is ReferralStatus.RECEIVED and before.coordinator is None
    referral_states.accept(derby, coordinator, made.referral.id, None)
    (after,) = referrals.mine(derby, gp)
    assert after.referral.status is ReferralStatus.ACCEPTED
    assert after.coordinator == "Cora Ordinator"


def test_each_referral_shows_when_it_was_taken_on_and_first_contact_and_once_closed_a_summary(
    derby: Kith,
) -> None:
    gp = account(derby, "Dr Five", Role.PRESCRIBER)
    coordinator = account(derby, "Cass Closer", Role.COORDINATOR)
    made = people.refer(derby, gp, referral_form("Flo Followed"), "lonely", "SOON").referral
    assert made is not None
    (entry,) = referrals.mine(derby, gp)
    assert (entry.accepted_on, entry.first_contact_on, entry.summary) == (None, None, None)

    referral_states.accept(derby, coordinator, made.id, None)
    referral_states.record_contact(derby, coordinator, made.id, None, None)
    (entry,) = referrals.mine(derby, gp)
    assert entry.accepted_on == entry.first_contact_on == date.today()
    assert entry.summary is None  # still open

    activity = suggestions.for_person(derby, coordinator, made.person_id, first=1)[0].target
    attendance.attend(derby, coordinator, made.person_id, activity.id)
    referral_states.close(derby, coordinator, made.id, ReferralStatus.COMPLETED, None)
    (entry,) = referrals.mine(derby, gp)
    assert entry.summary is not None
    assert entry.summary == referrals.summary(derby, gp, entry.referral)
    assert [g.activity.id for g in entry.summary.activities] == [activity.id]
    assert referrals.one(derby, gp, made.id) == entry


def test_one_referral_to_print_is_the_prescribers_own_only(derby: Kith) -> None:
    gp, other = (
        account(derby, "Dr Six", Role.PRESCRIBER),
        account(derby, "Dr Seven", Role.PRESCRIBER),
    )
    made = people.refer(derby, gp, referral_form("Gil Printed"), "lonely", "SOON").referral
    assert made is not None
    assert referrals.one(derby, gp, made.id).person.name == "Gil Printed"
    for nobody in (other, account(derby, "An Admin", Role.ADMIN)):
        with pytest.raises(NotFound):
            referrals.one(derby, nobody, made.id)
    with pytest.raises(NotFound):
        referrals.one(derby, gp, "ref-nothing")
    with pytest.raises(Forbidden):
        referrals.one(derby, account(derby, "Co Six", Role.COORDINATOR), made.id)
