"""Someone to go along: free when the activity meets, near both the person and the venue."""

from __future__ import annotations

from typing import Any

from kith.domain import Availability, BuddyCandidate, DayPart, Session, Weekday
from matching.companions import eligible_companion, suggest_companions

from .worlds import TAXONOMY, TODAY, activity, adds_up, ids, person, texts, volunteer

TUESDAY_AM = Availability(Weekday.TUESDAY, DayPart.MORNING)
FRIDAY_PM = Availability(Weekday.FRIDAY, DayPart.AFTERNOON)
SESSIONS = [Session(Weekday.TUESDAY, "10:00"), Session(Weekday.FRIDAY, "14:30")]
CLUB = activity("club", 2.0, interests=["gardening"], sessions=SESSIONS)


def companion(pid: str, km_north: float = 0.0, **kw: Any) -> BuddyCandidate:
    kw.setdefault("availability", [TUESDAY_AM])
    return volunteer(pid, km_north, **kw)


def suggest(*candidates: BuddyCandidate, **me: Any) -> list:
    return suggest_companions(person(**me), CLUB.activity, CLUB.venue, list(candidates),
                              TAXONOMY, TODAY)  # fmt: skip


def why(candidate: BuddyCandidate) -> str | None:
    return eligible_companion(person(), candidate, CLUB.activity, CLUB.venue, TODAY)


def test_only_volunteers_free_at_a_session() -> None:
    monday = companion("monday", availability=[Availability(Weekday.MONDAY, DayPart.MORNING)])
    tuesday_evening = companion(
        "late", availability=[Availability(Weekday.TUESDAY, DayPart.EVENING)]
    )
    assert why(monday) == why(tuesday_evening) == "not-free-at-a-session"
    found = suggest(
        monday, tuesday_evening, companion("ok"), companion("fri", availability=[FRIDAY_PM])
    )
    assert sorted(ids(found)) == ["fri", "ok"]


def test_near_both_the_person_and_the_venue() -> None:
    # 1.5 km south of home is 3.5 km from the venue 2 km north: past a 3 km limit
    south = companion("south", -1.5, profile={"max_travel_km": 3.0})
    assert why(south) == "too-far-from-venue"
    assert why(companion("far", 6.0)) == "too-far"
    assert why(companion("between", 1.0, profile={"max_travel_km": 3.0})) is None


def test_buddy_rules_hold_but_their_own_buddy_is_welcome() -> None:
    assert why(companion("new", profile={"approved": False})) == "not-approved"
    assert why(companion("nodbs", profile={"dbs_checked_on": None})) == "dbs-expired"
    assert why(companion("busy", active=2)) == "at-capacity"
    assert why(companion("mine", already=True)) is None


def test_sharing_the_interest_ranks_first_with_reasons() -> None:
    plain, gardener = companion("plain", 1.0), companion("gardener", 1.0, interests=["gardening"])
    found = suggest(plain, gardener)
    assert ids(found) == ["gardener", "plain"]
    assert all(adds_up(s) for s in found)
    reasons = texts(found[0])
    assert "enjoys gardening too" in reasons
    assert "lives 1.0 km away, 1.0 km from Hall club" in reasons
    assert "free on Tuesday mornings, when it meets" in reasons


def test_a_session_the_person_is_free_at_counts() -> None:
    tue, fri = companion("tue", 1.0), companion("fri", 1.0, availability=[FRIDAY_PM])
    assert ids(suggest(tue, fri, availability=[FRIDAY_PM])) == ["fri", "tue"]


def test_nobody_for_someone_without_consent() -> None:
    assert suggest(companion("ok"), consent_to_matching=False) == []
