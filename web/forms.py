"""From an HTML form's strings to the plain dicts the service functions take, and from the
service's ``InvalidInput(field, ...)`` back to the input that was wrong.

Only the shape is checked here (is it a number, a day of the week); what values are allowed is
the service's to say, so the rules live in one place.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from starlette.datastructures import FormData

from kith.domain import DayPart, Person, TermKind, Weekday
from kith.errors import InvalidInput
from kith.people import URGENCIES
from matching.taxonomy import Taxonomy

DAYS = [d.value for d in Weekday]
PARTS = [p.value for p in DayPart]
SEPARATORS = re.compile(r"[,;\n]+")
# The service's field names (API.md's) → the form input each comes from.
INPUTS = {
    "place": "postcode", "postcode": "postcode", "maxTravelKm": "max_travel_km",
    "consentToMatching": "consent", "livedExperience": "lived_experience",
    "dbsCheckedOn": "dbs_checked_on", "radiusKm": "radius", "personId": "person",
    "birthYear": "birth_year",
}  # fmt: skip
# What each input is called in an error message, so that it reads alone (in the summary too).
LABELS = {
    "name": "Your name", "email": "Email", "phone": "Phone", "max_travel_km": "Travel distance",
    "capacity": "Number of people", "consent": "Consent", "login": "Sign-in name",
    "dbs_checked_on": "DBS check date", "radius": "Distance", "text": "Search text",
}  # fmt: skip
TERM_INPUTS = ("skills", "interests", "languages")


@dataclass
class FormState:
    """What a form shows again: the values as typed, and an error per input. ``labels`` names
    inputs whose label on this form differs from ``LABELS``'s."""

    values: dict[str, object] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)

    def fail(self, error: InvalidInput) -> FormState:
        name = INPUTS.get(error.field, error.field)
        self.errors[name] = sentence(name, error.reason, self.labels)
        return self


def sentence(name: str, reason: str, labels: dict[str, str] | None = None) -> str:
    """A service reason ("is required", "'ZZ' is not a UK postcode") as a sentence that says
    which input it is about: "Postcode: 'ZZ' is not a UK postcode."."""
    label = (labels or {}).get(name) or LABELS.get(name, name.replace("_", " ").capitalize())
    joiner = " " if reason.startswith(("is ", "must ", "give ", "at most ")) else ": "
    return f"{label}{joiner}{reason}" + ("" if reason.endswith(".") else ".")


def text(form: FormData, name: str) -> str:
    value = form.get(name, "")
    return value.strip() if isinstance(value, str) else ""


def words(value: str) -> list[str]:
    """Comma- (or line-) separated terms as typed: "knitting, gardening" → two."""
    return [w.strip() for w in SEPARATORS.split(value) if w.strip()]


def decimal(value: str, api_field: str) -> float | None:
    if not value:
        return None
    try:
        return float(value)
    except ValueError:
        raise InvalidInput(api_field, f"{value!r} is not a number") from None


def whole(value: str, api_field: str) -> int | None:
    if value and not value.isdigit():
        raise InvalidInput(api_field, f"{value!r} is not a whole number")
    return int(value) if value else None


def day(value: str, api_field: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidInput(api_field, f"{value!r} is not a date (YYYY-MM-DD)") from None


def slots(values: list[str]) -> list[dict[str, str]]:
    """Availability ticks ("MONDAY:MORNING") as the service's ``{"day", "part"}`` dicts."""
    out = []
    for value in values:
        d, _, part = value.partition(":")
        if d not in DAYS or part not in PARTS:
            raise InvalidInput("availability", f"{value!r} is not a day and part of the day")
        out.append({"day": d, "part": part})
    return out


def volunteer_values(form: FormData) -> dict[str, object]:
    """The volunteer form's inputs as typed, to show again after an error."""
    values: dict[str, object] = {
        name: text(form, name)
        for name in ("name", "postcode", "email", "phone", "skills", "interests", "languages",
                     "max_travel_km", "capacity", "login")
    }  # fmt: skip
    values["availability"] = [str(v) for v in form.getlist("availability")]
    values["consent"] = form.get("consent") == "yes"
    return values


def volunteer_input(values: dict[str, object]) -> dict[str, object]:
    """The volunteer form as ``VolunteerInput``'s dict (``register_volunteer``, ``update``)."""
    postcode = str(values["postcode"])
    return {
        "name": values["name"] or None,
        "place": {"postcode": postcode} if postcode else None,
        "email": values["email"] or None,
        "phone": values["phone"] or None,
        **{name: words(str(values[name])) for name in TERM_INPUTS},
        "availability": slots(values["availability"]),  # type: ignore[arg-type]
        "max_travel_km": decimal(str(values["max_travel_km"]), "maxTravelKm"),
        "capacity": whole(str(values["capacity"]), "capacity"),
        "consent_to_matching": bool(values["consent"]),
    }


def values_of(person: Person, taxonomy: Taxonomy) -> dict[str, object]:
    """A volunteer's record as the form's inputs, to edit it."""
    profile = person.volunteer

    def names(kind: TermKind, ids: list[str]) -> str:
        return ", ".join(taxonomy.name(kind, i) for i in ids)

    return {
        "name": person.name, "postcode": person.postcode or "",
        "email": (profile.email if profile else None) or "",
        "phone": (profile.phone if profile else None) or "",
        "skills": names(TermKind.SKILL, profile.skills if profile else []),
        "interests": names(TermKind.INTEREST, person.interests),
        "languages": names(TermKind.LANGUAGE, person.languages),
        "availability": [f"{a.day.value}:{a.part.value}" for a in person.availability],
        "max_travel_km": f"{profile.max_travel_km:g}" if profile else "",
        "capacity": str(profile.capacity) if profile else "",
        "consent": person.consent_to_matching,
    }  # fmt: skip


REFERRAL_TERMS = ("interests", "conditions", "languages")
REFERRAL_LABELS = {"name": "Their name", "reason": "Reason for referral"}


def referral_values(form: FormData) -> dict[str, object]:
    """The referral form's inputs as typed, to show again after an error."""
    values: dict[str, object] = {
        name: text(form, name)
        for name in ("name", "postcode", "birth_year", *REFERRAL_TERMS, "reason", "urgency")
    }
    values["consent"] = form.get("consent") == "yes"
    return values


def referral_input(values: dict[str, object]) -> tuple[dict[str, object], str, str]:
    """The referral form as ``people.refer``'s arguments: ``PersonInput``'s dict, the reason
    and the urgency (routine unless chosen), as ``referPerson`` gives them."""
    postcode = str(values["postcode"])
    person = {
        "name": values["name"] or None,
        "place": {"postcode": postcode} if postcode else None,
        "birth_year": whole(str(values["birth_year"]), "birthYear"),
        **{name: words(str(values[name])) for name in REFERRAL_TERMS},
        "consent_to_matching": bool(values["consent"]),
    }
    return person, str(values["reason"]), str(values["urgency"] or URGENCIES[0])
