"""Practical help: who may be asked to help with a need, in what order, and why."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from kith.domain import Availability, BuddyCandidate, DayPart, PracticalNeed, ReasonCode, Weekday
from matching.helpers import eligible_helper, suggest_helpers

from .worlds import TODAY, adds_up, ids, person, texts, volunteer

PRESCRIPTIONS, LIFTS = PracticalNeed.PRESCRIPTIONS, PracticalNeed.LIFTS
TUESDAY_AM = Availability(Weekday.TUESDAY, DayPart.MORNING)


def helper(
    pid: str, km_north: float = 0.0, helps: tuple = (PRESCRIPTIONS,), **kw: Any
) -> BuddyCandidate:
    profile = {"helps": list(helps), **kw.pop("profile", {})}
    return volunteer(pid, km_north, profile=profile, **kw)


def why(candidate: BuddyCandidate, need: PracticalNeed = PRESCRIPTIONS, **me: Any) -> str | None:
    return eligible_helper(person(**me), candidate, need, TODAY)


@pytest.mark.parametrize(
    ("candidate", "need", "expected"),
    [
        (helper("h"), PRESCRIPTIONS, None),
        (helper("h", profile={"approved": False}), PRESCRIPTIONS, "not-approved"),
        (helper("h", helps=(PracticalNeed.SHOPPING,)), PRESCRIPTIONS, "does-not-help-with"),
        (helper("h", 4.0, profile={"max_travel_km": 3.0}), PRESCRIPTIONS, "too-far"),
        (helper("h", active=2), PRESCRIPTIONS, "at-capacity"),
        (helper("h", consent_to_matching=False), PRESCRIPTIONS, "no-consent"),
        (helper("h", helps=(LIFTS,), profile={"dbs_checked_on": None}), LIFTS, "dbs-expired"),
        (helper("h", profile={"dbs_checked_on": None}), PRESCRIPTIONS, None),
        (helper("h", profile={"dbs_checked_on": date(2020, 1, 1)}), PRESCRIPTIONS, None),
    ],
)
def test_hard_rules(candidate: BuddyCandidate, need: PracticalNeed, expected: str | None) -> None:
    assert why(candidate, need) == expected


@pytest.mark.parametrize("need", list(PracticalNeed))
def test_a_dbs_check_only_where_the_need_asks_for_one(need: PracticalNeed) -> None:
    unchecked = helper("h", helps=(need,), profile={"dbs_checked_on": None})
    asks = need in {PracticalNeed.SHOPPING, PracticalNeed.CHECK_IN, PracticalNeed.LIFTS}
    assert why(unchecked, need) == ("dbs-expired" if asks else None)


def test_nobody_for_someone_without_consent() -> None:
    me = person(consent_to_matching=False)
    assert suggest_helpers(me, PRESCRIPTIONS, [helper("h")], TODAY) == []


def test_nearer_first_and_free_at_the_same_time_lifts() -> None:
    me = person(availability=[TUESDAY_AM])
    near, far = helper("near", 0.5), helper("far", 2.5)
    assert ids(suggest_helpers(me, PRESCRIPTIONS, [far, near], TODAY)) == ["near", "far"]
    far_free = helper("far", 2.5, availability=[TUESDAY_AM])
    found = suggest_helpers(me, PRESCRIPTIONS, [near, far_free], TODAY)
    assert ids(found) == ["far", "near"]
    assert "free on Tuesday mornings" in texts(found[0])


def test_reasons_add_up_and_name_the_help() -> None:
    found = suggest_helpers(person(), LIFTS, [helper("h", 1.0, helps=(LIFTS,))], TODAY)
    (only,) = found
    assert adds_up(only)
    offer = [r for r in only.reasons if r.code is ReasonCode.PRACTICAL_HELP]
    assert [(r.text, r.weight) for r in offer] == [("gives lifts, DBS checked", 0.0)]
    assert any(r.code is ReasonCode.NEARBY and r.text == "lives 1.0 km away" for r in only.reasons)


def test_first_limits_the_answer() -> None:
    many = [helper(f"h{i}", i * 0.3) for i in range(6)]
    assert ids(suggest_helpers(person(), PRESCRIPTIONS, many, TODAY, first=2)) == ["h0", "h1"]
