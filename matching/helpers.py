"""Practical help (issue 16): which volunteers to ask to fetch a prescription, do some shopping,
look in on someone, give a lift or clear the snow, and why.

A helper must offer that need, be approved, have room (fewer people than their capacity) and
live within their own travel limit of the person; the rest are ranked by nearness and by the
times both are free. What the need itself asks of them is a hard rule, never a score, so it
is shown as a reason of weight 0 (as a respected preference is for buddies).

Which needs ask for a DBS check (``NEEDS_DBS``), from the Safeguarding Vulnerable Groups Act
2006, Schedule 4 paragraph 7, as the Protection of Freedoms Act 2012 (section 66) amended it:
help given to an adult because of their age, illness or disability with their cash, bills or
shopping, and conveying them to or from health care ("relevant transport"), are regulated
activity, for which the Disclosure and Barring Service gives an enhanced check with the
adults' barred list. So SHOPPING (buying for someone with their money) and LIFTS need one.
CHECK_IN is not regulated activity in itself, but it is time alone with someone in their own
home, the one-to-one contact for which Kith already asks every befriending buddy for a check
(``Weights.dbs_valid_years``), so it needs one too. Collecting a prescription the pharmacy
has already dispensed and paid for, or clearing a path, handles neither money nor care and is
no time alone with the person: asking for a check there would only put off helpers for the
errands most wanted on a snowy day.
"""

from __future__ import annotations

from datetime import date

from kith.domain import BuddyCandidate, Person, PracticalNeed, Reason, ReasonCode, Suggestion

from .explain import availability_component, mix, nearness_component, ranked, suggestion
from .rules import dbs_current, distance, within_reach
from .weights import DEFAULT, Part, Weights

NEEDS_DBS = frozenset({PracticalNeed.SHOPPING, PracticalNeed.CHECK_IN, PracticalNeed.LIFTS})
"""Needs that are regulated activity, or time alone in someone's home (module docstring)."""

HELPER_MIX = {Part.NEARNESS: 0.6, Part.AVAILABILITY: 0.4}
"""Errands are short and often urgent: someone round the corner can go today, so nearness
counts most; being free when the person is makes it easy to arrange."""

OFFERS = {
    PracticalNeed.PRESCRIPTIONS: "collects prescriptions",
    PracticalNeed.SHOPPING: "helps with shopping",
    PracticalNeed.CHECK_IN: "looks in on people at home",
    PracticalNeed.LIFTS: "gives lifts",
    PracticalNeed.SNOW_CLEARING: "clears snow",
}


def eligible_helper(
    person: Person,
    candidate: BuddyCandidate,
    need: PracticalNeed,
    today: date,
    weights: Weights = DEFAULT,
) -> str | None:
    """None when ``candidate`` may be asked to help ``person`` with ``need``, else why not."""
    helper, volunteer = candidate.person, candidate.person.volunteer
    if not (person.consent_to_matching and helper.consent_to_matching):
        return "no-consent"
    if helper.id == person.id:
        return "self"
    if volunteer is None:
        return "not-a-volunteer"
    if not volunteer.approved:
        return "not-approved"
    if need not in volunteer.helps:
        return "does-not-help-with"
    if need in NEEDS_DBS and not dbs_current(volunteer.dbs_checked_on, today,
                                             weights.dbs_valid_years):  # fmt: skip
        return "dbs-expired"
    if candidate.active_buddies >= volunteer.capacity:
        return "at-capacity"
    return within_reach(person, helper, volunteer.max_travel_km)


def suggest_helpers(
    person: Person,
    need: PracticalNeed,
    candidates: list[BuddyCandidate],
    today: date,
    first: int = 5,
    weights: Weights = DEFAULT,
) -> list[Suggestion]:
    """The best ``first`` volunteers to help ``person`` with ``need``, best first, with
    reasons; nobody who has not consented to matching gets any."""
    parts = {Part.NEARNESS} | ({Part.AVAILABILITY} if person.availability else set())
    units = mix(HELPER_MIX, parts)
    allowed = [
        c.person for c in candidates if eligible_helper(person, c, need, today, weights) is None
    ]
    return ranked((score(person, h, need, units, weights) for h in allowed), first)


def score(
    person: Person, helper: Person, need: PracticalNeed, units: dict[Part, int], weights: Weights
) -> Suggestion:
    """One eligible helper, scored and explained."""
    km = distance(person, helper)
    assert km is not None and helper.volunteer is not None, "eligible_helper guarantees both"
    components = {
        Part.NEARNESS: nearness_component(km, helper.volunteer.max_travel_km, "lives {km} away"),
        Part.AVAILABILITY: availability_component(
            set(person.availability) & set(helper.availability),
            weights.buddy_slots_for_full,
            "free on {slots}",
        ),
    }
    return suggestion(helper, km, components, units, [offer(need)])


def offer(need: PracticalNeed) -> Reason:
    """What the helper offers, as a reason of weight 0: a hard rule explains, never scores."""
    checked = ", DBS checked" if need in NEEDS_DBS else ""
    return Reason(ReasonCode.PRACTICAL_HELP, f"{OFFERS[need]}{checked}", 0.0)
