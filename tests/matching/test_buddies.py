"""Buddy suggestions: the hard rules hold, and the order and reasons make sense."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from kith.domain import (
    Availability,
    BuddyCandidate,
    DayPart,
    Gender,
    Person,
    ReasonCode,
    Suggestion,
    Weekday,
)
from matching.buddies import suggest_buddies
from matching.rules import eligible_buddy
from matching.weights import DEFAULT, Weights

from .worlds import TAXONOMY, TODAY, adds_up, ids, person, texts, volunteer


def suggest(
    me: Person, *candidates: BuddyCandidate, rarity: dict[str, float] | None = None, **kw: Any
) -> list[Suggestion]:
    return suggest_buddies(me, list(candidates), TAXONOMY, rarity or {}, TODAY, **kw)


def on(where: str, **values: Any) -> Callable[[BuddyCandidate], None]:
    """A change to a candidate ("candidate"), their person record, or their volunteer profile."""

    def change(candidate: BuddyCandidate) -> None:
        target = {"candidate": candidate, "person": candidate.person}.get(where)
        for name, value in values.items():
            setattr(target or candidate.person.volunteer, name, value)

    return change


BROKEN_RULES = [
    ("no-consent", on("person", consent_to_matching=False)),
    ("self", on("person", id="p-me")),
    ("not-a-volunteer", on("person", volunteer=None)),
    ("not-approved", on("profile", approved=False)),
    ("dbs-expired", on("profile", dbs_checked_on=None)),
    ("dbs-expired", on("profile", dbs_checked_on=date(2023, 11, 22))),
    ("dbs-expired", on("profile", dbs_checked_on=date(2026, 11, 24))),
    ("at-capacity", on("candidate", active_buddies=2)),
    ("declined-before", on("candidate", declined_by_person=True)),
    ("already-buddy", on("candidate", already_buddy=True)),
    ("gender-preference", on("person", gender=Gender.MALE)),
    ("gender-preference", on("person", gender=None)),
    ("no-common-language", on("person", languages=["polish"])),
    ("too-far", on("profile", max_travel_km=0.5)),
    ("no-location", on("person", latitude=None)),
]


@pytest.mark.parametrize(("code", "change"), BROKEN_RULES, ids=[c for c, _ in BROKEN_RULES])
def test_each_hard_rule_keeps_a_volunteer_out(
    code: str, change: Callable[[BuddyCandidate], None]
) -> None:
    me = person(buddy_gender=Gender.FEMALE, languages=["english"])
    candidate = volunteer("p-v", km_north=1.0, gender=Gender.FEMALE, languages=["english"])
    change(candidate)
    assert eligible_buddy(me, candidate, TODAY) == code
    assert suggest(me, candidate) == []


def test_a_volunteer_who_keeps_every_rule_is_suggested() -> None:
    me = person(buddy_gender=Gender.FEMALE, languages=["english"])
    candidate = volunteer("p-v", km_north=1.0, gender=Gender.FEMALE, languages=["english"])
    assert eligible_buddy(me, candidate, TODAY) is None
    assert ids(suggest(me, candidate)) == ["p-v"]


def test_nobody_is_suggested_to_someone_who_has_not_consented() -> None:
    me = person(consent_to_matching=False, interests=["knitting"])
    assert suggest(me, volunteer("p-v", interests=["knitting"])) == []


def test_a_dbs_check_is_current_for_exactly_three_years() -> None:
    me = person()
    on_the_day = volunteer("p-v", profile={"dbs_checked_on": date(2023, 11, 23)})
    assert eligible_buddy(me, on_the_day, TODAY) is None
    strict = Weights(dbs_valid_years=2)
    assert eligible_buddy(me, on_the_day, TODAY, strict) == "dbs-expired"


def test_the_travel_limit_is_the_volunteers() -> None:
    me = person()
    assert ids(suggest(me, volunteer("p-v", km_north=4.5))) == ["p-v"]
    assert suggest(me, volunteer("p-v", km_north=5.5)) == []


def test_unknown_languages_on_either_side_are_not_a_mismatch() -> None:
    assert eligible_buddy(person(languages=["polish"]), volunteer("p-v"), TODAY) is None
    assert eligible_buddy(person(), volunteer("p-v", languages=["urdu"]), TODAY) is None


def test_a_rare_shared_interest_says_more_than_a_common_one() -> None:
    me = person(interests=["antiques", "gardening"])
    rare = volunteer("p-rare", interests=["antiques"])
    common = volunteer("p-common", interests=["gardening"])
    found = suggest(me, common, rare, rarity={"antiques": 0.02, "gardening": 0.5})
    assert ids(found) == ["p-rare", "p-common"]
    assert "both enjoy antiques" in texts(found[0])


def test_a_related_interest_counts_less_than_the_same_one() -> None:
    me = person(interests=["knitting"])
    same, related = (
        volunteer("p-same", interests=["knitting"]),
        volunteer("p-rel", interests=["crochet"]),
    )
    found = suggest(me, related, same)
    assert ids(found) == ["p-same", "p-rel"]
    reason = next(r for r in found[1].reasons if r.code is ReasonCode.RELATED_INTEREST)
    assert reason.text == "both enjoy crafts (crochet and knitting)"


def test_a_parent_interest_is_related_and_named_once() -> None:
    found = suggest(person(interests=["music"]), volunteer("p-v", interests=["singing"]))
    assert "both enjoy music (singing)" in texts(found[0])


def test_lived_experience_of_the_same_condition_counts_most() -> None:
    me = person(conditions=["copd"])
    same = volunteer("p-same", km_north=2.0, conditions=["copd"])
    broader = volunteer("p-broad", km_north=2.0, conditions=["respiratory"])
    other = volunteer("p-other", conditions=["diabetes"])
    found = suggest(me, other, broader, same)
    assert ids(found) == ["p-same", "p-broad", "p-other"]
    assert "has lived experience of COPD" in texts(found[0])
    assert "has lived experience of respiratory conditions" in texts(found[1])


def test_without_english_a_shared_language_decides() -> None:
    me = person(languages=["polish"], interests=["knitting"])
    speaks = volunteer("p-polish", km_north=4.0, languages=["polish", "english"])
    nearer_knitter = volunteer("p-knits", km_north=0.2, interests=["knitting"])
    found = suggest(me, nearer_knitter, speaks)
    assert ids(found) == ["p-polish", "p-knits"]
    assert "both speak Polish" in texts(found[0])


def test_without_english_a_buddy_without_the_language_scores_much_lower() -> None:
    me = person(languages=["polish"], interests=["knitting"])
    alike = {"km_north": 1.0, "interests": ["knitting"]}
    speaks, unknown = volunteer("p-a", languages=["polish"], **alike), volunteer("p-b", **alike)
    found = suggest(me, unknown, speaks)
    assert found[0].score - found[1].score == pytest.approx(DEFAULT.buddy_language_without_english)


def test_a_shared_home_language_counts_more_than_english() -> None:
    me = person(languages=["english", "punjabi"])
    both = volunteer("p-both", languages=["punjabi", "english"])
    english = volunteer("p-english", languages=["english"])
    found = suggest(me, english, both)
    assert ids(found) == ["p-both", "p-english"]
    assert set(texts(found[0])) == {"both speak Punjabi", "lives under 0.1 km away"}
    assert "both speak English" in texts(found[1])


def test_shared_free_time_is_a_reason() -> None:
    tuesday = Availability(Weekday.TUESDAY, DayPart.AFTERNOON)
    friday = Availability(Weekday.FRIDAY, DayPart.MORNING)
    me = person(availability=[friday, tuesday])
    found = suggest(me, volunteer("p-v", availability=[tuesday, friday]))
    assert "free on Tuesday afternoons and Friday mornings" in texts(found[0])


def test_a_respected_preference_explains_but_weighs_nothing() -> None:
    me = person(buddy_gender=Gender.FEMALE)
    [found] = suggest(me, volunteer("p-v", gender=Gender.FEMALE))
    note = found.reasons[-1]
    assert (note.code, note.text, note.weight) == (ReasonCode.PREFERENCE, "a woman, as asked", 0)
    assert adds_up(found)


def test_ties_go_to_the_nearer_then_the_lower_id() -> None:
    me = person(interests=["knitting"])
    found = suggest(
        me,
        volunteer("p-c", km_north=1.0, profile={"max_travel_km": 2.0}),
        volunteer("p-b", km_north=2.0, profile={"max_travel_km": 4.0}),
        volunteer("p-a", km_north=1.0, profile={"max_travel_km": 2.0}),
    )
    assert found[0].score == found[1].score == found[2].score
    assert ids(found) == ["p-a", "p-c", "p-b"]


def test_first_limits_the_list_and_every_score_adds_up() -> None:
    me = person(interests=["knitting"], languages=["english"])
    candidates = [volunteer(f"p-{i}", km_north=i / 2, interests=["knitting"]) for i in range(8)]
    found = suggest(me, *candidates, first=3)
    assert ids(found) == ["p-0", "p-1", "p-2"]
    assert all(adds_up(s) for s in found)


def test_weights_must_add_up() -> None:
    with pytest.raises(ValueError, match="add up to 1"):
        Weights(buddy_interests=0.5)
    assert sum(DEFAULT.buddy_mix().values()) == pytest.approx(1.0)
