"""Who a listing is for: the hard rule that an activity is never suggested to someone it is
not for, and the words that say so when it narrows who may come.

The rule follows the eligibility of ORUK / HSDS 3.0 (``minimum_age`` and ``maximum_age`` on a
service, inclusive) and adds the genders a listing is for, which those standards leave to
free text. Kith records a birth year, not a date of birth, so a person is one of two ages this
year (``year - birth_year`` before their birthday, minus one) and is kept out only when both
are outside the range: a hard rule must not shut someone out on a guess.

Unknown is decided so: a person whose gender or age is not recorded still sees every listing
open to all; an age-restricted listing is shown to someone whose age is unknown (the organiser
asks at the door, as they would anyway); a gender-restricted listing is not shown unless their
gender is recorded (UNDISCLOSED counts as not recorded), because suggesting a women-only group
to someone who may be a man is the mistake this rule exists to prevent.
"""

from __future__ import annotations

from datetime import date

from kith.domain import Eligibility, Gender, Person, Reason, ReasonCode

MAX_AGE = 120
"""Ages a listing may state: 0 to 120, whole years."""

FOR_GENDER = {
    Gender.FEMALE: "women",
    Gender.MALE: "men",
    Gender.NON_BINARY: "non-binary people",
}
"""The genders a listing may be for, in words; UNDISCLOSED is a person's answer, not a group."""


def possible_ages(birth_year: int, today: date) -> tuple[int, int]:
    """The youngest and oldest a person born in ``birth_year`` can be on ``today``."""
    oldest = today.year - birth_year
    return oldest - 1, oldest


def gender_rule(eligibility: Eligibility, gender: Gender | None) -> str | None:
    """None when the person's gender is one the listing is for (or it is for any), else why not."""
    if not eligibility.genders:
        return None
    if gender is None or gender is Gender.UNDISCLOSED:
        return "gender-unknown"
    return None if gender in eligibility.genders else "not-for-gender"


def age_rule(eligibility: Eligibility, birth_year: int | None, today: date) -> str | None:
    """None when the person may be of an age the listing is for (or their age is unknown)."""
    if birth_year is None:
        return None
    youngest, oldest = possible_ages(birth_year, today)
    if eligibility.min_age is not None and oldest < eligibility.min_age:
        return "too-young"
    if eligibility.max_age is not None and youngest > eligibility.max_age:
        return "too-old"
    return None


def eligible(person: Person, eligibility: Eligibility, today: date) -> str | None:
    """None when a listing with ``eligibility`` may be suggested to ``person``, else why not
    ("not-for-gender", "gender-unknown", "too-young", "too-old")."""
    return gender_rule(eligibility, person.gender) or age_rule(
        eligibility, person.birth_year, today
    )


def ages_text(low: int | None, high: int | None) -> str | None:
    """The ages of a listing in words, or None when it states none."""
    if low is not None and high is not None:
        return f"aged {low} to {high}"
    if low is not None:
        return f"aged {low} and over"
    return f"aged up to {high}" if high is not None else None


def describe(eligibility: Eligibility) -> str | None:
    """Who a listing is for in words ("for women aged 60 and over"), or None when open to all:
    the reason shown on a suggestion, and the ORUK ``eligibility_description`` exported."""
    if eligibility.open:
        return None
    who = " and ".join(FOR_GENDER[g] for g in sorted(eligibility.genders, key=lambda g: g.value))
    ages = ages_text(eligibility.min_age, eligibility.max_age)
    return "for " + " ".join(part for part in (who or "people", ages) if part)


def note(eligibility: Eligibility) -> list[Reason]:
    """A zero-weight reason saying who the listing is for: it explains, it does not score
    (everyone it is suggested to is someone it is for)."""
    text = describe(eligibility)
    return [Reason(ReasonCode.ELIGIBILITY, text, 0.0)] if text else []
