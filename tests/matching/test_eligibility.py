"""Who a listing is for, as a hard rule (matching/eligibility.py, applied by matching/rules.py):
never suggested to someone it is not for, open-to-all listings for everyone, and unknown
gender kept from gender-restricted listings while unknown age is not kept from age ones."""

from __future__ import annotations

from datetime import date

import pytest

from kith.domain import Eligibility, Gender, ReasonCode
from matching.activities import activities_near, suggest_activities
from matching.eligibility import describe, eligible, possible_ages
from matching.rules import eligible_activity

from .worlds import HOME, TAXONOMY, TODAY, activity, adds_up, ids, person

WOMEN = Eligibility((Gender.FEMALE,))
MEN = Eligibility((Gender.MALE,))
OVER_60S = Eligibility(min_age=60)
UP_TO_25 = Eligibility(min_age=18, max_age=25)


def born(age: int) -> int:
    """The birth year of someone who turns ``age`` this year (TODAY's year)."""
    return TODAY.year - age


def test_gender_restricted_listings_are_for_those_genders_only() -> None:
    woman, man = person(gender=Gender.FEMALE), person(gender=Gender.MALE)
    assert eligible(woman, WOMEN, TODAY) is None
    assert eligible(man, WOMEN, TODAY) == "not-for-gender"
    assert eligible(woman, MEN, TODAY) == "not-for-gender"
    both = Eligibility((Gender.FEMALE, Gender.NON_BINARY))
    assert eligible(person(gender=Gender.NON_BINARY), both, TODAY) is None


@pytest.mark.parametrize("gender", [None, Gender.UNDISCLOSED])
def test_an_unrecorded_gender_sees_open_listings_but_not_gender_restricted_ones(
    gender: Gender | None,
) -> None:
    someone = person(gender=gender)
    assert eligible(someone, Eligibility(), TODAY) is None
    assert eligible(someone, OVER_60S, TODAY) is None
    assert eligible(someone, WOMEN, TODAY) == "gender-unknown"


def test_ages_are_inclusive_and_a_birth_year_gets_the_benefit_of_the_doubt() -> None:
    assert possible_ages(born(60), TODAY) == (59, 60)
    assert eligible(person(birth_year=born(40)), OVER_60S, TODAY) == "too-young"
    assert eligible(person(birth_year=born(60)), OVER_60S, TODAY) is None  # 60 this year
    assert eligible(person(birth_year=born(59)), OVER_60S, TODAY) == "too-young"
    assert eligible(person(birth_year=born(26)), UP_TO_25, TODAY) is None  # may still be 25
    assert eligible(person(birth_year=born(27)), UP_TO_25, TODAY) == "too-old"
    assert eligible(person(birth_year=born(17)), UP_TO_25, TODAY) == "too-young"


def test_an_unrecorded_age_is_not_shut_out_of_an_age_restricted_listing() -> None:
    assert eligible(person(), OVER_60S, TODAY) is None
    assert eligible(person(), UP_TO_25, TODAY) is None


def test_the_hard_rule_holds_in_eligible_activity_whatever_the_score() -> None:
    man = person(gender=Gender.MALE, birth_year=born(40), interests=["knitting"])
    women_only = activity("a-w", 0.5, interests=["knitting"], eligibility=WOMEN)
    over_60s = activity("a-o", 0.5, interests=["knitting"], eligibility=OVER_60S)
    assert eligible_activity(man, women_only, today=TODAY) == "not-for-gender"
    assert eligible_activity(man, over_60s, today=TODAY) == "too-young"


def test_suggestions_leave_out_what_is_not_for_them_and_say_who_it_is_for() -> None:
    candidates = [
        activity("a-women", 0.5, interests=["knitting"], eligibility=WOMEN),
        activity("a-men", 0.6, interests=["knitting"], eligibility=MEN),
        activity("a-60", 0.7, interests=["knitting"], eligibility=OVER_60S),
        activity("a-open", 0.8, interests=["knitting"]),
    ]
    woman = person(gender=Gender.FEMALE, birth_year=born(70), interests=["knitting"])
    found = suggest_activities(woman, candidates, TAXONOMY)
    assert set(ids(found)) == {"a-women", "a-60", "a-open"}
    by_id = {s.target.id: s for s in found}
    notes = [r for r in by_id["a-women"].reasons if r.code is ReasonCode.ELIGIBILITY]
    assert [(r.text, r.weight) for r in notes] == [("for women", 0.0)]
    assert all(r.code is not ReasonCode.ELIGIBILITY for r in by_id["a-open"].reasons)
    assert all(adds_up(s) for s in found)
    man = person(gender=Gender.MALE, birth_year=born(40), interests=["knitting"])
    assert set(ids(suggest_activities(man, candidates, TAXONOMY))) == {"a-men", "a-open"}
    unknown = person(interests=["knitting"])
    assert set(ids(suggest_activities(unknown, candidates, TAXONOMY))) == {"a-60", "a-open"}


def test_without_a_person_nothing_is_filtered_by_who_it_is_for() -> None:
    candidates = [activity("a-women", 0.5, eligibility=WOMEN), activity("a-open", 0.6)]
    found = activities_near(HOME, candidates, TAXONOMY, None, set(), set())
    assert set(ids(found)) == {"a-women", "a-open"}


@pytest.mark.parametrize(
    ("eligibility", "words"),
    [
        (Eligibility(), None),
        (WOMEN, "for women"),
        (OVER_60S, "for people aged 60 and over"),
        (Eligibility((Gender.MALE,), 18, 25), "for men aged 18 to 25"),
        (Eligibility(max_age=11), "for people aged up to 11"),
        (Eligibility((Gender.MALE, Gender.FEMALE)), "for women and men"),
    ],
)
def test_who_a_listing_is_for_in_words(eligibility: Eligibility, words: str | None) -> None:
    assert describe(eligibility) == words


def test_the_age_rule_reads_today_not_a_fixed_year() -> None:
    someone = person(birth_year=1966)
    assert eligible(someone, OVER_60S, date(2026, 6, 1)) is None
    assert eligible(someone, OVER_60S, date(2025, 6, 1)) == "too-young"
