"""The hard rules of matching: what is never suggested, whatever it would score.

Each ``eligible_*`` function returns None when a suggestion is allowed, or a short code saying
why not ("dbs-expired", "too-far"...), so that callers and tests can tell which rule held.
graph/ applies what it can in its queries; these run again on whatever it hands over, so a
query that forgot a filter still cannot suggest someone it must not.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from kith.domain import (
    AccessNeed,
    Activity,
    ActivityCandidate,
    Audience,
    BuddyCandidate,
    Gender,
    ListingStatus,
    Person,
    Place,
    Venue,
    VolunteerProfile,
)

from .eligibility import eligible
from .geo import distance_km
from .weights import DEFAULT, Weights

VENUE_FEATURE = {
    AccessNeed.STEP_FREE: ("step_free", "not-step-free"),
    AccessNeed.HEARING_LOOP: ("hearing_loop", "no-hearing-loop"),
    AccessNeed.ACCESSIBLE_TOILET: ("accessible_toilet", "no-accessible-toilet"),
}
"""Each access need: the venue field that meets it, and the code when it does not."""


def position(thing: Person | Venue | Place) -> tuple[float, float] | None:
    """Where a person, venue or place is, or None when it has no coordinates."""
    if thing.latitude is None or thing.longitude is None:
        return None
    return thing.latitude, thing.longitude


def distance(a: Person | Venue | Place, b: Person | Venue | Place) -> float | None:
    """Great-circle kilometres between two things, or None when either has no position."""
    here, there = position(a), position(b)
    return None if here is None or there is None else distance_km(here, there)


def within_reach(
    a: Person | Venue | Place, b: Person | Venue | Place, limit_km: float
) -> str | None:
    """Distance limits are hard rules, so an unknown distance fails them too ("no-location")."""
    km = distance(a, b)
    if km is None:
        return "no-location"
    return "too-far" if km > limit_km else None


def years_before(day: date, years: int) -> date:
    """The same calendar day ``years`` earlier (29 February falls back to the 28th)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def dbs_current(checked_on: date | None, today: date, valid_years: int) -> bool:
    """A DBS check counts when it exists, is at most ``valid_years`` old, and is not dated in
    the future (a future date is a typing error, not a check)."""
    return checked_on is not None and years_before(today, valid_years) <= checked_on <= today


def vetted(volunteer: VolunteerProfile, today: date, valid_years: int) -> bool:
    """A volunteer the centre approved, whose DBS check is current."""
    return volunteer.approved and dbs_current(volunteer.dbs_checked_on, today, valid_years)


def gender_fits(wanted: Gender | None, actual: Gender | None) -> bool:
    """A stated buddy gender is respected; an unknown gender does not meet it."""
    return wanted is None or actual == wanted


def common_language(mine: Iterable[str], theirs: Iterable[str]) -> bool:
    """Two people share a language, or we cannot tell because either listed none."""
    a, b = set(mine), set(theirs)
    return not a or not b or bool(a & b)


def eligible_buddy(
    person: Person, candidate: BuddyCandidate, today: date, weights: Weights = DEFAULT
) -> str | None:
    """None when ``candidate`` may be suggested to ``person`` as a one-to-one buddy, else why not.

    Consent is checked on both sides: someone who has not consented to matching is neither a
    candidate nor shown one. The travel limit is the volunteer's, who does the travelling.
    """
    buddy, volunteer = candidate.person, candidate.person.volunteer
    if not (person.consent_to_matching and buddy.consent_to_matching):
        return "no-consent"
    if buddy.id == person.id:
        return "self"
    if volunteer is None:
        return "not-a-volunteer"
    if not vetted(volunteer, today, weights.dbs_valid_years):
        return "dbs-expired" if volunteer.approved else "not-approved"
    if candidate.active_buddies >= volunteer.capacity:
        return "at-capacity"
    if candidate.declined_by_person:
        return "declined-before"
    if candidate.already_buddy:
        return "already-buddy"
    if not gender_fits(person.buddy_gender, buddy.gender):
        return "gender-preference"
    if not common_language(person.languages, buddy.languages):
        return "no-common-language"
    return within_reach(person, buddy, volunteer.max_travel_km)


def access_needs(
    own: Iterable[AccessNeed], activity: Activity, carer_of: Iterable[Person] = ()
) -> set[AccessNeed]:
    """The access needs a venue must meet for someone with ``own`` needs to go to ``activity``.

    A carer going to an activity that supports the condition of someone they care for will
    usually bring them, so that person's needs count too (matched on the recorded term ids).
    """
    needs = set(own)
    for cared_for in carer_of:
        if set(cared_for.conditions) & set(activity.supports):
            needs |= set(cared_for.access_needs)
    return needs


def has_feature(venue: Venue, need: AccessNeed) -> bool:
    """Whether the venue is known to meet an access need; unknown does not count."""
    return getattr(venue, VENUE_FEATURE[need][0]) is True


def unmet_access(needs: Iterable[AccessNeed], venue: Venue) -> str | None:
    """The code of the first access need the venue does not meet, in a stable order."""
    unmet = sorted((n for n in needs if not has_feature(venue, n)), key=lambda n: n.value)
    return VENUE_FEATURE[unmet[0]][1] if unmet else None


def eligible_activity_at(
    here: Person | Place,
    candidate: ActivityCandidate,
    needs: Iterable[AccessNeed],
    radius_km: float,
) -> str | None:
    """The rules every activity suggestion keeps, with or without a person: running (not
    closed, even for a while), open to adults, meeting the access needs, inside the radius."""
    if candidate.activity.status is not ListingStatus.ACTIVE:
        return "closed"
    if candidate.activity.audience is Audience.CHILDREN:
        return "children-only"
    return unmet_access(needs, candidate.venue) or within_reach(here, candidate.venue, radius_km)


def eligible_activity(
    person: Person,
    candidate: ActivityCandidate,
    carer_of: Iterable[Person] = (),
    radius_km: float | None = None,
    weights: Weights = DEFAULT,
    today: date | None = None,
) -> str | None:
    """None when ``candidate`` may be suggested to ``person``, else why not.

    Access needs are filters, not preferences: a venue with steps is never suggested to
    someone who needs step-free access, however well it fits otherwise. Nor is an activity
    suggested to someone it is not for (matching/eligibility.py: gender and age).
    """
    if not person.consent_to_matching:
        return "no-consent"
    unfit = eligible(person, candidate.activity.eligibility, today or date.today())
    if unfit:
        return unfit
    radius = weights.default_activity_radius_km if radius_km is None else radius_km
    needs = access_needs(person.access_needs, candidate.activity, carer_of)
    return eligible_activity_at(person, candidate, needs, radius)
